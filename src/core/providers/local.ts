/**
 * A model server on the user's own machine or cluster (llama.cpp's `llama-server`, Ollama,
 * vLLM), reached at its root URL: Chat Completions under `/v1`, and, for llama.cpp, the slot
 * endpoints that keep the docs prefix on disk across restarts (llama-slots.ts).
 */
import { ChatRequest, StreamPart } from '../types';
import { LlamaSlotCache, PrefixState } from './llama-slots';
import { toCompatibleBody } from './openai-body';
import { OpenAIProvider } from './openai';
import { ChatProvider, ProviderError, StreamOptions } from './provider';

/** What to do when the local server is down. */
export const LOCAL_DOWN_HINT =
  'Start it with "jupyter aimagic engine start" (the project\'s engine; scripts/start.sh starts it when no key is set), ' +
  'or choose Anthropic or OpenAI in Settings → AI Magic.';

/** How long to wait for a server that says it is starting (503) before sending anyway. */
export const STARTING_TIMEOUT_MS = 300000;

/** The footer's words for a restore the server answered but did not use. */
export const RESTORE_NOT_REUSED = 'saved prefix not reused: recomputed and saved again';

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
    this._root = root;
    this._fetch = options.fetch ?? ((input, init) => fetch(input, init));
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
    yield* this._untilServing(options.signal);
    if (request.tools?.length) {
      await this._checkTemplateTakesTools(request, options.signal);
    }
    let state = this._slots ? await this._slots.prepare(request, options.signal) : 'unsupported';
    this._lastPrefix = state;
    for await (const part of this._chat.stream(request, options)) {
      if (part.type === 'finish' && this._slots) {
        let notice = state === 'restored' ? 'prefix restored from disk' : '';
        if (state === 'restored' && part.usage.cacheRead === 0) {
          // llama.cpp has answered restores with success and then computed the whole prompt:
          // believe the next response's cached tokens, not the restore's answer.
          state = this._lastPrefix = 'cold';
          notice = RESTORE_NOT_REUSED;
        }
        void this._slots.afterReply(request, state);
        if (notice) {
          yield { ...part, notice: [part.notice, notice].filter(Boolean).join(' · ') };
          continue;
        }
      }
      yield part;
    }
  }

  /**
   * While the server answers 503 (llama.cpp loading its model, or the Jupyter server starting
   * its engine), say what it says and ask again after its Retry-After. Anything else, also
   * no answer at all, ends the wait: the request then meets what there is.
   */
  private async *_untilServing(signal?: AbortSignal): AsyncIterable<StreamPart> {
    let waited = false;
    for (const deadline = Date.now() + STARTING_TIMEOUT_MS; Date.now() < deadline && !signal?.aborted; ) {
      let response: Response;
      try {
        response = await this._fetch(`${this._root}/health`, { signal });
      } catch {
        break;
      }
      if (response.status !== 503) {
        break;
      }
      const body = (await response.json().catch(() => ({}))) as { error?: { message?: string } };
      yield { type: 'status', text: body.error?.message || 'The local model server is loading its model…' };
      waited = true;
      const seconds = Math.min(Math.max(Number(response.headers.get('retry-after')) || 1, 0.2), 10);
      await new Promise(resolve => setTimeout(resolve, seconds * 1000));
    }
    if (waited) {
      yield { type: 'status', text: 'Waiting for the reply…' };
    }
  }

  /**
   * llama.cpp started with `--jinja` accepts `tools` for any model, but a chat template that
   * renders none (SmolLM2's) drops them without a word, and the model never calls them.
   * `/props` says which: refuse such a request with a message rather than send it. Servers
   * without `/props` (Ollama, vLLM) are sent the tools and answer for themselves.
   */
  private async _checkTemplateTakesTools(request: ChatRequest, signal?: AbortSignal): Promise<void> {
    if (this._templateTakesTools) {
      return;
    }
    let caps: { supports_tools?: unknown } | undefined;
    let alias = request.model;
    try {
      const response = await this._fetch(`${this._root}/props`, { signal });
      if (!response.ok) {
        return;
      }
      const props = (await response.json()) as { chat_template_caps?: { supports_tools?: unknown }; model_alias?: unknown };
      caps = props.chat_template_caps;
      alias = typeof props.model_alias === 'string' && props.model_alias ? props.model_alias : alias;
    } catch {
      return;
    }
    if (caps?.supports_tools === false) {
      const names = (request.tools ?? []).map(t => `&\`${t.name}\``).join(', ');
      throw new ProviderError(
        'unsupported',
        `${this.label} serves ${alias}, whose chat template takes no tools: llama.cpp would drop ${names} and the model could never call them. ` +
          'Serve a model whose chat template supports tool calls, choose Anthropic or OpenAI for this notebook (Model for This Notebook…), ' +
          'or remove the &`name` references from the prompts.'
      );
    }
    this._templateTakesTools = caps?.supports_tools === true;
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
  private _templateTakesTools = false;
  private _slots: LlamaSlotCache | null;
  private _root: string;
  private _fetch: typeof fetch;
  private _lastPrefix: PrefixState | undefined;
}
