/**
 * The local engine end to end: the real llama.cpp server with the small real model behind
 * the Jupyter proxy's "local" upstream. A streamed reply lands in the notebook, the second
 * prompt with the same prefix reads it from the KV cache, a stopped server gives a message
 * that says what to do (the prompt kept), and after the server restarts the prefix saved on
 * disk is restored instead of recomputed.
 */
import { expect, galata, test } from '@jupyterlab/galata';
import { IJupyterLabPageFixture } from '@jupyterlab/galata';
import { readdirSync } from 'fs';
import { addPrompt, cellAt, runAt, sourceAt, SEPARATOR } from './helpers';
import { LlamaServer, MODEL_ALIAS } from './llama';

const server = new LlamaServer();

test.beforeAll(async () => {
  await server.start();
});

test.afterAll(async () => {
  await server.stop();
});

test.use({
  autoGoto: true,
  mockSettings: { ...galata.DEFAULT_SETTINGS, 'jupyterlab-aimagic:settings': { maxTokens: 16 } }
});

/** Long, fixed notebook instructions: the prefix the server caches (about 700 tokens). */
const PREFIX = Array.from({ length: 60 }, (_, i) => `Rule ${i + 1}: answer briefly and politely, in plain words.`).join('\n');

/** Wait for the footer of the AI cell at an index; the small model on a busy machine is slow. */
async function footerOf(page: IJupyterLabPageFixture, index: number): Promise<string> {
  const info = cellAt(page, index).locator('.jp-aimagic-Footer-info');
  await expect(info).not.toBeEmpty({ timeout: 180000 });
  return (await info.textContent()) ?? '';
}

/** Tokens read from the cache, from a footer line. */
const cacheRead = (footer: string) => Number(/([\d,]+) cache read/.exec(footer)?.[1].replace(/,/g, '') ?? 0);

test('the local model answers, reuses the prefix, and restores it after a restart', async ({ page }) => {
  test.setTimeout(600000);
  await page.notebook.createNew('local.ipynb');
  // The notebook picks the local provider for itself (notebook metadata overrides settings).
  await page.evaluate(
    ({ system, model }) => (window as any).jupyterapp.shell.currentWidget.content.model.setMetadata('aimagic', { provider: 'local', model, system }),
    { system: PREFIX, model: MODEL_ALIAS }
  );
  await page.notebook.setCell(0, 'markdown', 'Notes about greetings.');

  await addPrompt(page, 'Say hello.');
  const first = await footerOf(page, 1);
  expect(first).toContain(MODEL_ALIAS);
  expect(await sourceAt(page, 1)).toMatch(new RegExp(`Say hello\\.\\n\\n${SEPARATOR.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\n\\n\\S`));
  await expect(cellAt(page, 1).locator('.jp-aimagic-Footer-hint')).toContainText('For Claude or OpenAI');
  // The computed prefix was saved to the slot directory.
  await expect.poll(() => readdirSync(server.slotDir).filter(f => f.startsWith('aimagic-')).length, { timeout: 30000 }).toBe(1);

  await addPrompt(page, 'Say goodbye.');
  const warm = cacheRead(await footerOf(page, 2));
  expect(warm).toBeGreaterThan(500);

  // Server down: the cell says which server and what to do, and keeps the prompt.
  await server.stop();
  await addPrompt(page, 'Say thanks.');
  const down = cellAt(page, 3).locator('.jp-aimagic-Footer-error');
  await expect(down).toContainText('local model server', { timeout: 60000 });
  await expect(down).toContainText('engine.py start');
  expect(await sourceAt(page, 3)).toBe('Say thanks.');

  await server.start();
  await runAt(page, 3);
  const restoredFooter = await footerOf(page, 3);
  // Without the restore a fresh server would have nothing cached.
  expect(cacheRead(restoredFooter)).toBeGreaterThan(500);
  expect(restoredFooter).toContain('prefix restored from disk');
});
