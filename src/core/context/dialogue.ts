/**
 * Turn the cells above an AI cell into dialogue turns (DESIGN §2).
 *
 * At each earlier AI cell the dialogue turns: the cells since the previous AI cell plus
 * that cell's prompt form a user turn, its reply (as edited) the assistant turn. Skipped
 * cells are left out; when the context passes the budget the oldest unpinned cells go first.
 *
 * Pinned cells (other than answered AI cells, which are turns) are rendered once, in notebook
 * order, at the very start of the first user turn: right after the docs, inside the cached
 * prefix, where trimming older cells for the budget never moves them.
 */
import { asAICell, hasFlag, isAICell, splitAICell } from './aicell';
import { IMAGE_TOKENS, attachmentParts, imageParts } from './images';
import { CellJSON, NotebookJSON, joinText } from '../nbformat';
import { widgetNames } from './output-text';
import { RenderOptions, renderCell } from './render';
import { SHARED } from '../shared';
import { ImagePart, Part, Turn } from '../types';
import { expandVariables, findVariables, recordedVariables } from './variables';
import { pushTurn, replyTurns } from './reply-turns';
import { stripThinking } from './tool-blocks';

/** Options of {@link buildDialogue}. */
export interface DialogueOptions extends RenderOptions {
  /** Most input tokens the dialogue may take (estimated); 0 for no limit. */
  budgetTokens: number;
  /**
   * Values of the kernel variables the prompt names (`$`name``); when given, every name
   * must have one. Earlier prompts use the values recorded when they were sent.
   */
  variables?: Record<string, string>;
  /** Longest variable value kept, in characters; 0 for no limit. */
  maxVariableChars?: number;
}

/** The dialogue for one AI cell. */
export interface Dialogue {
  /** User and assistant turns, alternating, starting and ending with the user. */
  turns: Turn[];
  /** The prompt of the AI cell being run. */
  prompt: string;
  /** Ids (or `#index` where a cell has no id) of cells left out for the budget. */
  omitted: string[];
  /** Number of cells (skipped ones excluded) the context was built from. */
  cellCount: number;
  /** How many leading parts of the first turn are the pinned cells (0 when none). */
  pinnedParts: number;
}

/** A problem that stops a prompt before anything is sent. */
export class PromptError extends Error {
  /**
   * @param message - What the user reads.
   */
  constructor(message: string) {
    super(message);
    this.name = 'PromptError';
  }
}

/** One cell above the prompt, rendered once. */
interface Unit {
  label: string;
  pinned: boolean;
  tokens: number;
  /** Rendered context text, for ordinary cells and unanswered prompts. */
  text?: string;
  /** Images of the cell's outputs, sent after its text. */
  images?: ImagePart[];
  /** For answered AI cells. */
  prompt?: string;
  reply?: string;
}

/**
 * Estimate tokens of a text: about four characters a token for English and code.
 *
 * @param text - Any text.
 */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/**
 * Build the dialogue for the AI cell at `index`.
 *
 * @param notebook - The notebook (only cells up to `index` are read).
 * @param index - Index of the AI cell to run.
 * @param options - Output limit and budget.
 * @throws PromptError when the cell is not an AI cell or its prompt is empty.
 */
export function buildDialogue(notebook: NotebookJSON, index: number, options: DialogueOptions): Dialogue {
  const target = notebook.cells[index] && asAICell(notebook.cells[index]);
  if (!target || !isAICell(target)) {
    throw new PromptError(`Cell ${index} is not an AI cell.`);
  }
  const prompt = splitAICell(target.source).prompt.trim();
  if (!prompt) {
    throw new PromptError('The prompt is empty: write a question above the reply line and run the cell again.');
  }
  const values = options.variables;
  const missing = values ? findVariables(prompt).filter(name => typeof values[name] !== 'string') : [];
  if (missing.length) {
    throw new PromptError(`No value for ${missing.map(n => `$\`${n}\``).join(', ')}: the kernel did not give one.`);
  }
  const sent = expandVariables(prompt, values ?? {}, options.maxVariableChars ?? 0);
  const rendering: DialogueOptions = { ...options, widgetNames: options.widgetNames ?? widgetNames(notebook.metadata) };
  const units: Unit[] = [];
  for (let i = 0; i < index; i++) {
    // A `%%ai` code cell (run by the kernel-side magic) is an AI cell like any other.
    const cell = asAICell(notebook.cells[i]);
    if (!hasFlag(cell, 'skipped')) {
      units.push(Private.unitOf(cell, i, rendering));
    }
  }
  const omitted = Private.trimToBudget(units, estimateTokens(sent), options.budgetTokens);
  const pinned = Private.pinnedParts(units);
  const turns = Private.toTurns(
    units.filter(u => !(u.pinned && u.reply === undefined)),
    sent,
    options.images ? attachmentParts(target, splitAICell(target.source).prompt) : []
  );
  turns[0].parts.unshift(...pinned);
  return { turns, prompt, omitted, cellCount: units.length, pinnedParts: pinned.length };
}

namespace Private {
  /**
   * Render one cell into a unit of the dialogue.
   */
  export function unitOf(cell: CellJSON, index: number, options: DialogueOptions): Unit {
    const label = cell.id || `#${index}`;
    const pinned = hasFlag(cell, 'pinned');
    if (isAICell(cell)) {
      const { prompt, reply } = splitAICell(cell.source);
      const images = options.images ? attachmentParts(cell, prompt) : [];
      if (reply !== null && stripThinking(reply).trim()) {
        const p = expandVariables(prompt.trim(), recordedVariables(cell.metadata), options.maxVariableChars ?? 0);
        const r = reply.trim();
        return withImages({ label, pinned, prompt: p, reply: r, tokens: estimateTokens(p) + estimateTokens(r) }, images);
      }
      // An unanswered prompt is context for the next one, not a turn of its own.
      const text = renderCell(cell, options, prompt);
      return withImages({ label, pinned, text, tokens: estimateTokens(text) }, images);
    }
    if (cell.cell_type !== 'code' && !joinText(cell.source).trim()) {
      return { label, pinned, text: '', tokens: 0 };
    }
    const text = renderCell(cell, options);
    if (!options.images) {
      return { label, pinned, text, tokens: estimateTokens(text) };
    }
    // Code: the images of its outputs; notes: the pasted images their text shows.
    const images = cell.cell_type === 'code' ? imageParts(cell.outputs, cell.id) : attachmentParts(cell, joinText(cell.source));
    return withImages({ label, pinned, text, tokens: estimateTokens(text) }, images);
  }

  /** A unit with its images (and their tokens), when it has any. */
  export function withImages(unit: Unit, images: ImagePart[]): Unit {
    return images.length ? { ...unit, images, tokens: unit.tokens + IMAGE_TOKENS * images.length } : unit;
  }

  /**
   * The pinned section: pinned cells that are not turns, in notebook order, as one text
   * part (with a line saying what it is) followed by their images.
   */
  export function pinnedParts(units: Unit[]): Part[] {
    const pinned = units.filter(u => u.pinned && u.reply === undefined && (u.text || u.images?.length));
    if (!pinned.length) {
      return [];
    }
    const parts: Part[] = [];
    appendText(parts, SHARED.instructions.pinned);
    for (const unit of pinned) {
      appendUnit(parts, unit);
    }
    return parts;
  }

  /** Add text to parts, joining it to a text part that ends them. */
  export function appendText(parts: Part[], text: string): void {
    const last = parts[parts.length - 1];
    if (last?.type === 'text') {
      last.text = `${last.text}\n\n${text}`;
    } else {
      parts.push({ type: 'text', text });
    }
  }

  /** Add a unit's text and images to parts. */
  export function appendUnit(parts: Part[], unit: Unit): void {
    if (unit.text) {
      appendText(parts, unit.text);
    }
    parts.push(...(unit.images ?? []).map(image => ({ ...image })));
  }

  /**
   * Drop the oldest unpinned units until the total fits the budget.
   *
   * @returns The labels of the dropped units, oldest first.
   */
  export function trimToBudget(units: Unit[], promptTokens: number, budget: number): string[] {
    if (budget <= 0) {
      return [];
    }
    let total = promptTokens;
    for (const unit of units) {
      total += unit.tokens;
    }
    const omitted: string[] = [];
    for (let i = 0; i < units.length && total > budget; i++) {
      const unit = units[i];
      if (!unit.pinned && unit.tokens > 0) {
        total -= unit.tokens;
        omitted.push(unit.label);
        units.splice(i, 1);
        i--;
      }
    }
    return omitted;
  }

  /**
   * Fold units into alternating turns ending with the current prompt.
   */
  export function toTurns(units: Unit[], prompt: string, promptImages: ImagePart[]): Turn[] {
    const turns: Turn[] = [];
    let pending: Part[] = [];
    const userTurn = (text: string, images: ImagePart[] = []): Turn => {
      const parts = pending;
      pending = [];
      if (text) {
        appendText(parts, text);
      }
      // A prompt's pasted images follow its text.
      parts.push(...images.map(image => ({ ...image })));
      if (!parts.length) {
        parts.push({ type: 'text', text: '(empty prompt)' });
      }
      return { role: 'user', parts };
    };
    for (const unit of units) {
      if (unit.reply !== undefined) {
        pushTurn(turns, userTurn(unit.prompt ?? '', unit.images));
        // Tool calls in the reply become tool turns; a reply of only thinking is none.
        turns.push(...replyTurns(unit.reply));
      } else {
        appendUnit(pending, unit);
      }
    }
    pushTurn(turns, userTurn(prompt, promptImages));
    return turns;
  }
}
