/**
 * The record of requests the fake received, for tests to inspect (`fake.log`,
 * `GET /_fake/log`). Keys never appear in it.
 */
import type { IncomingHttpHeaders } from 'http';
import { ErrorType } from './errors';
import { Fault } from './faults';

/** What happened to a request's response. */
export type Outcome = 'completed' | 'dropped' | 'error-event' | 'aborted';

/** One request to a `/v1/...` route. */
export interface LoggedRequest {
  /** The `request-id` the fake answered with. */
  id: string;
  /** Arrival time, from the server's clock. */
  time: number;
  method: string;
  /** Path without the query string. */
  path: string;
  /** The query string, without `?` ('' if none). */
  query: string;
  /** Selected headers, lower-cased; credentials are REDACTED. */
  headers: Record<string, string>;
  /** The parsed JSON body, the raw text if it was not JSON, or undefined if empty. */
  body?: unknown;
  /** Response status, once sent. */
  status?: number;
  /** Whether the response was an event stream. */
  stream?: boolean;
  /** Usage the response reported (for count_tokens: `{input_tokens}`). */
  usage?: Record<string, unknown>;
  /** The error answered, if any. */
  error?: { type: ErrorType; message: string };
  /** The fault this request took, if any. */
  fault?: Fault;
  /** How the response ended. */
  outcome?: Outcome;
}

/** Headers worth keeping; the rest is transport detail. */
const KEPT = [
  'anthropic-version',
  'anthropic-beta',
  'anthropic-dangerous-direct-browser-access',
  'authorization',
  'x-api-key',
  'content-type',
  'content-length',
  'accept',
  'origin',
  'user-agent',
  'x-stainless-retry-count',
  'x-stainless-timeout'
];

/**
 * The kept headers of a request, with credentials redacted.
 *
 * @param headers - Node's request headers.
 */
export function loggedHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of KEPT) {
    const value = headers[name];
    if (value === undefined) {
      continue;
    }
    const text = Array.isArray(value) ? value.join(', ') : value;
    if (name === 'authorization') {
      out[name] = text.replace(/^(\S+\s+)?.*$/, (_, scheme: string | undefined) => `${scheme ?? ''}REDACTED`);
    } else if (name === 'x-api-key') {
      out[name] = 'REDACTED';
    } else {
      out[name] = text;
    }
  }
  return out;
}
