/**
 * The one small interface every provider implements, and the error it throws.
 */
import { ChatRequest, StreamPart } from '../types';

/** What kind of failure a provider met; decides the message and whether to retry. */
export type ProviderErrorKind =
  | 'no_key'
  | 'auth'
  | 'permission'
  | 'not_found'
  | 'invalid_request'
  | 'too_large'
  | 'rate_limit'
  | 'overloaded'
  | 'server'
  | 'network'
  | 'dropped'
  | 'aborted'
  | 'unsupported';

/** A provider failure, with a message written for the user. */
export class ProviderError extends Error {
  /**
   * @param kind - What went wrong.
   * @param message - What the user reads: what happened and what to do.
   * @param details - Status code and request id, where known.
   */
  constructor(
    readonly kind: ProviderErrorKind,
    message: string,
    readonly details: { status?: number; requestId?: string; type?: string } = {}
  ) {
    super(message);
    this.name = 'ProviderError';
  }
}

/** How an SDK-backed provider reaches its API; each provider adds its own options. */
export interface ClientOptions {
  /** The key; a placeholder when a proxy adds the real one or the server needs none. */
  apiKey: string;
  /** API root, e.g. the Jupyter proxy route or the provider's own URL (see each provider). */
  baseURL?: string;
  /** A fetch to use instead of the global one (the Jupyter proxy adds its auth this way). */
  fetch?: typeof fetch;
  /** Set in a browser: the SDKs refuse to start there without it. */
  dangerouslyAllowBrowser?: boolean;
  /** Retries of 408/409/429/5xx; the SDKs' default is 2. */
  maxRetries?: number;
  /** Where requests go, for messages. */
  endpoint?: string;
  /** Environment variable of the key on the server, for messages. */
  keyEnv?: string;
}

/**
 * The options both official SDK clients take, from a provider's options: one place for the
 * transport and the retry default (2, the SDKs' own).
 *
 * @param options - The provider's client options.
 */
export function sdkClientOptions(options: ClientOptions): {
  apiKey: string;
  baseURL?: string;
  fetch?: typeof fetch;
  dangerouslyAllowBrowser?: boolean;
  maxRetries: number;
} {
  return {
    apiKey: options.apiKey,
    baseURL: options.baseURL,
    fetch: options.fetch,
    dangerouslyAllowBrowser: options.dangerouslyAllowBrowser,
    maxRetries: options.maxRetries ?? 2
  };
}

/** Options of a streamed call. */
export interface StreamOptions {
  /** Aborts the call; the stream then throws a `ProviderError` of kind `aborted`. */
  signal?: AbortSignal;
}

/** A language model provider. */
export interface ChatProvider {
  /** Provider id, e.g. `anthropic`. */
  readonly id: string;
  /** Name for messages, e.g. `Anthropic`. */
  readonly label: string;
  /**
   * The exact JSON body the provider's API receives for a request.
   *
   * @param request - The neutral request.
   */
  body(request: ChatRequest): Record<string, unknown>;
  /**
   * Stream a reply.
   *
   * @param request - The neutral request.
   * @param options - Abort signal.
   * @throws ProviderError on any failure.
   */
  stream(request: ChatRequest, options?: StreamOptions): AsyncIterable<StreamPart>;
  /**
   * The model ids the provider offers.
   */
  listModels(): Promise<string[]>;
  /**
   * The input tokens of a request, from the provider's counting endpoint. Absent when the
   * provider has none.
   *
   * @param request - The neutral request.
   * @throws ProviderError on any failure.
   */
  countTokens?(request: ChatRequest): Promise<number>;
}
