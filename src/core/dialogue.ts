/**
 * Turn the cells above an AI cell into dialogue turns (DESIGN §2).
 *
 * At each earlier AI cell the dialogue turns: the cells since the previous AI cell plus
 * that cell's prompt form a user turn, its reply (as edited) the assistant turn. Skipped
 * cells are left out; when the context passes the budget the oldest unpinned cells go first.
 */
import { hasFlag, isAICell, splitAICell } from './aicell';
import { CellJSON, NotebookJSON, joinText } from './nbformat';
import { RenderOptions, renderCell } from './render';
import { Turn } from './types';

/** Options of {@link buildDialogue}. */
export interface DialogueOptions extends RenderOptions {
  /** Most input tokens the dialogue may take (estimated); 0 for no limit. */
  budgetTokens: number;
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
  const target = notebook.cells[index];
  if (!target || !isAICell(target)) {
    throw new PromptError(`Cell ${index} is not an AI cell.`);
  }
  const prompt = splitAICell(target.source).prompt.trim();
  if (!prompt) {
    throw new PromptError('The prompt is empty: write a question above the reply line and run the cell again.');
  }
  const units: Unit[] = [];
  for (let i = 0; i < index; i++) {
    const cell = notebook.cells[i];
    if (!hasFlag(cell, 'skipped')) {
      units.push(Private.unitOf(cell, i, options));
    }
  }
  const omitted = Private.trimToBudget(units, estimateTokens(prompt), options.budgetTokens);
  return { turns: Private.toTurns(units, prompt), prompt, omitted, cellCount: units.length };
}

namespace Private {
  /**
   * Render one cell into a unit of the dialogue.
   */
  export function unitOf(cell: CellJSON, index: number, options: RenderOptions): Unit {
    const label = cell.id || `#${index}`;
    const pinned = hasFlag(cell, 'pinned');
    if (isAICell(cell)) {
      const { prompt, reply } = splitAICell(cell.source);
      if (reply !== null && reply.trim()) {
        const p = prompt.trim();
        const r = reply.trim();
        return { label, pinned, prompt: p, reply: r, tokens: estimateTokens(p) + estimateTokens(r) };
      }
      // An unanswered prompt is context for the next one, not a turn of its own.
      const text = renderCell(cell, options, prompt);
      return { label, pinned, text, tokens: estimateTokens(text) };
    }
    if (cell.cell_type !== 'code' && !joinText(cell.source).trim()) {
      return { label, pinned, text: '', tokens: 0 };
    }
    const text = renderCell(cell, options);
    return { label, pinned, text, tokens: estimateTokens(text) };
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
  export function toTurns(units: Unit[], prompt: string): Turn[] {
    const turns: Turn[] = [];
    let pending: string[] = [];
    const userTurn = (text: string): Turn => {
      const body = [...pending, text].filter(t => t).join('\n\n');
      pending = [];
      return { role: 'user', parts: [{ type: 'text', text: body || '(empty prompt)' }] };
    };
    for (const unit of units) {
      if (unit.reply !== undefined) {
        turns.push(userTurn(unit.prompt ?? ''));
        turns.push({ role: 'assistant', parts: [{ type: 'text', text: unit.reply }] });
      } else if (unit.text) {
        pending.push(unit.text);
      }
    }
    turns.push(userTurn(prompt));
    return turns;
  }
}
