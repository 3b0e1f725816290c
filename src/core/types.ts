/**
 * The provider-neutral shapes that flow through the core.
 */

/** How long a cache entry should live, where the provider lets us choose. */
export type CacheTTL = '5m' | '1h';

/** A cache breakpoint: the request up to and including this part should be cached. */
export interface CacheMark {
  ttl: CacheTTL;
}

/** A piece of text in a turn. */
export interface TextPart {
  type: 'text';
  text: string;
  /** Ids of the notebook cells this text renders, oldest first. */
  cellIds?: string[];
  cache?: CacheMark;
}

/** An image in a user turn. */
export interface ImagePart {
  type: 'image';
  mediaType: 'image/png' | 'image/jpeg' | 'image/gif' | 'image/webp';
  /** Base64 without line breaks. */
  data: string;
  /** The cell the image came from. */
  cellId?: string;
  cache?: CacheMark;
}

/** A call the model made to a tool, in an assistant turn (a `{.tool}` block of a reply). */
export interface ToolUsePart {
  type: 'tool_use';
  /** The provider's id of the call; its result carries the same id. */
  id: string;
  name: string;
  args: Record<string, unknown>;
  cache?: CacheMark;
}

/** The result of a tool call, at the start of the user turn after the call. */
export interface ToolResultPart {
  type: 'tool_result';
  /** The id of the call it answers. */
  id: string;
  result: string;
  isError?: boolean;
  cache?: CacheMark;
}

/**
 * The model's thinking at the start of an assistant turn of a tool loop, sent back with its
 * signature while the loop runs (Anthropic requires it there); never read from a saved reply.
 */
export interface ThinkingPart {
  type: 'thinking';
  text: string;
  signature: string;
  cache?: CacheMark;
}

/** A part of a turn. */
export type Part = TextPart | ImagePart | ToolUsePart | ToolResultPart | ThinkingPart;

/** One turn of the dialogue. */
export interface Turn {
  role: 'user' | 'assistant';
  parts: Part[];
}

/** A context document, as it travels in the cached prefix. */
export interface DocPart {
  title: string;
  source: string;
  text: string;
  cache?: CacheMark;
}

/** A provider-neutral chat request, laid out for caching (DESIGN §3). */
export interface ChatRequest {
  model: string;
  maxTokens: number;
  /** System instructions; never empty. */
  system: string;
  /** Cache mark on the system instructions (used when there are no docs). */
  systemCache?: CacheMark;
  docs: DocPart[];
  turns: Turn[];
  /** Extended thinking budget in tokens, when asked for. */
  thinkingBudget?: number;
  /** A stable per-notebook key providers may use to route to the same cache. */
  cacheKey?: string;
  /** Tools offered to the model, in a stable order (first in the cached prefix). */
  tools?: ToolSpec[];
}

/** Token usage of one reply. */
export interface Usage {
  /** Uncached input tokens. */
  input: number;
  output: number;
  /** Input tokens read from the cache. */
  cacheRead: number;
  /** Input tokens written to the cache. */
  cacheWrite: number;
  /** The part of `cacheWrite` written with the 1 hour lifetime (priced higher), when known. */
  cacheWrite1h?: number;
}

/** Why a reply ended. */
export type StopReason =
  | 'end_turn'
  | 'max_tokens'
  | 'stop_sequence'
  | 'refusal'
  | 'stopped'
  | 'error'
  /** The model asked for tools; the loop runs them and asks again. */
  | 'tool_use'
  /** The tool loop reached its step limit. */
  | 'step_limit'
  | string;

/** A piece of a streamed reply. */
export type StreamPart =
  | { type: 'text'; text: string }
  /** What the AI cell shows while it waits (e.g. that the local model is starting); not part of the reply. */
  | { type: 'status'; text: string }
  | { type: 'thinking'; text: string; signature?: string }
  /** A complete tool call: sent once its arguments have all arrived. */
  | { type: 'tool_call'; call: ToolCall }
  /**
   * The usage reported so far (the whole of it, not an increment). Providers that report
   * input at the start of a stream send it then: a reply stopped or cut before its end is
   * billed for that input, so it must not be recorded as zero.
   */
  | { type: 'usage'; usage: Usage; model?: string }
  | {
      type: 'finish';
      stopReason: StopReason;
      usage: Usage;
      model: string;
      /** Something the reply's footer should say, e.g. that the server reported no usage. */
      notice?: string;
    };

/** The empty usage. */
export const NO_USAGE: Usage = Object.freeze({ input: 0, output: 0, cacheRead: 0, cacheWrite: 0 });

/**
 * A tool offered to the model: a kernel callable (`` &`name` `` in a prompt), described by a
 * JSON Schema made in the kernel from its signature, annotations and docstring.
 */
export interface ToolSpec {
  name: string;
  description: string;
  /** JSON Schema of the arguments: `{type: 'object', properties, required?}`. */
  parameters: Record<string, unknown>;
}

/** One call the model made to a tool. */
export interface ToolCall {
  /** The provider's id of the call (Anthropic `toolu_…`, OpenAI `call_…`). */
  id: string;
  name: string;
  args: Record<string, unknown>;
}

/** What running a tool gave: its result as text, or the error it met. */
export interface ToolOutcome {
  result: string;
  isError: boolean;
}
