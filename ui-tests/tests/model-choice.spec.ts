/**
 * Provider and model per AI cell (cell toolbar) and per notebook, with OpenAI through the
 * Jupyter proxy (the project's strict fake OpenAI server behind the "openai" upstream).
 */
import { expect, test } from '@jupyterlab/galata';
import { APIRequestContext } from '@playwright/test';
import { addPrompt, cellAt, messageRequests, metadataAt, resetFake, runAt, sourceAt, startCommand, waitForError, waitForFooter } from './helpers';

const FAKE_OPENAI = `http://127.0.0.1:${process.env.AIMAGIC_FAKE_OPENAI_PORT || String(Number(process.env.AIMAGIC_FAKE_ANTHROPIC_PORT || '8766') + 1000)}`;

/** Chat requests the fake OpenAI server received. */
async function openaiRequests(request: APIRequestContext): Promise<any[]> {
  const log = (await (await request.get(`${FAKE_OPENAI}/_fake/log`)).json()) as any[];
  // Jupyter's request helper may add a cache-busting query string.
  return log.filter(r => r.path.split('?')[0] === '/v1/chat/completions');
}

/** Pick an entry in the open model dialog. */
async function pick(page: any, label: string): Promise<void> {
  const dialog = page.locator('.jp-Dialog');
  await expect(dialog.locator('select')).toBeVisible({ timeout: 30000 });
  await dialog.locator('select').selectOption({ label });
  await dialog.locator('.jp-mod-accept').click();
}

test.use({ autoGoto: true });

test.beforeEach(async ({ request }) => {
  await resetFake(request);
  expect((await request.post(`${FAKE_OPENAI}/_fake/reset`)).ok()).toBeTruthy();
});

test('one AI cell asks OpenAI while the others stay with the settings', async ({ page, request }) => {
  await page.notebook.createNew('choice.ipynb');
  await page.notebook.setCell(0, 'markdown', 'Shared notes');
  await addPrompt(page, 'Hello Claude');
  await waitForFooter(page, 1);

  await addPrompt(page, 'Hello GPT', false);
  // The cell's context menu opens the choice for that AI cell. (The cell toolbar has the same
  // button, but JupyterLab hides the toolbar of an AI cell being edited as overlapping it.)
  await cellAt(page, 2).click({ button: 'right' });
  await page.locator('.lm-Menu-item[data-command="aimagic:choose-cell-model"]').click();
  await pick(page, 'OpenAI · gpt-4.1');
  expect(await metadataAt(page, 2)).toMatchObject({ aimagic_provider: 'openai', aimagic_model: 'gpt-4.1' });
  await runAt(page, 2);
  await expect(await waitForFooter(page, 2)).toContainText('gpt-4.1');

  const [sent] = await openaiRequests(request);
  expect(sent.status).toBe(200);
  expect(sent.body.model).toBe('gpt-4.1');
  expect(sent.body.prompt_cache_key).toMatch(/^aimagic-/);
  expect(JSON.stringify(sent.body.messages)).toContain('Shared notes');
  expect(await messageRequests(request)).toHaveLength(1); // only the first cell went to Anthropic
});

test('a notebook switched to OpenAI sends every AI cell there, with one cache key', async ({ page, request }) => {
  await page.notebook.createNew('nbchoice.ipynb');
  await startCommand(page, 'aimagic:choose-notebook-model');
  await pick(page, 'OpenAI · gpt-5.1-mini');
  await addPrompt(page, 'First');
  await expect(await waitForFooter(page, 1)).toContainText('gpt-5.1-mini');
  await addPrompt(page, 'Second');
  await waitForFooter(page, 2);
  const sent = await openaiRequests(request);
  expect(sent.map(r => r.body.model)).toEqual(['gpt-5.1-mini', 'gpt-5.1-mini']);
  expect(sent[0].body.prompt_cache_key).toBe(sent[1].body.prompt_cache_key);
  expect(await messageRequests(request)).toHaveLength(0);
});

test('an unknown model named in a cell: the answer from OpenAI says so, and the prompt is kept', async ({ page }) => {
  await page.notebook.createNew('unknown.ipynb');
  await addPrompt(page, 'Hello?', false);
  await page.evaluate(() => {
    const cell = (window as any).jupyterapp.shell.currentWidget.content.model.cells.get(1);
    cell.setMetadata('aimagic_provider', 'openai');
    cell.setMetadata('aimagic_model', 'gpt-nonexistent');
  });
  await runAt(page, 1);
  const error = await waitForError(page, 1);
  expect(error).toContain('OpenAI answered 404');
  expect(error).toContain('gpt-nonexistent');
  expect(error).toContain('Check the model name');
  expect(await sourceAt(page, 1)).toBe('Hello?');
});
