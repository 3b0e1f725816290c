/**
 * Insert code blocks of a reply as cells below its AI cell, as one undo step.
 */
import { ICellModel } from '@jupyterlab/cells';
import { INotebookModel } from '@jupyterlab/notebook';
import { splitAICell } from '../core/context/aicell';
import { CodeBlock, parseCodeBlocks } from '../core/context/codeblocks';
import { isToolInfo, stripThinking } from '../core/context/tool-blocks';
import { NewCell, OtherBlocks, PlacedCell, cellForBlock, insertionIndex } from '../core/reply/codecells';
import { cellIndex } from './snapshot';

/** A failure to insert that the user should read. */
export class InsertError extends Error {
  /**
   * @param message - What the user reads.
   */
  constructor(message: string) {
    super(message);
    this.name = 'InsertError';
  }
}

/** The kernel language of a notebook, and whether it is IPython. */
export function kernelOf(notebook: INotebookModel): { language: string; ipython: boolean } {
  const info = notebook.getMetadata('language_info') as { name?: string } | undefined;
  const spec = notebook.getMetadata('kernelspec') as { language?: string } | undefined;
  const language = (info?.name ?? spec?.language ?? 'python').toLowerCase();
  return { language, ipython: language === 'python' };
}

/**
 * The code blocks of an AI cell's reply (closed ones, and a last open one only when the
 * reply is not streaming any more).
 *
 * @param cell - The AI cell's model.
 */
export function replyBlocks(cell: ICellModel): CodeBlock[] {
  if (cell.isDisposed) {
    return [];
  }
  const { reply } = splitAICell(cell.sharedModel.getSource());
  // Tool calls and the code in the model's thinking are not code to insert.
  return reply === null ? [] : parseCodeBlocks(stripThinking(reply)).filter(b => !isToolInfo(b.info));
}

/**
 * Insert blocks as cells below their AI cell, after cells already inserted from it.
 *
 * The AI cell is found by identity, so cells moved or deleted since the reply was written
 * do not matter; a deleted AI cell is refused with a message.
 *
 * @param notebook - The notebook model.
 * @param aiCell - The AI cell the blocks come from.
 * @param blocks - The blocks, in order.
 * @param other - What to do with blocks in other languages.
 * @returns Index of the first inserted cell and how many were inserted.
 * @throws InsertError when nothing can be inserted, saying why.
 */
export function insertBlocks(notebook: INotebookModel, aiCell: ICellModel, blocks: Pick<CodeBlock, 'language' | 'info' | 'code'>[], other: OtherBlocks): { at: number; count: number } {
  const index = cellIndex(notebook, aiCell);
  if (index < 0) {
    throw new InsertError('The AI cell of this reply is no longer in the notebook, so its code was not inserted.');
  }
  if (!blocks.length) {
    throw new InsertError('This reply has no code blocks.');
  }
  const kernel = kernelOf(notebook);
  const cells = blocks
    .map(block => cellForBlock(block, { kernelLanguage: kernel.language, ipython: kernel.ipython, other, from: aiCell.id }))
    .filter((cell): cell is NewCell => cell !== null);
  if (!cells.length) {
    const languages = [...new Set(blocks.map(b => b.language || 'untagged'))].join(', ');
    throw new InsertError(
      `No code for the ${kernel.language} kernel here (${languages}). To insert other languages as markdown, set "Code in other languages" in the AI Magic settings.`
    );
  }
  const placed: PlacedCell[] = [];
  for (let i = 0; i < notebook.cells.length; i++) {
    const cell = notebook.cells.get(i);
    const from = (cell.getMetadata('aimagic') as { from?: unknown } | undefined)?.from;
    placed.push({ id: cell.id, from: typeof from === 'string' ? from : undefined });
  }
  const at = insertionIndex(placed, index);
  const shared = notebook.sharedModel;
  const undo = (shared as unknown as { undoManager?: { stopCapturing(): void } | null }).undoManager;
  // One action, one undo step: end the capture before and after the single transaction.
  undo?.stopCapturing();
  shared.insertCells(
    at,
    cells.map(cell => (cell.cell_type === 'code' ? { ...cell, outputs: [], execution_count: null } : cell)) as never
  );
  undo?.stopCapturing();
  return { at, count: cells.length };
}
