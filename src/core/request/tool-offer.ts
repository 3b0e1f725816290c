/**
 * Which tools a prompt offers: the rule that keeps the tool list, the first thing in the
 * cached prefix, the same from one prompt to the next.
 */
import { hasFlag, isAICell, splitAICell } from '../context/aicell';
import { NotebookJSON } from '../nbformat';
import { toolRefs } from '../context/tool-refs';

/**
 * The tools offered to the model for the AI cell at `index`: every name that the prompts of
 * the AI cells above it (skipped cells excepted) and its own prompt name with `` &`name` ``,
 * each once, in the order first named. A tool offered once thus stays offered, and in the
 * same place, while the prompt that named it is in the context; a new name goes last.
 *
 * @param notebook - The notebook (cells after `index` are not read).
 * @param index - The AI cell's index.
 */
export function offeredToolNames(notebook: NotebookJSON, index: number): string[] {
  const names: string[] = [];
  for (let i = 0; i <= index && i < notebook.cells.length; i++) {
    const cell = notebook.cells[i];
    if (!isAICell(cell) || (i < index && hasFlag(cell, 'skipped'))) {
      continue;
    }
    for (const name of toolRefs(splitAICell(cell.source).prompt)) {
      if (!names.includes(name)) {
        names.push(name);
      }
    }
  }
  return names;
}
