/**
 * A reply as the dialogue sends it again: its text, and its tool calls as the provider's own
 * tool-use and tool-result turns (not as text), thinking left out.
 */
import { Part, ToolResultPart, ToolUsePart, Turn } from '../types';
import { parseReply } from './tool-blocks';

/**
 * The turns a reply stands for, starting with the assistant.
 *
 * Text before a call and the call form an assistant turn; the results of the calls next to
 * each other form the user turn after it; text after a result starts the next assistant
 * turn. A reply that ends with calls ends with the user turn of their results, which the
 * next prompt joins (results first, as the providers require).
 *
 * @param reply - The reply text, in SolveIt's format.
 * @returns The turns; empty when the reply holds nothing to send.
 */
export function replyTurns(reply: string): Turn[] {
  const turns: Turn[] = [];
  let said: Part[] = [];
  let results: ToolResultPart[] = [];
  const flush = (): void => {
    turns.push({ role: 'assistant', parts: said });
    if (results.length) {
      turns.push({ role: 'user', parts: results });
    }
    said = [];
    results = [];
  };
  for (const segment of parseReply(reply)) {
    if (segment.type === 'text') {
      const text = segment.text.trim();
      if (!text) {
        continue;
      }
      if (results.length) {
        flush();
      }
      said.push({ type: 'text', text });
    } else {
      const { id, name, args, result, isError } = segment.block;
      const use: ToolUsePart = { type: 'tool_use', id, name, args };
      said.push(use);
      results.push({ type: 'tool_result', id, result: result ?? '', ...(isError ? { isError: true } : {}) });
    }
  }
  if (said.length) {
    flush();
  }
  return turns;
}

/**
 * Append a turn, joining it to the last one when both are the user's (a reply that ended
 * with tool results, then the next prompt).
 *
 * @param turns - The turns so far (changed).
 * @param turn - The turn to add.
 */
export function pushTurn(turns: Turn[], turn: Turn): void {
  const last = turns[turns.length - 1];
  if (last && last.role === turn.role && turn.role === 'user') {
    last.parts.push(...turn.parts);
  } else {
    turns.push(turn);
  }
}
