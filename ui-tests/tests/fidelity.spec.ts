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
  // The dialog thinks (solveit.use_thinking), so the reply keeps its thinking, folded.
  const written = [saved.cells[last].source].flat().join('');
  expect(written.startsWith(`${prompt}\n\n${SEPARATOR}\n\n<!--think_start-->`)).toBe(true);
  expect(written.endsWith('<!--think_end-->\n\nA green dog, half drawn.')).toBe(true);
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

/** Figures larger than Anthropic takes: a PNG and a JPEG, made by the same codecs' encoders. */
function largeFigures(): { png: string; jpeg: string } {
  const root = path.resolve(__dirname, '../../node_modules');
  const { encode } = require(path.join(root, 'fast-png'));
  const jpeg = require(path.join(root, 'jpeg-js'));
  const picture = (width: number, height: number) => {
    const data = new Uint8Array(width * height * 4);
    for (let i = 0; i < width * height; i++) {
      const x = i % width;
      const y = Math.floor(i / width);
      data.set([(x * 255) / width, (y * 255) / height, (x + y) % 50 < 4 ? 0 : 255, 255], i * 4);
    }
    return data;
  };
  return {
    png: Buffer.from(encode({ width: 1800, height: 400, data: picture(1800, 400), channels: 4 })).toString('base64'),
    jpeg: Buffer.from(jpeg.encode({ width: 1700, height: 400, data: picture(1700, 400) }, 90).data).toString('base64')
  };
}

test('the dry run sends the same image bytes as the browser', async ({ page, request, tmpPath }) => {
  const { png, jpeg } = largeFigures();
  const figure = (mime: string, data: string) => ({ output_type: 'display_data', data: { [mime]: data, 'text/plain': '<Figure>' }, metadata: {} });
  const nb = {
    cells: [
      { cell_type: 'code', id: 'plots', source: 'plot()', execution_count: 1, metadata: {}, outputs: [figure('image/png', png), figure('image/jpeg', jpeg)] },
      { cell_type: 'markdown', id: 'ask', source: 'What do the plots show?', metadata: { solveit_ai: true } }
    ],
    metadata: {},
    nbformat: 4,
    nbformat_minor: 5
  };
  const local = path.join(fs.mkdtempSync(path.join(require('os').tmpdir(), 'aimagic-fidelity-')), 'figures.ipynb');
  fs.writeFileSync(local, JSON.stringify(nb));
  const file = `${tmpPath}/figures.ipynb`;
  await page.contents.uploadFile(local, file);
  await openWithoutKernel(page, file);

  await queueReplies(request, ['Two gradients.']);
  await runAt(page, 1);
  await waitForFooter(page, 1);
  const [sent] = await messageRequests(request);

  const cli = path.resolve(__dirname, '../../lib/node/cli/aimagic.js');
  const dry = JSON.parse(require('child_process').execFileSync('node', [cli, 'prompt', local, '--cell', '1'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }));
  const images = (body: any) => body.messages[0].content.filter((b: any) => b.type === 'image').map((b: any) => b.source);
  const browser = images(sent.body);
  expect(browser.map((s: any) => s.media_type)).toEqual(['image/png', 'image/jpeg']);
  // Scaled (a different, smaller image), and byte for byte what the dry run prints.
  expect(browser[0].data).not.toBe(png);
  expect(browser[1].data).not.toBe(jpeg);
  expect(browser).toEqual(images(dry));
  expect(sent.body.messages).toEqual(dry.messages);
});
