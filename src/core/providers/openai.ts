/**
 * OpenAI, and any OpenAI-compatible server (llama.cpp's llama-server, Ollama, vLLM,
 * OpenRouter), through the official `openai` SDK: Chat Completions, streamed, with usage.
 */
import type OpenAI from 'openai';
import { ChatRequest, StreamPart, Usage } from '../types';
import { toChatCompletionsBody } from './openai-body';
import { LlamaTimingsLike, toOpenAIUsage, toStopReason } from './openai-usage';
import { ChatProvider, ClientOptions, ProviderError, StreamOptions, sdkClientOptions } from './provider';
import { LazyClient, loadOpenAI } from './sdk';
import { toProviderError } from './to-provider-error';
import { parseToolArgs } from './tool-args';

/** How to reach an OpenAI-style server; `baseURL` includes `/v1`, e.g. `https://api.openai.com/v1`. */
export interface OpenAIOptions extends ClientOptions {
  /** Provider id, e.g. `openai` or `local`. */
  id?: string;
  /** Name for messages, e.g. `OpenAI` or `the local server`. */
  label?: string;
  /** `openai` for OpenAI itself; `compatible` for other servers (see openai-body.ts). */
  dialect?: 'openai' | 'compatible';
  /** Added to the message when the server cannot be reached: how to start it. */
  downHint?: string;
}

/** A chunk as compatible servers send it: OpenAI's shape plus llama.cpp's `timings`. */
type Chunk = OpenAI.Chat.Completions.ChatCompletionChunk & { timings?: LlamaTimingsLike };

/** OpenAI's Chat Completions API, or a server that speaks it. */
export class OpenAIProvider implements ChatProvider {
  readonly id: string;
  readonly label: string;

  /**
   * @param options - Key, base URL, transport and names.
   */
  constructor(private readonly options: OpenAIOptions) {
    this.id = options.id ?? 'openai';
    this.label = options.label ?? 'OpenAI';
    this._client = new LazyClient(async () => new (await loadOpenAI())(sdkClientOptions(options)));
  }

  /** {@inheritDoc ChatProvider.body} */
  body(request: ChatRequest): Record<string, unknown> {
    return toChatCompletionsBody(request, { dialect: this.options.dialect ?? 'openai' });
  }

  /**
   * {@inheritDoc ChatProvider.stream}
   *
   * A server that sends no usage (an old or partial implementation) still gives a reply;
   * its usage then reads zero.
   */
  async *stream(request: ChatRequest, options: StreamOptions = {}): AsyncIterable<StreamPart> {
    const body = this.body(request) as unknown as OpenAI.Chat.Completions.ChatCompletionCreateParamsStreaming;
    let midReply = false;
    let usage: Usage | undefined;
    let timings: LlamaTimingsLike | undefined;
    let finish: string | null | undefined;
    let model = request.model;
    const calls = new Map<number, { id: string; name: string; json: string }>();
    try {
      const stream = await (await this._client.get()).chat.completions.create(body, { signal: options.signal });
      for await (const raw of stream) {
        const chunk = raw as Chunk;
        if (chunk.model) {
          model = chunk.model;
        }
        const choice = chunk.choices?.[0];
        const text = choice?.delta?.content;
        if (text) {
          midReply = true;
          yield { type: 'text', text };
        }
        for (const fragment of choice?.delta?.tool_calls ?? []) {
          // Each call comes in fragments by index: id and name first, then pieces of the arguments.
          const call = calls.get(fragment.index) ?? { id: '', name: '', json: '' };
          call.id ||= fragment.id ?? '';
          call.name ||= fragment.function?.name ?? '';
          call.json += fragment.function?.arguments ?? '';
          calls.set(fragment.index, call);
          midReply = true;
        }
        const reasoning = (choice?.delta as { reasoning_content?: string } | undefined)?.reasoning_content;
        if (reasoning) {
          yield { type: 'thinking', text: reasoning };
        }
        if (choice?.finish_reason) {
          finish = choice.finish_reason;
        }
        if (chunk.usage) {
          usage = toOpenAIUsage(chunk.usage, chunk.timings);
        }
        timings = chunk.timings ?? timings;
      }
    } catch (error) {
      throw this._error(options.signal?.aborted ? { name: 'AbortError' } : error, midReply, request);
    }
    if (options.signal?.aborted) {
      throw new ProviderError('aborted', 'Stopped.');
    }
    for (const [index, call] of [...calls.entries()].sort((a, b) => a[0] - b[0])) {
      let args: Record<string, unknown>;
      try {
        args = parseToolArgs(call.json);
      } catch {
        throw new ProviderError('server', `${this.label} sent a call to ${call.name || 'a tool'} whose arguments are not JSON: ${call.json.slice(0, 200)}`);
      }
      yield { type: 'tool_call', call: { id: call.id || `call_${index}`, name: call.name, args } };
    }
    // llama.cpp sends its own counts on the last chunk even without include_usage.
    if (!usage && timings && typeof timings.prompt_n === 'number') {
      usage = { input: timings.prompt_n, output: timings.predicted_n ?? 0, cacheRead: timings.cache_n ?? 0, cacheWrite: 0 };
    }
    yield {
      type: 'finish',
      stopReason: toStopReason(finish),
      usage: usage ?? { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 },
      model,
      ...(usage ? {} : { notice: `${this.label} reported no token usage (it ignores stream_options.include_usage), so the counts read 0` })
    };
  }

  /**
   * {@inheritDoc ChatProvider.listModels}
   *
   * @throws ProviderError naming the server when it has no `/v1/models`.
   */
  async listModels(): Promise<string[]> {
    try {
      const ids: string[] = [];
      for await (const model of (await this._client.get()).models.list()) {
        ids.push(model.id);
      }
      return ids.sort();
    } catch (error) {
      const err = this._error(error, false);
      if (err.details.status === 404 || err.details.status === 405 || err.details.status === 501) {
        throw new ProviderError(
          'unsupported',
          `${this.label} at ${this.options.endpoint ?? this.options.baseURL ?? 'its address'} has no model list (GET /models answered ${err.details.status}). ` +
            'Type the model name into the settings instead.',
          err.details
        );
      }
      throw err;
    }
  }

  /**
   * Map an error; a prompt longer than the model's window gets its own advice.
   */
  private _error(error: unknown, midReply: boolean, request?: ChatRequest): ProviderError {
    const err = toProviderError(error, this._context(midReply));
    if (request?.tools?.length && (err.kind === 'invalid_request' || err.kind === 'server') && /\btools?\b|jinja|function/i.test(err.message)) {
      return new ProviderError(
        'unsupported',
        `${this.label} does not take tools with model ${request.model}, so the prompt's tools (${request.tools.map(t => `&\`${t.name}\``).join(', ')}) could not be offered. ` +
          (this.id === 'local'
            ? 'Start the local server with tool calls on (llama-server --jinja), or remove the &`name` references from the prompts. '
            : 'Pick a model that supports tools, or remove the &`name` references from the prompts. ') +
          err.message.replace(/^.*? said: /, 'The server said: '),
        err.details
      );
    }
    if (err.kind === 'network' && this.options.downHint) {
      return new ProviderError('network', `${err.message} ${this.options.downHint}`, err.details);
    }
    const code = (error as { code?: unknown })?.code;
    if (err.details.type === 'exceed_context_size_error' || code === 'context_length_exceeded') {
      return new ProviderError(
        'too_large',
        `The prompt is longer than ${this.label} can take (${err.details.status}). Skip some cells, disable some docs, or lower the context budget in the settings` +
          (this.id === 'local' ? '; or start the local server with a larger context (--ctx-size).' : '.') +
          ` ${err.message.replace(/^.*? said: /, 'The server said: ')}`,
        err.details
      );
    }
    return err;
  }

  /** Names for error messages. */
  private _context(midReply: boolean) {
    return { label: this.label, keyEnv: this.options.keyEnv, endpoint: this.options.endpoint, midReply };
  }

  private _client: LazyClient<OpenAI>;
}
