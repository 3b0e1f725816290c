/**
 * The tool loop: stream a reply; when the model calls tools, run them in order, write each
 * call and its result into the reply as a `{.tool}` block, send the results back and stream
 * on, until the model ends, the step limit, a stop or a failure. Never throws: whatever
 * happened, the reply so far is kept, with every call in it answered.
 */
import { continueRequest } from '../request/continue';
import { replyTurns } from '../context/reply-turns';
import { appendToolBlock, writeThinking } from '../context/tool-blocks';
import { ChatProvider } from '../providers/provider';
import { ReplyResult, streamReply } from '../reply/reply';
import { ChatRequest, NO_USAGE, ToolCall, ToolOutcome, Turn, Usage } from '../types';

/** Runs one tool call; resolves with its outcome (a failing tool is an error outcome). */
export type ToolExecutor = (call: ToolCall, signal?: AbortSignal) => Promise<ToolOutcome>;

/** Options of {@link runToolLoop}. */
export interface ToolLoopOptions {
  /** Most model requests in one reply (the setting, default 10). */
  maxSteps: number;
  /** Leading parts of the first turn that are pinned cells (`Dialogue.pinnedParts`). */
  pinnedParts: number;
  /** Runs a call; a throw means the tool could not be run at all (no kernel): the loop ends. */
  execute: ToolExecutor;
  signal?: AbortSignal;
  /** Called with the whole reply so far, tool blocks included, whenever it grows. */
  onText?: (reply: string) => void;
  /** Called with what the provider says it is doing before the reply starts (e.g. restoring a cache). */
  onStatus?: (text: string) => void;
  /** Called just before each request leaves (step from 1). */
  onRequest?: (step: number, request: ChatRequest) => void;
  /** Clock in milliseconds; injectable for tests. */
  now?: () => number;
}

/** A reply made of one or more steps. */
export interface ToolLoopResult extends ReplyResult {
  /** Model requests made. */
  steps: number;
  /** Usage of each step; `usage` is their sum. */
  stepUsage: Usage[];
}

/**
 * Run a prompt's request to the end of its tool loop.
 *
 * @param provider - The provider.
 * @param request - The prompt's request (tools offered in it).
 * @param options - Step limit, executor, signal, progress callbacks.
 */
export async function runToolLoop(provider: ChatProvider, request: ChatRequest, options: ToolLoopOptions): Promise<ToolLoopResult> {
  const now = options.now ?? (() => Date.now());
  const start = now();
  const stepUsage: Usage[] = [];
  const calls: ToolCall[] = [];
  const notices: string[] = [];
  let reply = '';
  let thinking = '';
  let firstTokenMs: number | undefined;
  let current = request;
  // The steps as the model took them: a step without text between its calls and the
  // previous step's would read back from the saved reply as one step (SolveIt's format has
  // no boundary there), but the loop sends each as it happened.
  const steps: Turn[] = [];
  const results = new Map<string, string>();
  // Where the last tool block (and the blank line written after it) ends: a reply that ends
  // on a call loses that blank line; any other keeps its text exactly as the model sent it.
  let blockEnd = -1;
  const end = (last: ReplyResult, rest: Partial<ReplyResult>): ToolLoopResult => ({
    ...last,
    text: reply.length === blockEnd ? reply.replace(/\n\n$/, '') : reply,
    usage: Private.sum(stepUsage),
    durationMs: now() - start,
    firstTokenMs,
    toolCalls: calls,
    thinking,
    ...(notices.length ? { notice: notices.join(' ') } : {}),
    ...rest,
    steps: stepUsage.length,
    stepUsage
  });
  for (;;) {
    const before = reply;
    const stepStart = now();
    options.onRequest?.(stepUsage.length + 1, current);
    const result = await streamReply(provider, current, {
      signal: options.signal,
      now,
      onStatus: options.onStatus,
      // Thinking joins the reply when its step ends; while it streams, the text shows.
      onText: text => options.onText?.(Private.compose(before, '', text))
    });
    stepUsage.push(result.usage);
    thinking += result.thinking;
    if (firstTokenMs === undefined && result.firstTokenMs !== undefined) {
      firstTokenMs = stepStart - start + result.firstTokenMs;
    }
    if (result.notice && !notices.includes(result.notice)) {
      notices.push(result.notice);
    }
    reply = Private.compose(before, result.thinking, result.text);
    // Calls of a step that failed or was stopped are not run: none was answered yet.
    if (result.error || result.stopReason === 'stopped' || !result.toolCalls.length) {
      return end(result, {});
    }
    for (const call of result.toolCalls) {
      const running = reply;
      options.onText?.(appendToolBlock(running, { ...call }));
      let outcome: ToolOutcome;
      try {
        outcome = await options.execute(call, options.signal);
      } catch (e) {
        const message = `${call.name} could not be run: ${(e as Error)?.message ?? e}`;
        reply = appendToolBlock(running, { ...call, result: message, isError: true });
        blockEnd = reply.length;
        calls.push(call);
        options.onText?.(reply);
        return end(result, { stopReason: 'error', error: { kind: 'tool', message: `${message}. The reply so far, with the calls already made, is kept.` } });
      }
      reply = appendToolBlock(running, { ...call, result: outcome.result, isError: outcome.isError });
      results.set(call.id, outcome.result);
      blockEnd = reply.length;
      calls.push(call);
      options.onText?.(reply);
      if (options.signal?.aborted) {
        return end(result, { stopReason: 'stopped' });
      }
    }
    if (stepUsage.length >= options.maxSteps) {
      notices.push(`The tool loop stopped at its limit of ${options.maxSteps} steps (setting "Most tool steps per reply"); the calls made are kept. Ask again in a new prompt to go on.`);
      return end(result, { stopReason: 'step_limit' });
    }
    // Read back as the next prompt reads the saved cell (text trimmed, thinking left out), so
    // the bytes sent now are the bytes sent later; but with each result whole, as the tool
    // gave it: the block keeps 2,000 characters of it, the model works with all of it.
    const turns = Private.withResults(replyTurns(reply.slice(before.length)), results);
    if (result.thinkingSignature && turns[0]?.role === 'assistant') {
      // With thinking on, the API wants the step's signed thinking before its tool calls.
      turns[0].parts.unshift({ type: 'thinking', text: result.thinking, signature: result.thinkingSignature });
    }
    steps.push(...turns);
    current = continueRequest(request, steps, options.pinnedParts);
  }
}

namespace Private {
  /** A step's thinking and text after the reply so far. */
  export function compose(before: string, thinking: string, text: string): string {
    return `${before}${thinking.trim() ? writeThinking(thinking) : ''}${text}`;
  }

  /** Turns with each tool result replaced by the whole result the tool gave. */
  export function withResults(turns: Turn[], results: Map<string, string>): Turn[] {
    return turns.map(t => ({
      role: t.role,
      parts: t.parts.map(p => (p.type === 'tool_result' && results.has(p.id) ? { ...p, result: results.get(p.id) as string } : p))
    }));
  }

  /** The sum of the steps' usage. */
  export function sum(steps: Usage[]): Usage {
    const total: Usage = { ...NO_USAGE, cacheWrite1h: 0 };
    for (const u of steps) {
      total.input += u.input;
      total.output += u.output;
      total.cacheRead += u.cacheRead;
      total.cacheWrite += u.cacheWrite;
      total.cacheWrite1h = (total.cacheWrite1h ?? 0) + (u.cacheWrite1h ?? 0);
    }
    return total;
  }
}
