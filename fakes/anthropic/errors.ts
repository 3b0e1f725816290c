/**
 * API errors as the Messages API reports them: a status, an error type and the envelope
 * `{"type":"error","error":{"type","message"},"request_id"}`.
 */
import { randomBytes } from 'crypto';

/** The documented error types. */
export type ErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'permission_error'
  | 'billing_error'
  | 'not_found_error'
  | 'request_too_large'
  | 'rate_limit_error'
  | 'api_error'
  | 'overloaded_error';

/** The documented status of each error type (PROVIDERS.md). */
export const STATUS_OF: Readonly<Record<ErrorType, number>> = {
  invalid_request_error: 400,
  authentication_error: 401,
  permission_error: 403,
  billing_error: 403,
  not_found_error: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  overloaded_error: 529
};

/** The message used when a fault names only a type. */
export const DEFAULT_MESSAGE: Readonly<Record<ErrorType, string>> = {
  invalid_request_error: 'Invalid request',
  authentication_error: 'invalid x-api-key',
  permission_error: 'Your API key does not have permission to use the specified resource.',
  billing_error: 'Your credit balance is too low to access the Anthropic API.',
  not_found_error: 'Not Found',
  request_too_large: 'Request exceeds the maximum allowed number of bytes.',
  rate_limit_error: 'Number of request tokens has exceeded your per-minute rate limit',
  api_error: 'Internal server error',
  overloaded_error: 'Overloaded'
};

/**
 * Whether a string names a documented error type.
 *
 * @param value - The candidate.
 */
export function isErrorType(value: unknown): value is ErrorType {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(STATUS_OF, value);
}

/** An error answer, thrown by validation and turned into a response by the server. */
export class ApiError extends Error {
  /**
   * @param status - HTTP status.
   * @param type - Error type of the body.
   * @param message - Error message of the body.
   * @param headers - Extra response headers (e.g. `retry-after`).
   */
  constructor(
    readonly status: number,
    readonly type: ErrorType,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {}
  ) {
    super(message);
  }
}

/**
 * A 400 `invalid_request_error`.
 *
 * @param message - What is wrong, starting with the JSON path where there is one.
 */
export function invalid(message: string): ApiError {
  return new ApiError(400, 'invalid_request_error', message);
}

/**
 * The error body.
 *
 * @param type - Error type.
 * @param message - Error message.
 * @param requestId - The request's id, also sent as the `request-id` header.
 */
export function errorBody(type: ErrorType, message: string, requestId: string): string {
  return JSON.stringify({ type: 'error', error: { type, message }, request_id: requestId });
}

/**
 * A fresh id in the API's shape: a prefix and 24 base62 characters.
 *
 * @param prefix - `req_` for request ids, `msg_` for message ids.
 */
export function newId(prefix: 'req_' | 'msg_'): string {
  const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
  return prefix + Array.from(randomBytes(24), b => alphabet[b % alphabet.length]).join('');
}
