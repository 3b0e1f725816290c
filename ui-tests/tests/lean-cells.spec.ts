/**
 * An answered AI cell shown rendered holds no fully laid-out hidden editor of its reply:
 * no more DOM than the same cell opened from the saved file.
 */
import { expect, test } from '@jupyterlab/galata';
import { addPrompt, cellAt, queueReplies, resetFake, waitForFooter } from './helpers';

test.use({ autoGoto: true });

test.beforeEach(async ({ request }) => {
  await resetFake(request);
});

test('an answered AI cell holds no more DOM than the same cell opened from the file', async ({ page, request, tmpPath }) => {
  await page.notebook.createNew('lean.ipynb');
  const reply = Array.from({ length: 120 }, (_, i) => `Line ${i} of a long reply, with \`code\` and **bold** words.`).join('\n\n');
  await queueReplies(request, [reply]);
  await addPrompt(page, 'A long reply, please.');
  await waitForFooter(page, 1);
  const count = () => cellAt(page, 1).evaluate(cell => ({ nodes: cell.querySelectorAll('*').length, lines: cell.querySelectorAll('.cm-line').length }));
  const answered = await count();

  await page.notebook.save();
  await page.notebook.close();
  await page.notebook.openByPath(`${tmpPath}/lean.ipynb`);
  await page.notebook.activate('lean.ipynb');
  await expect(cellAt(page, 1).locator('.jp-aimagic-Footer-info')).not.toBeEmpty();
  const opened = await count();
  console.log(`answered AI cell: ${answered.nodes} nodes, ${answered.lines} editor lines; opened from the file: ${opened.nodes} nodes, ${opened.lines} lines`);
  // The reply has 239 lines; a hidden editor lays out a screenful at most, as when opened.
  expect(answered.lines).toBeLessThanOrEqual(opened.lines + 8);
  expect(answered.nodes).toBeLessThanOrEqual(opened.nodes * 1.2);
});
