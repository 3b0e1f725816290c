/**
 * Small notebook builders for tests.
 */
import { REPLY_SEPARATOR } from '../context/aicell';
import { CellJSON, NotebookJSON, OutputJSON } from '../nbformat';

/** A code cell. */
export function code(id: string, source: string, outputs: OutputJSON[] = [], count: number | null = 1, metadata = {}): CellJSON {
  return { cell_type: 'code', id, source, outputs, execution_count: count, metadata };
}

/** A markdown note. */
export function note(id: string, source: string, metadata = {}): CellJSON {
  return { cell_type: 'markdown', id, source, metadata };
}

/** An AI cell, answered when `reply` is given. */
export function ai(id: string, prompt: string, reply?: string, metadata = {}): CellJSON {
  return {
    cell_type: 'markdown',
    id,
    source: reply === undefined ? prompt : prompt + REPLY_SEPARATOR + reply,
    metadata: { solveit_ai: true, ...metadata }
  };
}

/** A stream output. */
export function stdout(text: string): OutputJSON {
  return { output_type: 'stream', name: 'stdout', text };
}

/** A notebook of cells. */
export function notebook(...cells: CellJSON[]): NotebookJSON {
  return { cells, metadata: {}, nbformat: 4, nbformat_minor: 5 };
}
