/**
 * The official SDKs, loaded by the first request that needs one. Together they are most of
 * the extension's weight, so in the browser each is a chunk of its own and opening
 * JupyterLab loads neither; in Node (the command line, jest) the dynamic import is a plain
 * `require`. A provider file imports only the SDK's types and asks here for the class.
 */
import type Anthropic from '@anthropic-ai/sdk';
import type OpenAI from 'openai';
import { ProviderError } from './provider';

/** The Anthropic SDK's client class. */
export type AnthropicClass = typeof Anthropic;

/** The OpenAI SDK's client class. */
export type OpenAIClass = typeof OpenAI;

/**
 * Load `@anthropic-ai/sdk`.
 *
 * @throws ProviderError of kind `network` when its chunk cannot be fetched.
 */
export function loadAnthropic(): Promise<AnthropicClass> {
  return Private.load('Anthropic', () => import(/* webpackChunkName: "anthropic-sdk" */ '@anthropic-ai/sdk').then(m => m.default));
}

/**
 * Load `openai`.
 *
 * @throws ProviderError of kind `network` when its chunk cannot be fetched.
 */
export function loadOpenAI(): Promise<OpenAIClass> {
  return Private.load('OpenAI', () => import(/* webpackChunkName: "openai-sdk" */ 'openai').then(m => m.default));
}

/**
 * A lazily made SDK client: made on first use, made again after a failed load (a chunk the
 * network lost once loads on the next try).
 */
export class LazyClient<T> {
  /**
   * @param make - Loads the SDK and makes the client.
   */
  constructor(private readonly make: () => Promise<T>) {}

  /** The client. */
  get(): Promise<T> {
    if (!this._client) {
      const client = this.make();
      this._client = client;
      client.catch(() => {
        if (this._client === client) {
          this._client = null;
        }
      });
    }
    return this._client;
  }

  private _client: Promise<T> | null = null;
}

namespace Private {
  /** Load a module; a failure says what to do (webpack forgets a failed chunk, so the next call tries again). */
  export async function load<T>(name: string, importer: () => Promise<T>): Promise<T> {
    try {
      return await importer();
    } catch (e) {
      throw new ProviderError(
        'network',
        `Could not load the ${name} SDK (${(e as Error)?.message ?? e}). Check the connection to the Jupyter server, reload the page, and run the cell again.`
      );
    }
  }
}
