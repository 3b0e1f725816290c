/**
 * The main flow: an AI cell sends the cells above it and the reply streams back.
 */
import { expect, test } from '@jupyterlab/galata';
import * as path from 'path';
import {
  SEPARATOR, addPrompt, bodyText, cellAt, messageRequests, metadataAt, queueFaults, queueReplies,
  resetFake, runAt, savedNotebook, sourceAt, waitForFooter
} from './helpers';

test.use({ autoGoto: true });

test.beforeEach(async ({ request }) => {
  await resetFake(request);
});

test('an AI cell sends the code and outputs above it and the reply streams in', async ({ page, request, tmpPath }) => {
  await page.notebook.createNew('dialog.ipynb');
  await page.notebook.setCell(0, 'code', 'x = 6 * 7\nprint("the answer is", x)');
  await page.notebook.runCell(0, true);
  await expect(cellAt(page, 0).locator('.jp-OutputArea-output')).toContainText('the answer is 42');

  const reply = 'Streaming **reply** with several words to show it arrives in pieces, one after the other. ' + 'More words follow. '.repeat(12);
  await queueFaults(request, [{ kind: 'slow', deltaDelayMs: 150 }]);
  await queueReplies(request, [reply]);
  await addPrompt(page, 'What is x?');

  // While it streams, the live view shows part of the reply.
  await expect(cellAt(page, 1).locator('.jp-aimagic-Streaming-body')).toContainText('Streaming reply');
  await expect(cellAt(page, 1)).toHaveClass(/jp-aimagic-mod-running/);
  const footer = await waitForFooter(page, 1);
  await expect(footer).toContainText('claude-sonnet-5-5');
  await expect(footer).toContainText(/\d+ in · \d+ out · \d+\.\d s/);
  await expect(cellAt(page, 1)).toHaveClass(/jp-aimagic-AICell/);
  await expect(cellAt(page, 1).locator('.jp-MarkdownOutput strong')).toHaveText('reply');

  const [sent] = await messageRequests(request);
  const text = bodyText(sent.body);
  expect(text).toContain('x = 6 * 7');
  expect(text).toContain('the answer is 42');
  expect(text).toContain('What is x?');
  expect(sent.body.stream).toBe(true);

  expect(await sourceAt(page, 1)).toBe(`What is x?\n\n${SEPARATOR}\n\n${reply}`);
  const meta = await metadataAt(page, 1);
  expect(meta.solveit_ai).toBe(true);
  expect(meta.aimagic).toMatchObject({ provider: 'anthropic', model: 'claude-sonnet-5-5', stopReason: 'end_turn' });
  expect(meta.aimagic.usage.output).toBeGreaterThan(0);
  expect(JSON.stringify(meta)).not.toContain('test-key');

  await page.notebook.save();
  const saved = await savedNotebook(page, `${tmpPath}/dialog.ipynb`);
  expect(saved.cells[1].cell_type).toBe('markdown');
  expect(saved.cells[1].metadata.solveit_ai).toBe(true);
  expect(saved.cells[1].source).toContain(SEPARATOR);
  expect(JSON.stringify(saved)).not.toContain('test-key');
});

test('a code cell starting with %%ai becomes an AI cell and runs', async ({ page, request }) => {
  await page.notebook.createNew('magic.ipynb');
  await page.notebook.setCell(0, 'markdown', 'Some notes about lists.');
  await page.notebook.addCell('code', '%%ai\nSummarise the notes above');
  await runAt(page, 1);
  await waitForFooter(page, 1);
  const meta = await metadataAt(page, 1);
  expect(meta.solveit_ai).toBe(true);
  expect(await sourceAt(page, 1)).toMatch(/^Summarise the notes above\n\n##### 🤖Reply🤖/);
  const [sent] = await messageRequests(request);
  expect(bodyText(sent.body)).toContain('Some notes about lists.');
  expect(bodyText(sent.body)).toContain('Summarise the notes above');
  expect(bodyText(sent.body)).not.toContain('%%ai');
});

test('Run All waits for the cells above and keeps answered AI cells', async ({ page, request }) => {
  await page.notebook.createNew('runall.ipynb');
  await page.notebook.setCell(0, 'code', 'import time\ntime.sleep(1.5)\nprint("slow cell done")');
  await addPrompt(page, 'First question', false);
  await page.notebook.addCell('code', 'print("after the prompt")');
  await addPrompt(page, 'Second question', false);
  await page.notebook.save();

  await page.menu.clickMenuItem('Run>Run All Cells');
  await waitForFooter(page, 1);
  await waitForFooter(page, 3);
  let sent = await messageRequests(request);
  expect(sent).toHaveLength(2);
  // The first prompt waited for the slow cell: its output is in the request.
  expect(bodyText(sent[0].body)).toContain('slow cell done');
  // The second prompt saw the first prompt's reply as an assistant turn.
  expect(sent[1].body.messages.map((m: any) => m.role)).toEqual(['user', 'assistant', 'user']);
  expect(bodyText(sent[1].body)).toContain('after the prompt');

  // Run All again: answered AI cells are not sent again...
  await page.menu.clickMenuItem('Run>Run All Cells');
  await expect(cellAt(page, 2).locator('.jp-InputPrompt')).toHaveText('[4]:', { timeout: 20000 });
  sent = await messageRequests(request);
  expect(sent).toHaveLength(2);
  // ...but running one by itself regenerates it.
  await runAt(page, 3);
  await expect.poll(async () => (await messageRequests(request)).length, { timeout: 20000 }).toBe(3);
});

test('a SolveIt dialog opens and continues', async ({ page, request, tmpPath }) => {
  await page.contents.uploadFile(path.resolve(__dirname, '../fixtures/solveit-dialog.ipynb'), `${tmpPath}/solveit-dialog.ipynb`);
  await page.notebook.openByPath(`${tmpPath}/solveit-dialog.ipynb`);
  await page.notebook.activate('solveit-dialog.ipynb');
  // Earlier AI cells are styled as AI cells and rendered with their reply.
  await expect(cellAt(page, 2)).toHaveClass(/jp-aimagic-AICell/);
  await expect(cellAt(page, 2).locator('.jp-MarkdownOutput')).toContainText('the median is the mean of 3 and 4');

  await queueReplies(request, ['The mean is **3.875**.']);
  await runAt(page, 4);
  await waitForFooter(page, 4);
  // The rendered cell shows the reply at once, not after JupyterLab's one-second re-render delay.
  await expect(cellAt(page, 4).locator('.jp-MarkdownOutput')).toContainText('The mean is 3.875.', { timeout: 400 });
  const [sent] = await messageRequests(request);
  expect(sent.body.messages.map((m: any) => m.role)).toEqual(['user', 'assistant', 'user']);
  expect(sent.body.messages[1].content[0].text).toContain('the median is the mean of 3 and 4');
  expect(bodyText(sent.body)).not.toContain('do not send me');
  expect(sent.body.system[0].text).toContain('Be concise');

  await page.notebook.save();
  const saved = await savedNotebook(page, `${tmpPath}/solveit-dialog.ipynb`);
  expect(saved.metadata.solveit_dialog_mode).toBe('concise');
  expect(saved.cells[4].source).toMatch(/^Now the mean, please\.\n\n##### 🤖Reply🤖<!-- SOLVEIT_SEPARATOR_7f3a9b2c -->\n\n/);
  expect(saved.cells[3].metadata.skipped).toBe(true);
});
