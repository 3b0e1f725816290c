/**
 * The kernel-side magic beside the frontend: with `%load_ext jupyterlab_aimagic` in the kernel,
 * a `%%ai` cell is answered exactly once. A bare `%%ai` cell is the frontend's (it never reaches
 * the kernel); a `%%ai` line with options is the kernel's, and its reply is a turn for the AI
 * cells below it.
 */
import { expect, test } from '@jupyterlab/galata';
import { FAKE, SEPARATOR, addPrompt, bodyText, cellAt, messageRequests, metadataAt, resetFake, runAt, sourceAt, waitForFooter } from './helpers';

test.use({ autoGoto: true });

test.beforeEach(async ({ request }) => {
  await resetFake(request);
});

/** Load the magic in the notebook's kernel, talking to the fake directly (keys from the server's environment). */
async function loadMagic(page: Parameters<typeof runAt>[0]): Promise<void> {
  await page.notebook.setCell(0, 'code', `%load_ext jupyterlab_aimagic\n%config AIMagic.base_urls = {"anthropic": "${FAKE}"}`);
  await page.notebook.runCell(0, true);
}

test('a bare %%ai cell is answered once, by the frontend, although the kernel has the magic', async ({ page, request }) => {
  await page.notebook.createNew('magic-once.ipynb');
  await loadMagic(page);
  await page.notebook.addCell('code', '%%ai\nWhat is two and two?');
  await runAt(page, 1);
  await waitForFooter(page, 1);
  expect((await metadataAt(page, 1)).solveit_ai).toBe(true);
  expect(await sourceAt(page, 1)).toContain(SEPARATOR);
  // The kernel never ran it: its input history holds no %%ai cell.
  // (The marker is split so this cell's own source does not count.)
  await page.notebook.addCell('code', "print(sum(('%%' + 'ai') in cell for cell in In))");
  await page.notebook.runCell(2, true);
  await expect(cellAt(page, 2).locator('.jp-OutputArea-output')).toHaveText('0');
  const sent = await messageRequests(request);
  expect(sent).toHaveLength(1);
  expect(bodyText(sent[0].body)).toContain('What is two and two?');
});

test('a %%ai line with options is answered once, by the kernel, and is a turn for the AI cells below', async ({ page, request }) => {
  await page.notebook.createNew('magic-kernel.ipynb');
  await loadMagic(page);
  await page.notebook.addCell('code', '%%ai -m claude-haiku-4-5\nName a colour.');
  await page.notebook.runCell(1, true);
  const output = cellAt(page, 1).locator('.jp-OutputArea-output');
  await expect(output.first()).toContainText('Fake reply #1');
  await expect(output.last()).toContainText('claude-haiku-4-5 ·');
  expect(await page.notebook.getCellType(1)).toBe('code');
  let sent = await messageRequests(request);
  expect(sent).toHaveLength(1);
  expect(sent[0].body.model).toBe('claude-haiku-4-5');

  await page.notebook.selectCells(1);
  await addPrompt(page, 'And another?');
  await waitForFooter(page, 2);
  sent = await messageRequests(request);
  expect(sent).toHaveLength(2);
  const messages = sent[1].body.messages;
  expect(messages.map((m: any) => m.role)).toEqual(['user', 'assistant', 'user']);
  expect(messages[1].content[0].text).toMatch(/^Fake reply #1/);
  expect(bodyText({ messages: [messages[0]] })).toContain('Name a colour.');
});
