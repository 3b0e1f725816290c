/**
 * A model server on the user's own machine or cluster (llama.cpp's `llama-server`, Ollama,
 * vLLM), reached at its root URL: Chat Completions under `/v1`, and, for llama.cpp, the slot
 * endpoints that keep the docs prefix on disk across restarts (llama-slots.ts).
 */
import { ChatRequest, StreamPart } from '../types';
import { LlamaSlotCache, PrefixState } from './llama-slots';
import { toCompatibleBody } from './openai-body';
import { OpenAIProvider } from './openai';
import { ChatProvider, StreamOptions } from './provider';

/** What to do when the local server is down. */
export const LOCAL_DOWN_HINT =
  'Start it with "python3 scripts/local-engine/engine.py start" (or scripts/start.sh, which does it when no key is set), ' +
  'or choose Anthropic or OpenAI in Settings → AI Magic.';

/** How to reach the local server. */
export interface LocalOptions {
  /** The server's root, without `/v1` (the Jupyter proxy route, or e.g. `http://127.0.0.1:8080`). */
  rootURL: string;
  /** The server's key, if it wants one (llama-server `--api-key`); any text otherwise. */
  apiKey?: string;
  /** A fetch to use instead of the global one. */
  fetch?: typeof fetch;
  /** Set in a browser. */
  dangerouslyAllowBrowser?: boolean;
  /** Where requests go, for messages. */
  endpoint?: string;
  /** Retries; local servers either answer or are down, so the default is 0. */
  maxRetries?: number;
  /** What to do when the server cannot be reached (default: how to start the project's engine). */
  downHint?: string;
  /** Keep the docs prefix on disk with llama.cpp's slots (default true). */
  slotCache?: boolean;
}

/** The local server. */
export class LocalProvider implements ChatProvider {
  readonly id = 'local';
  readonly label: string;

  /**
   * @param options - Root URL, key, transport.
   */
  constructor(options: LocalOptions) {
    const root = options.rootURL.replace(/\/+$/, '');
    this.label = 'The local model server';
    this._chat = new OpenAIProvider({
      id: 'local',
      label: this.label,
      dialect: 'compatible',
      apiKey: options.apiKey || 'no-key',
      baseURL: `${root}/v1`,
      fetch: options.fetch,
      dangerouslyAllowBrowser: options.dangerouslyAllowBrowser,
      maxRetries: options.maxRetries ?? 0,
      endpoint: options.endpoint ?? root,
      downHint: options.downHint ?? LOCAL_DOWN_HINT
    });
    this._slots = options.slotCache === false ? null : new LlamaSlotCache({ rootURL: root, fetch: options.fetch });
  }

  /** How the prefix of the last request got into the server's cache. */
  get lastPrefixState(): PrefixState | undefined {
    return this._lastPrefix;
  }

  /** {@inheritDoc ChatProvider.body} */
  body(request: ChatRequest): Record<string, unknown> {
    return toCompatibleBody(request);
  }

  /**
   * {@inheritDoc ChatProvider.stream}
   *
   * Before sending, the saved prefix is restored when the server lacks it; after a reply
   * whose prefix had to be computed, it is saved for next time (later calls wait for that).
   */
  async *stream(request: ChatRequest, options: StreamOptions = {}): AsyncIterable<StreamPart> {
    const state = this._slots ? await this._slots.prepare(request, options.signal) : 'unsupported';
    this._lastPrefix = state;
    for await (const part of this._chat.stream(request, options)) {
      if (part.type === 'finish' && this._slots) {
        void this._slots.afterReply(request, state);
        if (state === 'restored') {
          // Say where the cached tokens came from: a saved prefix, not this server's memory.
          yield { ...part, notice: [part.notice, 'prefix restored from disk'].filter(Boolean).join(' · ') };
          continue;
        }
      }
      yield part;
    }
  }

  /** {@inheritDoc ChatProvider.listModels} */
  listModels(): Promise<string[]> {
    return this._chat.listModels();
  }

  /** Settles when a save started by the last reply has finished (benchmarks and tests). */
  async idle(): Promise<void> {
    await this._slots?.idle();
  }

  private _chat: OpenAIProvider;
  private _slots: LlamaSlotCache | null;
  private _lastPrefix: PrefixState | undefined;
}
