/**
 * Lay out a request for caching (DESIGN §3): system instructions, then the docs, then the
 * dialogue, oldest first, with cache marks after the docs, at the end of the previous
 * assistant turn and on the last block. Nothing volatile goes in.
 */
import { Dialogue } from '../context/dialogue';
import { AISettings, DialogMode } from '../settings';
import { SHARED } from '../shared';
import { CacheMark, ChatRequest, DocPart, Part, ToolSpec, Turn } from '../types';

/** What the model is told about the notebook, whatever the mode. */
export const BASE_INSTRUCTIONS = SHARED.instructions.base.join(' ');

/** SolveIt's dialog modes, as instructions. */
export const MODE_INSTRUCTIONS: Record<DialogMode, string> = SHARED.instructions.modes;

/** Inputs of {@link buildChatRequest} besides the dialogue. */
export interface RequestInputs {
  settings: AISettings;
  /** Dialog mode of the notebook. */
  mode: DialogMode;
  /** Extra instructions from the notebook's metadata. */
  notebookSystem?: string;
  /** The notebook's enabled docs, in order. */
  docs?: Omit<DocPart, 'cache'>[];
  /** Ask for extended thinking. */
  thinking?: boolean;
  /** Stable per-notebook cache key. */
  cacheKey?: string;
  /** Tools offered to the model, in the order of {@link offeredToolNames}. */
  tools?: ToolSpec[];
}

/**
 * Assemble the neutral request for a dialogue.
 *
 * @param dialogue - Turns from `buildDialogue`.
 * @param inputs - Settings, mode, docs.
 */
export function buildChatRequest(dialogue: Dialogue, inputs: RequestInputs): ChatRequest {
  const { settings } = inputs;
  const system = [BASE_INSTRUCTIONS, MODE_INSTRUCTIONS[inputs.mode], settings.systemPrompt, inputs.notebookSystem ?? '']
    .map(s => s.trim())
    .filter(s => s)
    .join('\n\n');
  const docs: DocPart[] = (inputs.docs ?? []).map(d => ({ ...d }));
  if (docs.length) {
    docs[docs.length - 1].cache = { ttl: settings.docsCacheTTL };
  }
  const request: ChatRequest = {
    model: settings.model,
    maxTokens: settings.maxTokens,
    system,
    docs,
    turns: markTurns(dialogue.turns)
  };
  markPinned(request, dialogue.pinnedParts ?? 0);
  if (inputs.thinking && settings.thinkingBudget > 0) {
    request.thinkingBudget = settings.thinkingBudget;
  }
  if (inputs.cacheKey) {
    request.cacheKey = inputs.cacheKey;
  }
  if (inputs.tools?.length) {
    request.tools = inputs.tools.map(t => ({ ...t }));
  }
  return request;
}

/**
 * Copy the turns with a cache mark at the end of the previous assistant turn and on the
 * last part of the request.
 *
 * The first lets the next prompt read everything up to the previous reply even when more
 * than 20 blocks were added since; the second writes the whole dialogue for the next prompt.
 *
 * @param turns - Alternating turns ending with the user.
 */
export function markTurns(turns: Turn[]): Turn[] {
  const marked: Turn[] = turns.map(t => ({ role: t.role, parts: t.parts.map(p => ({ ...p })) }));
  const mark: CacheMark = { ttl: '5m' };
  const last = marked[marked.length - 1];
  setMark(last.parts, mark);
  for (let i = marked.length - 2; i >= 0; i--) {
    if (marked[i].role === 'assistant') {
      setMark(marked[i].parts, mark);
      break;
    }
  }
  return marked;
}

/** Most cache breakpoints a request may carry (Anthropic). */
export const MAX_CACHE_MARKS = 4;

/**
 * Put a cache mark after the pinned cells at the start of the first turn, so they are read
 * from the cache even when trimming for the budget changes what follows them. Skipped when
 * the request already has the most marks allowed.
 *
 * @param request - The request, turns already marked.
 * @param pinnedParts - How many leading parts of the first turn are pinned cells.
 */
export function markPinned(request: ChatRequest, pinnedParts: number): void {
  const part = request.turns[0]?.parts[pinnedParts - 1];
  if (pinnedParts <= 0 || !part || part.cache) {
    return;
  }
  const marks =
    (request.systemCache ? 1 : 0) +
    request.docs.filter(d => d.cache).length +
    request.turns.reduce((n, t) => n + t.parts.filter(p => p.cache).length, 0);
  if (marks < MAX_CACHE_MARKS) {
    part.cache = { ttl: '5m' };
  }
}

/**
 * Put a cache mark on the last part of a list.
 */
function setMark(parts: Part[], mark: CacheMark): void {
  if (parts.length) {
    parts[parts.length - 1].cache = { ...mark };
  }
}
