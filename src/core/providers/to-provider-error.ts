/**
 * SDK errors -> {@link ProviderError} with a message that says what happened and what to do.
 *
 * Both official SDKs throw errors of the same shape (`status`, `error` body, `headers`,
 * class names such as `APIConnectionError`), so one mapping serves every provider. It reads
 * fields rather than `instanceof` so the core needs no SDK to map an error.
 */
import { ProviderError, ProviderErrorKind } from './provider';

/** What the messages name. */
export interface ErrorContext {
  /** Provider name, e.g. `Anthropic`. */
  label: string;
  /** Environment variable that holds the key on the Jupyter server, e.g. `ANTHROPIC_API_KEY`. */
  keyEnv?: string;
  /** Where requests go, e.g. the proxy or the provider's URL. */
  endpoint?: string;
  /** True once any reply text has arrived: a failure then cuts a reply short. */
  midReply?: boolean;
}

interface SDKErrorLike {
  name?: string;
  message?: string;
  status?: number;
  type?: string | null;
  apiMessage?: string | null;
  error?: unknown;
  headers?: { get?(name: string): string | null } | Record<string, string>;
  requestID?: string | null;
  cause?: unknown;
}

/**
 * The error type and message from a provider error body (Anthropic's or OpenAI's shape).
 */
function bodyInfo(err: SDKErrorLike): { type?: string; message?: string } {
  const body = err.error as { type?: unknown; message?: unknown; error?: { type?: unknown; message?: unknown; code?: unknown } } | undefined;
  const inner = body && typeof body === 'object' && body.error && typeof body.error === 'object' ? body.error : body;
  const type = err.type ?? (typeof inner?.type === 'string' ? inner.type : undefined);
  const message = err.apiMessage ?? (typeof inner?.message === 'string' ? inner.message : undefined);
  return { type: type ?? undefined, message: message ?? undefined };
}

/**
 * Read a response header from an SDK error.
 */
function header(err: SDKErrorLike, name: string): string | undefined {
  const h = err.headers;
  if (!h) {
    return undefined;
  }
  if (typeof (h as { get?: unknown }).get === 'function') {
    return (h as { get(name: string): string | null }).get(name) ?? undefined;
  }
  return (h as Record<string, string>)[name];
}

/**
 * Map any error thrown while calling a provider.
 *
 * @param error - What the SDK (or fetch) threw.
 * @param context - Names for the message.
 */
export function toProviderError(error: unknown, context: ErrorContext): ProviderError {
  if (error instanceof ProviderError) {
    return error;
  }
  const err = (error ?? {}) as SDKErrorLike;
  const { label } = context;
  const { type, message: apiMessage } = bodyInfo(err);
  const status = typeof err.status === 'number' ? err.status : undefined;
  const details = { status, type, requestId: err.requestID ?? undefined };
  const said = apiMessage ? ` ${label} said: "${apiMessage}"` : '';
  const make = (kind: ProviderErrorKind, message: string) => new ProviderError(kind, message, details);

  if (err.name === 'APIUserAbortError' || err.name === 'AbortError') {
    return make('aborted', 'Stopped.');
  }
  if (type === 'no_api_key') {
    return make('no_key', apiMessage ?? `No ${label} API key is configured.`);
  }
  if (type === 'upstream_unreachable') {
    return make('network', `${apiMessage ?? `${label} could not be reached.`} Check the network or the server address.`);
  }
  if (type === 'overloaded_error' || status === 529) {
    const when = context.midReply ? ' in the middle of the reply; the part received is kept' : '';
    return make('overloaded', `${label} is overloaded (${status ?? 'overloaded_error'})${when}. Try again in a little while.${said}`);
  }
  if (status === undefined && !type) {
    if (err.name === 'APIConnectionTimeoutError') {
      return make('network', `The request to ${label} timed out. Check the network, then run the cell again.`);
    }
    if (context.midReply) {
      return make('dropped', `The connection to ${label} dropped in the middle of the reply; the part received is kept. Run the cell again to retry.`);
    }
    const where = context.endpoint ? ` at ${context.endpoint}` : '';
    const cause = err.cause instanceof Error && err.cause.message ? ` (${err.cause.message})` : err.message ? ` (${err.message})` : '';
    return make('network', `Could not connect to ${label}${where}${cause}. Check the network connection and that the server is running.`);
  }
  switch (status ?? 0) {
    case 401:
      return make('auth', `${label} rejected the API key (401).${context.keyEnv ? ` Check ${context.keyEnv} on the Jupyter server, or the key in the settings for direct mode.` : ''}${said}`);
    case 402:
    case 403:
      return make('permission', `${label} refused the request (${status}${type ? ` ${type}` : ''}): the key lacks permission or the account has no credit.${said}`);
    case 404:
      return make('not_found', `${label} answered 404 (${type ?? 'not found'}): the model or endpoint does not exist. Check the model name in the settings.${said}`);
    case 413:
      return make('too_large', `The request is too large for ${label} (413). Skip some cells or lower the context budget in the settings.${said}`);
    case 429: {
      const after = header(err, 'retry-after');
      return make('rate_limit', `${label} rate limit reached (429), still after retrying.${after ? ` Wait ${after} s` : ' Wait a minute'} and run the cell again.${said}`);
    }
    case 400:
    case 422:
      return make('invalid_request', `${label} rejected the request (${status} ${type ?? 'invalid request'}).${said}`);
    default:
      if (status && status >= 500) {
        return make('server', `${label} had a server error (${status}${type ? ` ${type}` : ''}). Try again in a little while.${said}`);
      }
      return make('server', `${label} answered ${status ?? 'an error'}${type ? ` (${type})` : ''}.${said}`);
  }
}
