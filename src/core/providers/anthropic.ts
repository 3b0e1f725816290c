/**
 * Claude through the official `@anthropic-ai/sdk`, streamed.
 */
import type Anthropic from '@anthropic-ai/sdk';
import { ChatRequest, StreamPart, Usage } from '../types';
import { toAnthropicBody } from './anthropic-body';
import { ChatProvider, ClientOptions, StreamOptions, sdkClientOptions } from './provider';
import { LazyClient, loadAnthropic } from './sdk';
import { toProviderError } from './to-provider-error';
import { parseToolArgs } from './tool-args';

/** How to reach Anthropic; `baseURL` is the API root without `/v1`. */
export type AnthropicOptions = ClientOptions;

/** Anthropic's Messages API. */
export class AnthropicProvider implements ChatProvider {
  readonly id = 'anthropic';
  readonly label = 'Anthropic';

  /**
   * @param options - Key, base URL and transport.
   */
  constructor(private readonly options: AnthropicOptions) {
    this._client = new LazyClient(async () => new (await loadAnthropic())(sdkClientOptions(options)));
  }

  /** {@inheritDoc ChatProvider.body} */
  body(request: ChatRequest): Record<string, unknown> {
    return toAnthropicBody(request);
  }

  /** {@inheritDoc ChatProvider.stream} */
  async *stream(request: ChatRequest, options: StreamOptions = {}): AsyncIterable<StreamPart> {
    const body = this.body(request) as unknown as Anthropic.MessageCreateParamsStreaming;
    let midReply = false;
    try {
      const stream = (await this._client.get()).messages.stream(body, { signal: options.signal });
      // Tool calls by block index: the arguments arrive as JSON fragments, whole at the block's end.
      const calls = new Map<number, { id: string; name: string; json: string }>();
      let usage: Usage | undefined;
      for await (const event of stream) {
        if (event.type === 'message_start') {
          // The input is billed from here on, whatever happens to the rest of the stream.
          usage = toUsage(event.message.usage);
          yield { type: 'usage', usage, model: event.message.model };
        } else if (event.type === 'message_delta' && usage) {
          usage = mergeDeltaUsage(usage, event.usage);
          yield { type: 'usage', usage };
        } else if (event.type === 'content_block_start' && event.content_block.type === 'tool_use') {
          calls.set(event.index, { id: event.content_block.id, name: event.content_block.name, json: '' });
        } else if (event.type === 'content_block_delta') {
          if (event.delta.type === 'text_delta' && event.delta.text) {
            midReply = true;
            yield { type: 'text', text: event.delta.text };
          } else if (event.delta.type === 'thinking_delta' && event.delta.thinking) {
            yield { type: 'thinking', text: event.delta.thinking };
          } else if (event.delta.type === 'signature_delta') {
            yield { type: 'thinking', text: '', signature: event.delta.signature };
          } else if (event.delta.type === 'input_json_delta') {
            const call = calls.get(event.index);
            if (call) {
              call.json += event.delta.partial_json;
            }
          }
        } else if (event.type === 'content_block_stop' && calls.has(event.index)) {
          const call = calls.get(event.index)!;
          calls.delete(event.index);
          midReply = true;
          yield { type: 'tool_call', call: { id: call.id, name: call.name, args: parseToolArgs(call.json) } };
        }
      }
      const message = await stream.finalMessage();
      yield { type: 'finish', stopReason: message.stop_reason ?? 'end_turn', usage: toUsage(message.usage), model: message.model };
    } catch (error) {
      throw toProviderError(options.signal?.aborted ? { name: 'AbortError' } : error, {
        label: this.label,
        keyEnv: this.options.keyEnv,
        endpoint: this.options.endpoint,
        midReply
      });
    }
  }

  /** {@inheritDoc ChatProvider.countTokens} */
  async countTokens(request: ChatRequest): Promise<number> {
    // The counting endpoint takes the same body minus what only generation uses.
    const { max_tokens: _max, stream: _stream, ...params } = this.body(request);
    try {
      const count = await (await this._client.get()).messages.countTokens(params as unknown as Anthropic.MessageCountTokensParams);
      return count.input_tokens;
    } catch (error) {
      throw toProviderError(error, { label: this.label, keyEnv: this.options.keyEnv, endpoint: this.options.endpoint });
    }
  }

  /** {@inheritDoc ChatProvider.listModels} */
  async listModels(): Promise<string[]> {
    try {
      const ids: string[] = [];
      for await (const model of (await this._client.get()).models.list({ limit: 100 })) {
        ids.push(model.id);
      }
      return ids;
    } catch (error) {
      throw toProviderError(error, { label: this.label, keyEnv: this.options.keyEnv, endpoint: this.options.endpoint });
    }
  }

  private _client: LazyClient<Anthropic>;
}

/**
 * The usage after a `message_delta`: its counts are cumulative; input fields it leaves null
 * keep their values from `message_start`.
 */
function mergeDeltaUsage(usage: Usage, delta: Anthropic.MessageDeltaUsage): Usage {
  return {
    ...usage,
    output: delta.output_tokens ?? usage.output,
    input: delta.input_tokens ?? usage.input,
    cacheRead: delta.cache_read_input_tokens ?? usage.cacheRead,
    cacheWrite: delta.cache_creation_input_tokens ?? usage.cacheWrite
  };
}

/**
 * Anthropic usage -> neutral usage.
 */
function toUsage(usage: Anthropic.Usage | undefined): Usage {
  return {
    input: usage?.input_tokens ?? 0,
    output: usage?.output_tokens ?? 0,
    cacheRead: usage?.cache_read_input_tokens ?? 0,
    cacheWrite: usage?.cache_creation_input_tokens ?? 0,
    cacheWrite1h: usage?.cache_creation?.ephemeral_1h_input_tokens ?? 0
  };
}

