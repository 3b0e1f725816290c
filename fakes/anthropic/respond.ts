/**
 * One request/response exchange and the ways of answering it: JSON, API errors, and the
 * non-streaming forms of the stream faults.
 */
import type { IncomingMessage, ServerResponse } from 'http';
import { ApiError, DEFAULT_MESSAGE, STATUS_OF, errorBody } from './errors';
import { Fault } from './faults';
import { LoggedRequest } from './log';
import { FakeState } from './state';

/** A request being answered. */
export interface Exchange {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  /** The request id (`request-id` header, error bodies, log). */
  readonly id: string;
  readonly state: FakeState;
  /** The log entry, for `/v1/...` requests. */
  readonly entry?: LoggedRequest;
  /** Set when the client went away before the response ended. */
  closed: boolean;
  /** A `delay-first-byte` fault's delay, still to wait before the first byte (see `firstByte`). */
  delayMs: number;
}

/**
 * Start an exchange; tracks the client going away.
 *
 * @param req - The request.
 * @param res - The response.
 * @param id - Its request id.
 * @param state - The server's state.
 * @param entry - Its log entry, if logged.
 */
export function exchange(
  req: IncomingMessage,
  res: ServerResponse,
  id: string,
  state: FakeState,
  entry?: LoggedRequest
): Exchange {
  const ex: Exchange = { req, res, id, state, entry, closed: false, delayMs: 0 };
  res.on('close', () => {
    if (!res.writableFinished) {
      ex.closed = true;
      if (entry && !entry.outcome) {
        entry.outcome = 'aborted';
      }
    }
  });
  return ex;
}

/**
 * Headers every API answer carries: the request id and, for browser requests, CORS.
 *
 * @param id - The request id.
 * @param origin - The request's `Origin` header, if any.
 */
export function baseHeaders(id: string, origin: string | undefined): Record<string, string> {
  const headers: Record<string, string> = { 'request-id': id };
  if (origin) {
    headers['access-control-allow-origin'] = origin;
    headers['access-control-expose-headers'] = 'request-id, retry-after';
    headers['vary'] = 'origin';
  }
  return headers;
}

/**
 * Answer with JSON.
 *
 * @param ex - The exchange.
 * @param status - HTTP status.
 * @param body - The value to serialise.
 * @param headers - Extra headers.
 */
export function sendJson(ex: Exchange, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  ex.res.writeHead(status, {
    ...baseHeaders(ex.id, ex.req.headers.origin),
    ...headers,
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(text))
  });
  ex.res.end(text);
  if (ex.entry) {
    ex.entry.status = status;
    ex.entry.outcome = 'completed';
  }
}

/**
 * Answer with an API error.
 *
 * @param ex - The exchange.
 * @param error - The error.
 */
export function sendError(ex: Exchange, error: ApiError): void {
  sendJson(ex, error.status, errorBody(error.type, error.message, ex.id), error.headers);
  if (ex.entry) {
    ex.entry.error = { type: error.type, message: error.message };
  }
}

/**
 * Apply a stream fault to a response that is not a stream. Returns whether it answered.
 *
 * @param ex - The exchange.
 * @param fault - The fault the request took.
 */
export function applyNonStreamFault(ex: Exchange, fault: Fault | undefined): boolean {
  if (fault?.kind === 'drop-after') {
    ex.res.socket?.destroy();
    if (ex.entry) {
      ex.entry.outcome = 'dropped';
    }
    return true;
  }
  if (fault?.kind === 'error-event-after') {
    const type = fault.type ?? 'overloaded_error';
    sendError(ex, new ApiError(STATUS_OF[type], type, fault.message ?? DEFAULT_MESSAGE[type]));
    return true;
  }
  return false;
}

/**
 * Wait out a pending first-byte delay, once. Handlers call it just before answering, so
 * the request is processed (and its cache lookup done) on arrival, as a slow server would.
 *
 * @param ex - The exchange.
 */
export async function firstByte(ex: Exchange): Promise<void> {
  const ms = ex.delayMs;
  ex.delayMs = 0;
  if (ms > 0) {
    await sleep(ms);
  }
}

/**
 * Wait; with 0 ms still yields so that written events are flushed one by one.
 *
 * @param ms - Milliseconds.
 */
export function sleep(ms: number): Promise<void> {
  return new Promise(resolve => (ms > 0 ? setTimeout(resolve, ms) : setImmediate(resolve)));
}
