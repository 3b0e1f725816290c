/**
 * The ways in: toolbar button, keyboard shortcut, palette; choosing the model; the look of
 * AI cells in light and dark themes (and the README's screenshot).
 */
import { expect, test } from '@jupyterlab/galata';
import * as path from 'path';
import { cellAt, command, startCommand, messageRequests, metadataAt, queueReplies, resetFake, waitForFooter } from './helpers';

test.use({ autoGoto: true });

test.beforeEach(async ({ request }) => {
  await resetFake(request);
});

test('the toolbar button inserts an AI cell in edit mode', async ({ page }) => {
  await page.notebook.createNew();
  await page.locator('jp-button[data-command="aimagic:insert-ai-cell-below"]').click();
  expect(await page.notebook.getCellCount()).toBe(2);
  expect((await metadataAt(page, 1)).solveit_ai).toBe(true);
  await expect(cellAt(page, 1)).toHaveClass(/jp-aimagic-AICell/);
  await expect(cellAt(page, 1)).toHaveClass(/jp-mod-active/);
  await page.keyboard.type('typed straight away');
  await expect(cellAt(page, 1).locator('.cm-content')).toContainText('typed straight away');
});

test('the keyboard shortcut and the palette insert AI cells', async ({ page }) => {
  await page.notebook.createNew();
  await page.notebook.selectCells(0);
  await page.keyboard.press('Control+Alt+a');
  expect(await page.notebook.getCellCount()).toBe(2);
  expect((await metadataAt(page, 1)).solveit_ai).toBe(true);

  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+Shift+c');
  await page.locator('#modal-command-palette input').fill('Insert AI Cell Below');
  await page.keyboard.press('Enter');
  expect(await page.notebook.getCellCount()).toBe(3);
  expect((await metadataAt(page, 2)).solveit_ai).toBe(true);
});

test('Choose AI Model offers the models the API lists and is used by the next prompt', async ({ page, request }) => {
  await page.notebook.createNew();
  await startCommand(page, 'aimagic:choose-model');
  const select = page.locator('.jp-Dialog select');
  await expect(select).toBeVisible();
  const options = await select.locator('option').allTextContents();
  expect(options).toEqual(expect.arrayContaining(['claude-sonnet-5-5', 'claude-opus-5-5', 'claude-haiku-5-5']));
  await select.selectOption('claude-opus-5-5');
  await page.locator('.jp-Dialog .jp-mod-accept').click();

  await command(page, 'aimagic:insert-ai-cell-below');
  await page.keyboard.type('Which model are you?');
  await page.keyboard.press('Control+Enter');
  await waitForFooter(page, 1);
  const [sent] = await messageRequests(request);
  expect(sent.body.model).toBe('claude-opus-5-5');
  await expect(cellAt(page, 1).locator('.jp-aimagic-Footer-info')).toContainText('claude-opus-5-5');
  // Put the default back for the other tests (settings persist on the server).
  await page.evaluate(() =>
    (window as any).jupyterapp.serviceManager.settings.save('jupyterlab-aimagic:settings', '{}')
  );
});

test('AI cells look distinct in light and dark themes', async ({ page, request, tmpPath }) => {
  await page.contents.uploadFile(path.resolve(__dirname, '../fixtures/solveit-dialog.ipynb'), `${tmpPath}/look.ipynb`);
  await page.notebook.openByPath(`${tmpPath}/look.ipynb`);
  await page.notebook.activate('look.ipynb');
  await queueReplies(request, ['The mean of `data` is **3.875**.\n\n```python\nsum(data) / len(data)\n```']);
  await page.notebook.selectCells(4);
  await page.keyboard.press('Control+Enter');
  await waitForFooter(page, 4);
  await expect(cellAt(page, 4).locator('.jp-MarkdownOutput')).toContainText('The mean of data is 3.875');
  await page.notebook.selectCells(0);

  const ai = cellAt(page, 2);
  const note = cellAt(page, 0);
  const style = async (locator: typeof ai) =>
    locator.evaluate(el => {
      const s = getComputedStyle(el);
      return { border: s.borderLeftWidth + ' ' + s.borderLeftStyle + ' ' + s.borderLeftColor, background: s.backgroundColor };
    });
  for (const theme of ['JupyterLab Light', 'JupyterLab Dark']) {
    await page.theme.setTheme(theme);
    const a = await style(ai);
    const n = await style(note);
    expect(a.border).toMatch(/^3px solid/);
    expect(a.background).not.toBe(n.background);
    expect(a.border).not.toBe(n.border);
    if (theme === 'JupyterLab Light') {
      await page.locator('.jp-NotebookPanel').screenshot({ path: path.resolve(__dirname, '../../docs/screenshot.png') });
    }
  }
  // While edited, the AI cell keeps its look.
  await page.notebook.enterCellEditingMode(4);
  await expect(cellAt(page, 4)).toHaveClass(/jp-aimagic-AICell/);
  await page.theme.setTheme('JupyterLab Light');
});
