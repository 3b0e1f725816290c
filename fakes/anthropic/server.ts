/**
 * A strict fake of the Anthropic Messages API (version 2026-10-21) for tests and benchmarks:
 * it answers like the API (see PROVIDERS.md), refuses what the API refuses, accounts for
 * the prompt cache, and can be made to fail on purpose.
 *
 * Routes: `POST /v1/messages`, `POST /v1/messages/count_tokens`, `GET /v1/models`,
 * `GET /v1/models/{id}`, and the control API under `/_fake/` (control.ts).
 *
 * Order of checks for a `/v1` request: route (404), the next queued fault, key (401),
 * browser CORS header (401), `anthropic-version` (400), body size (413), JSON (400), then
 * the endpoint's own validation.
 */
import { IncomingMessage, ServerResponse, createServer } from 'http';
import type { AddressInfo } from 'net';
import { RawBody, parseJson, readBody } from './body';
import { handleControl } from './control';
import { ApiError, DEFAULT_MESSAGE, newId } from './errors';
import { Fault } from './faults';
import { LoggedRequest, loggedHeaders } from './log';
import { handleCountTokens, handleMessages } from './messages';
import { handleGetModel, handleListModels } from './model-routes';
import { Exchange, applyNonStreamFault, baseHeaders, exchange, firstByte, sendError } from './respond';
import { FakeAnthropicOptions, FakeState, createState, resetState, resolveOptions } from './state';
import { ScriptedReply } from './tool-use';

export type { FakeAnthropicOptions } from './state';
export type { Fault } from './faults';
export type { LoggedRequest } from './log';

/** The API version the fake implements; requests must send exactly this one. */
export const API_VERSION = '2026-10-21';

/** A running fake. */
export interface FakeAnthropic {
  /** Base URL for the SDK's `baseURL`, e.g. `http://127.0.0.1:41234` (no trailing slash). */
  readonly url: string;
  /** Requests to `/v1/...` so far, oldest first (live: entries fill in as responses go out). */
  readonly log: LoggedRequest[];
  /**
   * Queue faults for the next requests, one per request (see faults.ts).
   *
   * @param faults - The faults, in order.
   */
  queueFaults(...faults: Fault[]): void;
  /**
   * Queue the next replies (before the default reply): exact texts, or `{text?, tool_calls}`
   * for a model that calls tools (see tool-use.ts).
   *
   * @param replies - The replies, in order.
   */
  queueReplies(...replies: ScriptedReply[]): void;
  /**
   * Replace the accepted API keys.
   *
   * @param keys - The keys.
   */
  setKeys(keys: string[]): void;
  /** Back to a fresh state: log, faults, replies, cache, reply counter and keys. */
  reset(): void;
  /** Stop listening and cut open connections. */
  close(): Promise<void>;
}

/**
 * Start a fake Anthropic API server.
 *
 * @param options - Port, host, keys, clock, stream pacing, limits.
 */
export async function startFakeAnthropic(options: FakeAnthropicOptions = {}): Promise<FakeAnthropic> {
  const state = createState(resolveOptions(options));
  const server = createServer((req, res) => {
    Private.handle(req, res, state).catch(err => {
      // A bug in the fake, not a simulated failure: answer 500 and say so on stderr.
      console.error('fake-anthropic: unexpected error', err);
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ type: 'error', error: { type: 'api_error', message: String(err) } }));
      } else {
        res.destroy();
      }
    });
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(':') ? `[${host}]` : host;

  return {
    url: `http://${urlHost}:${port}`,
    log: state.log,
    queueFaults: (...faults) => state.faults.push(...faults),
    queueReplies: (...replies) => void state.replies.push(...replies),
    setKeys: keys => void (state.keys = new Set(keys)),
    reset: () => resetState(state),
    close: () =>
      new Promise<void>(resolve => {
        server.close(() => resolve());
        server.closeAllConnections();
      })
  };
}

namespace Private {
  /** Answer one request. */
  export async function handle(req: IncomingMessage, res: ServerResponse, state: FakeState): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const path = url.pathname;
    const body = await readBody(req, state.options.maxBodyBytes);

    if (req.method === 'OPTIONS') {
      return preflight(req, res);
    }
    if (path.startsWith('/_fake/')) {
      const ex = exchange(req, res, newId('req_'), state);
      return guard(ex, () => handleControl(ex, path, body.text));
    }

    const entry: LoggedRequest = {
      id: newId('req_'),
      time: state.options.now(),
      method: req.method ?? 'GET',
      path,
      query: url.search.slice(1),
      headers: loggedHeaders(req.headers)
    };
    if (body.text) {
      try {
        entry.body = JSON.parse(body.text);
      } catch {
        entry.body = body.text;
      }
    }
    state.log.push(entry);
    const ex = exchange(req, res, entry.id, state, entry);
    return guard(ex, () => api(ex, path, url.searchParams, body));
  }

  /** Run a handler, turning an `ApiError` into its answer. */
  async function guard(ex: Exchange, run: () => void | Promise<void>): Promise<void> {
    try {
      await run();
    } catch (err) {
      if (!(err instanceof ApiError)) {
        throw err;
      }
      await firstByte(ex);
      sendError(ex, err);
    }
  }

  /** The `/v1` routes. */
  async function api(ex: Exchange, path: string, query: URLSearchParams, body: RawBody): Promise<void> {
    const method = ex.req.method;
    const modelMatch = /^\/v1\/models\/([^/]+)$/.exec(path);
    const route =
      method === 'POST' && path === '/v1/messages' ? 'messages'
      : method === 'POST' && path === '/v1/messages/count_tokens' ? 'count_tokens'
      : method === 'GET' && path === '/v1/models' ? 'models'
      : method === 'GET' && modelMatch ? 'model'
      : undefined;
    if (!route) {
      throw new ApiError(404, 'not_found_error', 'Not Found');
    }

    const fault = ex.state.faults.take();
    if (ex.entry && fault) {
      ex.entry.fault = fault;
    }
    if (fault?.kind === 'delay-first-byte') {
      ex.delayMs = fault.ms;
    }
    if (fault?.kind === 'status') {
      const retry = fault.retryAfter ?? (fault.status === 429 ? 1 : undefined);
      const headers: Record<string, string> = retry === undefined ? {} : { 'retry-after': String(retry) };
      throw new ApiError(fault.status, fault.type, fault.message ?? DEFAULT_MESSAGE[fault.type], headers);
    }

    checkHeaders(ex);
    if (body.tooLarge) {
      throw new ApiError(413, 'request_too_large', DEFAULT_MESSAGE.request_too_large);
    }
    if (route === 'messages') {
      return handleMessages(ex, parseJson(body.text), fault);
    }
    await firstByte(ex);
    if (applyNonStreamFault(ex, fault)) {
      return;
    }
    if (route === 'count_tokens') {
      return handleCountTokens(ex, parseJson(body.text));
    }
    if (route === 'models') {
      return handleListModels(ex, query);
    }
    return handleGetModel(ex, decodeURIComponent((modelMatch as RegExpExecArray)[1]));
  }

  /** Key, browser access and API version. */
  function checkHeaders(ex: Exchange): void {
    const headers = ex.req.headers;
    const provided: string[] = [];
    if (headers.authorization !== undefined) {
      const bearer = /^Bearer\s+(\S+)\s*$/i.exec(headers.authorization);
      provided.push(bearer ? bearer[1] : '');
    }
    const apiKey = headers['x-api-key'];
    if (apiKey !== undefined) {
      provided.push(Array.isArray(apiKey) ? apiKey.join(',') : apiKey);
    }
    if (provided.length === 0) {
      throw new ApiError(401, 'authentication_error', 'x-api-key header or Authorization: Bearer token is required');
    }
    if (provided.some(key => !ex.state.keys.has(key))) {
      throw new ApiError(401, 'authentication_error', 'invalid x-api-key');
    }
    if (headers.origin && headers['anthropic-dangerous-direct-browser-access'] !== 'true') {
      throw new ApiError(401, 'authentication_error', "CORS requests must set 'anthropic-dangerous-direct-browser-access' header");
    }
    const version = headers['anthropic-version'];
    if (version === undefined) {
      throw new ApiError(400, 'invalid_request_error', 'anthropic-version: header is required');
    }
    if (version !== API_VERSION) {
      throw new ApiError(400, 'invalid_request_error', `anthropic-version: ${JSON.stringify(version)} is not supported; this API implements ${API_VERSION}`);
    }
  }

  /** Answer a CORS preflight: browsers ask before sending the SDK's custom headers. */
  function preflight(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(204, {
      ...baseHeaders(newId('req_'), req.headers.origin),
      'access-control-allow-methods': 'GET, POST, OPTIONS',
      'access-control-allow-headers': req.headers['access-control-request-headers'] ?? '*',
      'access-control-max-age': '600'
    });
    res.end();
  }
}
