/**
 * OpenAI's error answers: `{"error": {"message", "type", "param", "code"}}` with the status
 * the API uses for each case (as the `openai` SDK's `APIError` subclasses expect them).
 */

/** An error the fake answers with. */
export class OpenAIError extends Error {
  /**
   * @param status - HTTP status.
   * @param type - `error.type`, e.g. `invalid_request_error`.
   * @param message - `error.message`.
   * @param param - `error.param`: the offending request field, or null.
   * @param code - `error.code`, e.g. `model_not_found`, or null.
   * @param headers - Extra response headers (e.g. `retry-after`).
   */
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    readonly param: string | null = null,
    readonly code: string | null = null,
    readonly headers: Record<string, string> = {}
  ) {
    super(message);
  }

  /** The JSON body. */
  body(): { error: { message: string; type: string; param: string | null; code: string | null } } {
    return { error: { message: this.message, type: this.type, param: this.param, code: this.code } };
  }
}

/** A 400 `invalid_request_error`. */
export function invalid(message: string, param: string | null = null, code: string | null = null): OpenAIError {
  return new OpenAIError(400, 'invalid_request_error', message, param, code);
}

/** The errors a test can ask for by name (status, type, code, message), as OpenAI sends them. */
export const NAMED_ERRORS: Readonly<Record<string, { status: number; type: string; code: string | null; message: string }>> = {
  invalid_api_key: { status: 401, type: 'invalid_request_error', code: 'invalid_api_key', message: 'Incorrect API key provided.' },
  insufficient_quota: {
    status: 429,
    type: 'insufficient_quota',
    code: 'insufficient_quota',
    message: 'You exceeded your current quota, please check your plan and billing details.'
  },
  rate_limit_exceeded: { status: 429, type: 'requests', code: 'rate_limit_exceeded', message: 'Rate limit reached for requests.' },
  model_not_found: { status: 404, type: 'invalid_request_error', code: 'model_not_found', message: 'The model does not exist or you do not have access to it.' },
  context_length_exceeded: {
    status: 400,
    type: 'invalid_request_error',
    code: 'context_length_exceeded',
    message: "This model's maximum context length was exceeded."
  },
  server_error: { status: 500, type: 'server_error', code: null, message: 'The server had an error while processing your request. Sorry about that!' },
  overloaded: { status: 503, type: 'server_error', code: null, message: 'The engine is currently overloaded, please try again later.' }
};
