/**
 * Chat Completions usage and finish reasons -> the neutral shapes.
 *
 * OpenAI counts cached tokens inside `prompt_tokens`; the neutral `input` is the uncached
 * remainder, as Anthropic reports it, so the footer reads the same for every provider.
 */
import { StopReason, Usage } from '../types';

/** The usage fields any Chat Completions server may send (all optional: servers differ). */
export interface ChatUsageLike {
  prompt_tokens?: number | null;
  completion_tokens?: number | null;
  prompt_tokens_details?: { cached_tokens?: number | null; cache_write_tokens?: number | null } | null;
}

/** llama.cpp's own per-reply timings, sent beside the usage. */
export interface LlamaTimingsLike {
  /** Prompt tokens taken from the KV cache. */
  cache_n?: number;
  /** Prompt tokens computed. */
  prompt_n?: number;
  /** Tokens generated. */
  predicted_n?: number;
}

/**
 * Map a usage object.
 *
 * @param usage - The `usage` of the last chunk.
 * @param timings - llama.cpp's `timings`, read when the usage carries no cache details.
 */
export function toOpenAIUsage(usage: ChatUsageLike, timings?: LlamaTimingsLike): Usage {
  const prompt = usage.prompt_tokens ?? 0;
  const details = usage.prompt_tokens_details;
  const cacheRead = details?.cached_tokens ?? timings?.cache_n ?? 0;
  const cacheWrite = details?.cache_write_tokens ?? 0;
  return {
    input: Math.max(0, prompt - cacheRead - cacheWrite),
    output: usage.completion_tokens ?? 0,
    cacheRead,
    cacheWrite
  };
}

/**
 * Map a finish reason to the neutral stop reason.
 *
 * @param reason - `stop`, `length`, `content_filter`, `tool_calls`, … or null.
 */
export function toStopReason(reason: string | null | undefined): StopReason {
  switch (reason) {
    case 'stop':
    case null:
    case undefined:
      return 'end_turn';
    case 'length':
      return 'max_tokens';
    case 'content_filter':
      return 'refusal';
    case 'tool_calls':
    case 'function_call':
      return 'tool_use';
    default:
      return reason;
  }
}
