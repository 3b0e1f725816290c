/**
 * Stream one reply from a provider into a result that is always usable: a failure or a
 * stop keeps what arrived and says why it ended. Never throws.
 */
import { ChatProvider, ProviderError } from '../providers/provider';
import { ChatRequest, NO_USAGE, StopReason, ToolCall, Usage } from '../types';

/** How a reply ended. */
export interface ReplyResult {
  /** The reply text received (possibly partial). */
  text: string;
  stopReason: StopReason;
  usage: Usage;
  /** The model that answered, as the provider reported it. */
  model: string;
  durationMs: number;
  /** Milliseconds from the call to the first text. */
  firstTokenMs?: number;
  /** The failure, when the reply did not end normally (`stopped` replies carry none). */
  error?: { kind: string; message: string };
  /** What the provider said about the reply besides its text (shown in the footer). */
  notice?: string;
  /** The tool calls the model made, complete, in order (run by the tool loop). */
  toolCalls: ToolCall[];
  /** The model's thinking, when it showed any. */
  thinking: string;
  /** The signature of that thinking, where the provider gives one (Anthropic). */
  thinkingSignature?: string;
  /** Model requests the reply took (set by the tool loop; one when absent). */
  steps?: number;
}

/** Options of {@link streamReply}. */
export interface ReplyOptions {
  signal?: AbortSignal;
  /** Called with the whole text so far after each chunk. */
  onText?: (text: string) => void;
  /** Called with what the provider says while it waits (e.g. that the local model is starting). */
  onStatus?: (text: string) => void;
  /** Called with each tool call as soon as its arguments are complete. */
  onToolCall?: (call: ToolCall) => void;
  /** Clock in milliseconds; injectable for tests. */
  now?: () => number;
}

/**
 * Stream a reply to the end, a stop or a failure.
 *
 * @param provider - The provider.
 * @param request - The neutral request.
 * @param options - Abort signal, progress callback.
 */
export async function streamReply(provider: ChatProvider, request: ChatRequest, options: ReplyOptions = {}): Promise<ReplyResult> {
  const now = options.now ?? (() => Date.now());
  const start = now();
  let text = '';
  let thinking = '';
  let thinkingSignature: string | undefined;
  const toolCalls: ToolCall[] = [];
  let firstTokenMs: number | undefined;
  // What the provider reported before the end: kept when the reply is stopped or cut.
  let usage: Usage = { ...NO_USAGE };
  let model = request.model;
  const result = (rest: Partial<ReplyResult>): ReplyResult => ({
    text,
    stopReason: 'end_turn',
    usage,
    model,
    durationMs: now() - start,
    firstTokenMs,
    toolCalls,
    thinking,
    ...(thinkingSignature ? { thinkingSignature } : {}),
    ...rest
  });
  try {
    for await (const part of provider.stream(request, { signal: options.signal })) {
      if (part.type === 'text') {
        if (firstTokenMs === undefined) {
          firstTokenMs = now() - start;
        }
        text += part.text;
        options.onText?.(text);
      } else if (part.type === 'status') {
        options.onStatus?.(part.text);
      } else if (part.type === 'thinking') {
        thinking += part.text;
        thinkingSignature = part.signature ?? thinkingSignature;
      } else if (part.type === 'tool_call') {
        toolCalls.push(part.call);
        options.onToolCall?.(part.call);
      } else if (part.type === 'usage') {
        usage = { ...part.usage };
        model = part.model || model;
      } else if (part.type === 'finish') {
        return result({ stopReason: part.stopReason, usage: part.usage, model: part.model || request.model, ...(part.notice ? { notice: part.notice } : {}) });
      }
    }
    return result({ stopReason: 'end_turn' });
  } catch (error) {
    const err =
      error instanceof ProviderError ? error : new ProviderError('server', `Unexpected failure: ${String((error as Error)?.message ?? error)}`);
    if (err.kind === 'aborted' || options.signal?.aborted) {
      return result({ stopReason: 'stopped' });
    }
    return result({ stopReason: 'error', error: { kind: err.kind, message: err.message } });
  }
}
