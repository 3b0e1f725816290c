/**
 * What the fake "generates": by default a reply derived from the request, so tests can
 * predict it; otherwise the next canned reply. Then `stop_sequences` and `max_tokens` cut
 * it as the API would, and it is split into small deltas for streaming.
 */
import { signThinking } from './signature';
import { TOKENS, textTokens } from './tokens';
import { ValidMessage, ValidRequest } from './validate';
import { Json } from './json';

/** A planned reply, before streaming or serialising. */
export interface Reply {
  /** Thinking block, when thinking is on. */
  thinking?: { text: string; signature: string };
  text: string;
  stopReason: 'end_turn' | 'max_tokens' | 'stop_sequence' | 'tool_use';
  /** Tool calls after the text (scripted replies), streamed as `tool_use` blocks. */
  toolCalls?: Array<{ id: string; name: string; input: Json }>;
  stopSequence: string | null;
  /** Output tokens: thinking plus text. */
  outputTokens: number;
  thinkingTokens: number;
}

/**
 * The default reply to the Nth generating request (N counts from 1 per server).
 *
 * @param n - The request's number.
 * @param userText - The last user text block (see `lastUserText`).
 */
export function defaultReplyText(n: number, userText: string): string {
  const snippet = userText.replace(/\s+/g, ' ').trim().slice(0, 80);
  return `Fake reply #${n} to: "${snippet}"\n\n\`\`\`python\nprint("fake reply ${n}")\n\`\`\`\n`;
}

/**
 * The text of the last text block of the last user message ('' if it has none).
 *
 * @param messages - The request's messages.
 */
export function lastUserText(messages: ValidMessage[]): string {
  const user = [...messages].reverse().find(m => m.role === 'user');
  const text = [...(user?.content ?? [])].reverse().find(b => b.type === 'text');
  return typeof text?.json.text === 'string' ? text.json.text : '';
}

/**
 * Plan the reply to a request.
 *
 * @param request - The validated request (with `max_tokens`).
 * @param text - The reply text before any cut.
 * @param n - The request's number (used in the thinking text).
 */
export function planReply(request: ValidRequest, text: string, n: number, calls: Array<{ id: string; name: string; input: Json }> = []): Reply {
  let budget = request.maxTokens ?? 0;
  let thinking: Reply['thinking'];
  let thinkingTokens = 0;
  if (request.thinking && request.thinking.type !== 'between_tools') {
    const full = Private.cut(`Fake thinking #${n}: the user asked "${lastUserText(request.messages).slice(0, 40)}"; a short answer with code will do.`, budget);
    const shown = request.thinking.display === 'omitted' ? '' : full;
    thinkingTokens = textTokens(full);
    budget -= thinkingTokens;
    thinking = { text: shown, signature: signThinking(shown) };
  }

  let stopReason: Reply['stopReason'] = 'end_turn';
  let stopSequence: string | null = null;
  const found = request.stopSequences
    .map(seq => ({ seq, at: text.indexOf(seq) }))
    .filter(f => f.at >= 0)
    .sort((a, b) => a.at - b.at)[0];
  if (found) {
    text = text.slice(0, found.at);
    stopReason = 'stop_sequence';
    stopSequence = found.seq;
  }
  if (textTokens(text) > budget) {
    text = Private.cut(text, budget);
    stopReason = 'max_tokens';
    stopSequence = null;
  }
  const planned: Reply = { thinking, text, stopReason, stopSequence, outputTokens: thinkingTokens + textTokens(text), thinkingTokens };
  if (calls.length && stopReason === 'end_turn') {
    // The calls come after the text, so a cut text never gets them.
    planned.toolCalls = calls;
    planned.stopReason = 'tool_use';
    planned.outputTokens += calls.reduce((sum, c) => sum + textTokens(c.name + JSON.stringify(c.input)), 0);
  }
  return planned;
}

/**
 * Split text into deltas of a few words each; joined, they give the text back exactly.
 *
 * @param text - The text.
 * @param wordsPerDelta - Words per delta.
 */
export function splitDeltas(text: string, wordsPerDelta: number): string[] {
  // Each piece is a run of non-space followed by its trailing space, so nothing is lost.
  const words = text.match(/\s*\S+\s*/g) ?? (text ? [text] : []);
  const deltas: string[] = [];
  for (let i = 0; i < words.length; i += wordsPerDelta) {
    deltas.push(words.slice(i, i + wordsPerDelta).join(''));
  }
  return deltas;
}

namespace Private {
  /** The longest start of `text` within `tokens`, not splitting a surrogate pair. */
  export function cut(text: string, tokens: number): string {
    let end = Math.max(0, tokens) * TOKENS.charsPerToken;
    if (end >= text.length) {
      return text;
    }
    if (end > 0 && /[\uD800-\uDBFF]/.test(text[end - 1])) {
      end -= 1;
    }
    return text.slice(0, end);
  }
}
