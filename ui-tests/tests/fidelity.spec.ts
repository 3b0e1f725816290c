/**
 * What the model sees is what the user sees, and a SolveIt dialog goes back as it came:
 * a SolveIt export (the `solveit` metadata object, pasted images, keys we do not use) opens,
 * continues and saves back unchanged except for the new reply.
 */
import { expect, test } from '@jupyterlab/galata';
import * as fs from 'fs';
import * as path from 'path';
import { SEPARATOR, cellAt, command, messageRequests, queueReplies, resetFake, runAt, waitForFooter } from './helpers';

test.use({ autoGoto: true });

test.beforeEach(async ({ request }) => {
  await resetFake(request);
});

/** A fixture file as JSON. */
function fixture(name: string): any {
  return JSON.parse(fs.readFileSync(path.resolve(__dirname, '../fixtures', name), 'utf8'));
}

/** The saved file as JSON, read as text (not through the notebook model). */
async function savedFile(page: import('@jupyterlab/galata').IJupyterLabPageFixture, file: string): Promise<any> {
  const response = await page.request.get(`/api/contents/${file}?content=1&type=file&format=text`);
  expect(response.ok()).toBeTruthy();
  return JSON.parse((await response.json()).content);
}

/**
 * The saved notebook without the empty `kernelspec` and `language_info` that JupyterLab's
 * notebook model writes into every notebook it saves (not ours to keep out): checked to be
 * exactly those empty defaults, so nothing else can hide there.
 */
function withoutLabDefaults(saved: any): any {
  const { kernelspec, language_info, ...metadata } = saved.metadata;
  expect(kernelspec).toEqual({ display_name: '', name: '' });
  expect(language_info).toEqual({ name: '' });
  return { ...saved, metadata };
}

/**
 * Open an uploaded fixture. SolveIt writes no kernelspec, so JupyterLab asks for a kernel:
 * AI cells need none, and without one the file keeps its metadata exactly.
 */
async function openWithoutKernel(page: import('@jupyterlab/galata').IJupyterLabPageFixture, file: string): Promise<void> {
  await page.notebook.openByPath(file);
  await page.getByRole('dialog').getByRole('button', { name: 'No Kernel' }).click();
  // (Galata's activate() waits for a session that never starts without a kernel.)
  await expect(page.locator('.jp-Notebook .jp-Cell').first()).toBeVisible();
}

test('a SolveIt export opens, continues and saves back unchanged except for the new reply', async ({ page, request, tmpPath }) => {
  const original = fixture('solveit-export.ipynb');
  const file = `${tmpPath}/export.ipynb`;
  await page.contents.uploadFile(path.resolve(__dirname, '../fixtures/solveit-export.ipynb'), file);
  await openWithoutKernel(page, file);
  const last = original.cells.length - 1;
  await expect(cellAt(page, last)).toHaveClass(/jp-aimagic-AICell/);

  await queueReplies(request, ['A green dog, half drawn.']);
  await runAt(page, last);
  await waitForFooter(page, last);
  const [sent] = await messageRequests(request);
  const [turn] = sent.body.messages;
  const texts = turn.content.filter((b: any) => b.type === 'text').map((b: any) => b.text).join('\n');
  // The figure, the note's pasted image and the prompt's own: all three as images.
  expect(turn.content.filter((b: any) => b.type === 'image')).toHaveLength(3);
  // The slider's HTML behind its bare repr `<__main__.Slider>` is sent as text.
  expect(texts).not.toContain('<__main__.Slider>');
  expect(texts).toContain('attached after this cell');
  // SolveIt's `solveit` object: concise mode and thinking for the dialog.
  expect(sent.body.system[0].text).toContain('concise');
  expect(sent.body.thinking).toEqual({ type: 'enabled', budget_tokens: expect.any(Number) });

  // An edit of the dialog's settings is written in the form the notebook uses.
  await command(page, 'aimagic:set-dialog-mode', { mode: 'learning' });
  await page.notebook.save();
  const saved = await savedFile(page, file);

  const expected = structuredClone(original);
  expected.metadata.solveit.mode = 'learning';
  const prompt = [original.cells[last].source].flat().join('');
  expected.cells[last].source = saved.cells[last].source;
  expected.cells[last].metadata.aimagic = saved.cells[last].metadata.aimagic;
  expect([saved.cells[last].source].flat().join('')).toBe(`${prompt}\n\n${SEPARATOR}\n\nA green dog, half drawn.`);
  expect(saved.cells[last].metadata.aimagic.model).toBeTruthy();
  expect(withoutLabDefaults(saved)).toEqual(expected);
  expect(saved.metadata).not.toHaveProperty('solveit_dialog_mode');
});

test("aidialog's own notebook saves back unchanged after our edits", async ({ page, tmpPath }) => {
  const original = fixture('aidialog-02_ipynb.ipynb');
  const file = `${tmpPath}/02_ipynb.ipynb`;
  await page.contents.uploadFile(path.resolve(__dirname, '../fixtures/aidialog-02_ipynb.ipynb'), file);
  await openWithoutKernel(page, file);
  // Skip a cell and take it back, set the mode: every edit of ours that touches metadata.
  await page.notebook.selectCells(2);
  await command(page, 'aimagic:toggle-skip');
  await command(page, 'aimagic:toggle-skip');
  await command(page, 'aimagic:set-dialog-mode', { mode: 'concise' });
  await page.notebook.save();
  const saved = await savedFile(page, file);
  const expected = structuredClone(original);
  expected.metadata.solveit.mode = 'concise';
  expect(withoutLabDefaults(saved)).toEqual(expected);
});
