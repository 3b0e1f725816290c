/**
 * The request for the next step of a tool loop: the prompt's request, then the reply so far
 * as turns, with the cache marks moved to the end of what is new.
 */
import { pushTurn } from '../context/reply-turns';
import { ChatRequest, Turn } from '../types';
import { markPinned, markTurns } from './prompt';

/**
 * The request that continues a reply whose tool calls have their results.
 *
 * Each step's request is the previous one plus that step's turns, so every step reads what
 * came before it from the cache.
 *
 * @param request - The prompt's request (its turns end with the user's prompt).
 * @param steps - The turns of the steps so far (each step's part of the reply read by `replyTurns`), ending with tool results.
 * @param pinnedParts - Leading parts of the first turn that are pinned cells (`Dialogue.pinnedParts`).
 */
export function continueRequest(request: ChatRequest, steps: Turn[], pinnedParts: number): ChatRequest {
  const turns: Turn[] = request.turns.map(t => ({ role: t.role, parts: t.parts.map(({ cache: _cache, ...p }) => p) }));
  for (const turn of steps) {
    pushTurn(turns, { role: turn.role, parts: turn.parts.map(p => ({ ...p })) });
  }
  const next: ChatRequest = { ...request, turns: markTurns(turns) };
  markPinned(next, pinnedParts);
  return next;
}
