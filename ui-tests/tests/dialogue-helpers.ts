/**
 * Helpers of the dialogue-engineering UI tests: replies with code, the AI cell's id, the
 * cells of the notebook in one read.
 */
import { IJupyterLabPageFixture, expect } from '@jupyterlab/galata';
import { cellAt } from './helpers';

/** A short view of every cell: type, source, the AI cell it came from, execution count. */
export interface CellView {
  type: string;
  source: string;
  from?: string;
  count?: number | null;
}

/** Every cell of the current notebook. */
export async function cellsOf(page: IJupyterLabPageFixture): Promise<CellView[]> {
  return page.evaluate(() => {
    const model = (window as any).jupyterapp.shell.currentWidget.content.model;
    const out: any[] = [];
    for (let i = 0; i < model.cells.length; i++) {
      const cell = model.cells.get(i);
      const json = cell.toJSON();
      out.push({ type: cell.type, source: cell.sharedModel.getSource(), from: cell.getMetadata('aimagic')?.from, count: json.execution_count });
    }
    return out;
  });
}

/** The id of the cell at an index. */
export async function idAt(page: IJupyterLabPageFixture, index: number): Promise<string> {
  return page.evaluate(i => (window as any).jupyterapp.shell.currentWidget.content.model.cells.get(i).id, index);
}

/** Set the source of a cell through the model (as an edit from the user would). */
export async function setSourceAt(page: IJupyterLabPageFixture, index: number, source: string): Promise<void> {
  await page.evaluate(([i, s]) => (window as any).jupyterapp.shell.currentWidget.content.model.cells.get(i).sharedModel.setSource(s), [index, source] as const);
}

/** Undo in command mode, as the Z key does. */
export async function undoInNotebook(page: IJupyterLabPageFixture): Promise<void> {
  await page.keyboard.press('Escape');
  await page.locator('.jp-Notebook').focus();
  await page.keyboard.press('z');
}

/** The "Insert as cell" buttons of the AI cell at an index. */
export function blockButtons(page: IJupyterLabPageFixture, index: number) {
  return cellAt(page, index).locator('.jp-aimagic-InsertBlock');
}

/** Wait for a toast with a text. */
export async function expectToast(page: IJupyterLabPageFixture, text: string | RegExp): Promise<void> {
  await expect(page.locator('.Toastify__toast').filter({ hasText: text }).first()).toBeVisible({ timeout: 15000 });
}

/** Open a rendered markdown cell's editor and put the cursor in it. */
export async function editCell(page: IJupyterLabPageFixture, index: number): Promise<void> {
  await cellAt(page, index).locator('.jp-MarkdownOutput').dblclick();
  const editor = cellAt(page, index).locator('.cm-content');
  await expect(editor).toBeVisible();
  await editor.click();
  await expect(cellAt(page, index).locator('.cm-editor.cm-focused')).toBeVisible();
}
