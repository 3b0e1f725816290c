/**
 * Faults a test queues for the next requests. Each queued fault is taken by exactly one
 * request to an API route (messages, count_tokens, models), in order, whatever then
 * happens to that request (a request the fake then refuses uses its fault up).
 *
 * On a request that does not stream, the stream faults degrade to their nearest equivalent:
 * `drop-after` closes the connection without an answer, `error-event-after` answers with
 * the HTTP error of its type, and `slow` does nothing.
 */
import { ErrorType, STATUS_OF, isErrorType } from './errors';

/** A fault for one request. */
export type Fault =
  /** Answer with this error (`retryAfter` seconds become a `retry-after` header). */
  | { kind: 'status'; status: number; type: ErrorType; message?: string; retryAfter?: number }
  /** Destroy the socket after this many text deltas (or after the last, if fewer). */
  | { kind: 'drop-after'; deltas: number }
  /** Send an SSE `error` event after this many text deltas, then end the response. */
  | { kind: 'error-event-after'; deltas: number; type?: ErrorType; message?: string }
  /** Wait this long before the first byte of the response. */
  | { kind: 'delay-first-byte'; ms: number }
  /** Wait this long between deltas (instead of the server's default). */
  | { kind: 'slow'; deltaDelayMs: number };

/** Why a fault list was rejected. */
export class FaultError extends Error {}

/**
 * Parse a fault list from a control request: a list, or `{faults: [...]}`.
 *
 * @param value - The parsed JSON body.
 */
export function parseFaults(value: unknown): Fault[] {
  const list = Array.isArray(value) ? value : (value as { faults?: unknown } | null)?.faults;
  if (!Array.isArray(list)) {
    throw new FaultError('expected a list of faults or {"faults": [...]}');
  }
  return list.map((f, i) => Private.parse(f, `faults.${i}`));
}

/** A FIFO of faults. */
export class FaultQueue {
  /** Faults not yet taken. */
  get pending(): readonly Fault[] {
    return this._faults;
  }

  /**
   * Queue faults after those already queued.
   *
   * @param faults - The faults, validated (use `parseFaults` for untrusted input).
   */
  push(...faults: Fault[]): void {
    this._faults.push(...faults.map(f => Private.parse(f, 'fault')));
  }

  /** Take the next fault, if any. */
  take(): Fault | undefined {
    return this._faults.shift();
  }

  /** Drop every queued fault. */
  clear(): void {
    this._faults.length = 0;
  }

  private _faults: Fault[] = [];
}

namespace Private {
  /** Check one fault's shape. */
  export function parse(value: unknown, path: string): Fault {
    const f = value as Record<string, unknown> | null;
    const count = (key: string): number => {
      const n = f?.[key];
      if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) {
        throw new FaultError(`${path}.${key}: expected a non-negative integer`);
      }
      return n;
    };
    const optionalType = (): ErrorType | undefined => {
      if (f?.type !== undefined && !isErrorType(f.type)) {
        throw new FaultError(`${path}.type: unknown error type ${JSON.stringify(f.type)}`);
      }
      return f?.type as ErrorType | undefined;
    };
    const optionalMessage = (): string | undefined => {
      if (f?.message !== undefined && typeof f.message !== 'string') {
        throw new FaultError(`${path}.message: expected a string`);
      }
      return f?.message as string | undefined;
    };
    switch (f?.kind) {
      case 'status': {
        const type = optionalType();
        const status = f.status === undefined && type ? STATUS_OF[type] : count('status');
        if (status < 400 || status > 599 || !type) {
          throw new FaultError(`${path}: a status fault needs a 4xx/5xx status and an error type`);
        }
        const retryAfter = f.retryAfter === undefined ? undefined : count('retryAfter');
        return { kind: 'status', status, type, message: optionalMessage(), retryAfter };
      }
      case 'drop-after':
        return { kind: 'drop-after', deltas: count('deltas') };
      case 'error-event-after':
        return { kind: 'error-event-after', deltas: count('deltas'), type: optionalType(), message: optionalMessage() };
      case 'delay-first-byte':
        return { kind: 'delay-first-byte', ms: count('ms') };
      case 'slow':
        return { kind: 'slow', deltaDelayMs: count('deltaDelayMs') };
      default:
        throw new FaultError(`${path}.kind: expected status, drop-after, error-event-after, delay-first-byte or slow`);
    }
  }
}
