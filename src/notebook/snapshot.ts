/**
 * The edge: a live notebook model becomes plain nbformat JSON, once per prompt.
 */
import { ICellModel } from '@jupyterlab/cells';
import { INotebookModel } from '@jupyterlab/notebook';
import { CellJSON, NotebookJSON } from '../core/nbformat';

/**
 * The index of a cell model in its notebook, or -1.
 *
 * @param notebook - The notebook model.
 * @param cell - The cell model.
 */
export function cellIndex(notebook: INotebookModel, cell: ICellModel): number {
  const cells = notebook.cells;
  for (let i = 0; i < cells.length; i++) {
    if (cells.get(i) === cell) {
      return i;
    }
  }
  return -1;
}

/**
 * Plain JSON of the notebook's metadata and its cells up to and including `last`.
 *
 * Only the cells a prompt can see are converted, so a prompt near the top of a large
 * notebook costs little.
 *
 * @param notebook - The notebook model.
 * @param last - Index of the last cell to include.
 */
export function snapshotNotebook(notebook: INotebookModel, last: number): NotebookJSON {
  const cells: CellJSON[] = [];
  for (let i = 0; i <= last && i < notebook.cells.length; i++) {
    cells.push(notebook.cells.get(i).toJSON() as unknown as CellJSON);
  }
  return { cells, metadata: notebook.metadata as { [key: string]: unknown } };
}
