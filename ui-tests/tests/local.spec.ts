/**
 * The local engine end to end: llama.cpp's server from the xllamacpp wheel with the small
 * real model, started by the Jupyter server itself behind the proxy's "local" upstream when
 * the first AI cell asks (the cell says so meanwhile). A streamed reply lands in the notebook,
 * the second prompt with the same prefix reads it from the KV cache, and after the engine was
 * stopped the next prompt has the server start it again, with the prefix saved on disk
 * restored instead of recomputed.
 */
import { expect, galata, test } from '@jupyterlab/galata';
import { IJupyterLabPageFixture } from '@jupyterlab/galata';
import { readdirSync } from 'fs';
import { addPrompt, cellAt, sourceAt, SEPARATOR } from './helpers';
import { LocalEngine, MODEL_ALIAS } from './llama';

const engine = new LocalEngine();

test.use({
  autoGoto: true,
  mockSettings: { ...galata.DEFAULT_SETTINGS, 'jupyterlab-aimagic:settings': { maxTokens: 16 } }
});

/** Long, fixed notebook instructions: the prefix the server caches (about 700 tokens). */
const PREFIX = Array.from({ length: 60 }, (_, i) => `Rule ${i + 1}: answer briefly and politely, in plain words.`).join('\n');

/** The status line of the AI cell at an index while its reply is awaited. */
const statusOf = (page: IJupyterLabPageFixture, index: number) => cellAt(page, index).locator('.jp-aimagic-Streaming-status');

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
  // Nothing runs before the first AI cell: the server starts the engine now, and says so.
  await expect(statusOf(page, 1)).toContainText('Starting the local model', { timeout: 30000 });
  const first = await footerOf(page, 1);
  expect(first).toContain(MODEL_ALIAS);
  expect(await sourceAt(page, 1)).toMatch(new RegExp(`Say hello\\.\\n\\n${SEPARATOR.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\n\\n\\S`));
  await expect(cellAt(page, 1).locator('.jp-aimagic-Footer-hint')).toContainText('For Claude or OpenAI');
  // The computed prefix was saved to the slot directory.
  await expect.poll(() => readdirSync(engine.slotDir).filter(f => f.startsWith('aimagic-')).length, { timeout: 30000 }).toBe(1);

  await addPrompt(page, 'Say goodbye.');
  const warm = cacheRead(await footerOf(page, 2));
  expect(warm).toBeGreaterThan(500);

  // Stopped (as by "jupyter aimagic engine stop"): the next prompt has the server start it
  // again, and the prefix is read back from the slot file, not recomputed.
  await engine.stop();
  await addPrompt(page, 'Say thanks.');
  await expect(statusOf(page, 3)).toContainText('Starting the local model', { timeout: 30000 });
  const restoredFooter = await footerOf(page, 3);
  // Without the restore a fresh server would have nothing cached.
  expect(cacheRead(restoredFooter)).toBeGreaterThan(500);
  expect(restoredFooter).toContain('prefix restored from disk');
});
