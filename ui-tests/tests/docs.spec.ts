/**
 * Context docs: added from a workspace file and from a URL (served by a local HTTP server
 * this spec starts), sent before the dialogue, read from the cache on the next prompt; a doc
 * that cannot be had says why and stops the prompt; invalid metadata is reported and kept.
 */
import { expect, galata, IJupyterLabPageFixture, test } from '@jupyterlab/galata';
import { createServer, Server } from 'http';
import {
  addPrompt, cellAt, command, messageRequests, resetFake, savedNotebook, sourceAt, waitForError, waitForFooter
} from './helpers';

test.use({ autoGoto: true });

const DOCS_PORT = Number(process.env.AIMAGIC_DOCS_TEST_PORT || '8771');
const SITE = `http://127.0.0.1:${DOCS_PORT}`;
// Each doc is above the fake's minimum cacheable prefix (1024 tokens at 4 characters a token).
const FILE_DOC = '# Widget Guide\n\n' + 'Call draw() to render a widget on the canvas. '.repeat(120);
const URL_DOC = '# Remote API\n\n' + 'The render endpoint returns a frame of pixels. '.repeat(100);

let site: Server;
/** When set, /flaky.md answers 503 (its source is down). */
let flakyDown = false;
const LLMS_TXT = '# Lib\n> The lib in brief.\n\n## Docs\n- [Page](page.md): the main page\n\n## Optional\n- [Extra](extra.md)\n';

test.beforeAll(async () => {
  site = createServer((req, res) => {
    const text = (body: string) => {
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(body);
    };
    if (req.url === '/lib/llms.txt') {
      return text(LLMS_TXT);
    } else if (req.url === '/lib/page.md') {
      return text('PAGE TEXT ' + 'about the lib. '.repeat(200));
    } else if (req.url === '/lib/extra.md') {
      return text('EXTRA TEXT');
    } else if (req.url?.startsWith('/flaky.md')) {
      if (flakyDown) {
        res.writeHead(503, { 'content-type': 'text/plain' });
        return res.end('down');
      }
      return text('FLAKY TEXT');
    }
    if (req.url === '/remote.md') {
      res.writeHead(200, { 'content-type': 'text/markdown; charset=utf-8', etag: '"r1"' });
      res.end(URL_DOC);
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not here');
    }
  });
  await new Promise<void>(resolve => site.listen(DOCS_PORT, '127.0.0.1', resolve));
});

test.afterAll(async () => {
  await new Promise<void>(resolve => site.close(() => resolve()));
});

test.beforeEach(async ({ request }) => {
  await resetFake(request);
});

/** Open the docs panel with the palette command. */
async function openDocsPanel(page: IJupyterLabPageFixture) {
  await command(page, 'aimagic:manage-docs');
  const panel = page.locator('#jp-aimagic-docs-panel');
  await expect(panel).toBeVisible();
  return panel;
}

/** Add a doc through the panel's form. */
async function addDoc(page: IJupyterLabPageFixture, source: string) {
  const panel = page.locator('#jp-aimagic-docs-panel');
  await panel.locator('.jp-aimagic-DocsPanel-addSource').fill(source);
  await panel.locator('.jp-aimagic-DocsPanel-addSource').press('Enter');
  return panel.locator(`.jp-aimagic-DocsPanel-row[data-source="${source}"]`);
}

test('docs from a file and a URL are sent first and read from the cache on the next prompt', async ({ page, request, tmpPath }) => {
  await page.contents.uploadContent(FILE_DOC, 'text', `${tmpPath}/guide.md`);
  await page.notebook.createNew('docs.ipynb');
  await page.notebook.setCell(0, 'code', 'x = 1');

  await openDocsPanel(page);
  const fileRow = await addDoc(page, 'guide.md');
  await expect(fileRow.locator('.jp-aimagic-DocsPanel-title')).toHaveText('Widget Guide');
  await expect(fileRow.locator('.jp-aimagic-DocsPanel-status')).toHaveText(/loaded · [\d,]+ tokens/, { timeout: 20000 });
  const urlRow = await addDoc(page, `${SITE}/remote.md`);
  await expect(urlRow.locator('.jp-aimagic-DocsPanel-status')).toHaveText(/loaded · [\d,]+ tokens/, { timeout: 20000 });
  await expect(urlRow.locator('.jp-aimagic-DocsPanel-title')).toHaveText('Remote API');
  await expect(page.locator('#jp-aimagic-docs-panel .jp-aimagic-DocsPanel-costs')).toContainText(
    /With claude-sonnet-5-5: \$[\d.]+ to write them to the cache once, then \$[\d.]+ a prompt read from the cache \(\$[\d.]+ uncached\)/
  );

  await page.notebook.selectCells(0);
  await addPrompt(page, 'How do I draw a widget?');
  const first = await waitForFooter(page, 1);
  await expect(first).toContainText(/[1-9][\d,]* cache write/);
  await expect(first).toContainText(/\$[\d.]+/);
  await addPrompt(page, 'And how do I render a frame?');
  const second = await waitForFooter(page, 2);
  await expect(second).toContainText(/[1-9][\d,]* cache read/);
  await expect(second).toContainText(/\$[\d.]+/);

  const sent = await messageRequests(request);
  expect(sent).toHaveLength(2);
  for (const r of sent) {
    const system = r.body.system.map((b: any) => b.text);
    expect(system[1]).toBe(`<doc title="Widget Guide" source="guide.md">\n${FILE_DOC.replace(/\n+$/, "")}\n</doc>`);
    expect(system[2]).toContain(`<doc title="Remote API" source="${SITE}/remote.md">`);
    expect(r.body.system[2].cache_control).toEqual({ type: 'ephemeral' });
  }
  // The docs prefix is byte-identical from one prompt to the next.
  expect(JSON.stringify(sent[1].body.system)).toBe(JSON.stringify(sent[0].body.system));
  const meta = (await page.evaluate(() => (window as any).jupyterapp.shell.currentWidget.content.model.cells.get(2).metadata)).aimagic;
  expect(meta.usage.cacheRead).toBeGreaterThan(2000);
  expect(meta.cost).toBeGreaterThan(0);

  // The running total in the status bar.
  await expect(page.locator('.jp-aimagic-UsageStatus')).toContainText(/AI [\d,k]+ in · \d+% cached · [\d,]+ out · \$[\d.]+/);

  await page.notebook.save();
  const saved = await savedNotebook(page, `${tmpPath}/docs.ipynb`);
  expect(saved.metadata.aimagic.docs).toEqual([{ source: 'guide.md' }, { source: `${SITE}/remote.md` }]);
});

test('a doc that cannot be had shows why, and the prompt says so instead of sending without it', async ({ page, request }) => {
  await page.notebook.createNew('failing.ipynb');
  await page.notebook.setCell(0, 'markdown', 'Notes');
  await openDocsPanel(page);
  const row = await addDoc(page, `${SITE}/missing.md`);
  await expect(row.locator('.jp-aimagic-DocsPanel-status')).toHaveText('failed', { timeout: 20000 });
  await expect(row.locator('.jp-aimagic-DocsPanel-reason')).toContainText('404');

  await page.notebook.selectCells(0);
  await addPrompt(page, 'Use the docs please');
  const message = await waitForError(page, 1);
  expect(message).toContain('could not be loaded, so the prompt was not sent');
  expect(message).toContain(`"missing.md" (${SITE}/missing.md): The server answered 404`);
  expect(await sourceAt(page, 1)).toBe('Use the docs please');
  expect(await messageRequests(request)).toHaveLength(0);

  // Disabling the doc in the panel lets the prompt go, without it.
  await row.locator('.jp-aimagic-DocsPanel-enabled').uncheck();
  await expect(row.locator('.jp-aimagic-DocsPanel-status')).toHaveText('disabled');
  await page.notebook.selectCells(1);
  await page.keyboard.press('Control+Enter');
  await waitForFooter(page, 1);
  const [sent] = await messageRequests(request);
  expect(sent.body.system).toHaveLength(1);
});

test('docs are managed in the panel: llms.txt expanded, reordered, refreshed (stale when down), removed', async ({ page, request }) => {
  await page.notebook.createNew('manage.ipynb');
  const panel = await openDocsPanel(page);
  const docsMeta = () => page.evaluate(() => (window as any).jupyterapp.shell.currentWidget.content.model.getMetadata('aimagic')?.docs);
  const tokens = async (row: any) => Number(((await row.locator('.jp-aimagic-DocsPanel-status').textContent()) ?? '').replace(/\D/g, ''));

  const llms = await addDoc(page, `${SITE}/lib/llms.txt`);
  await expect(llms.locator('.jp-aimagic-DocsPanel-status')).toHaveText(/loaded/, { timeout: 20000 });
  await expect(llms.locator('.jp-aimagic-DocsPanel-title')).toHaveText('Lib');
  const asIs = await tokens(llms);
  await llms.locator('.jp-aimagic-DocsPanel-expand input').check();
  await expect.poll(() => tokens(llms), { timeout: 20000 }).toBeGreaterThan(asIs + 300);
  await expect(llms.locator('.jp-aimagic-DocsPanel-optional input')).not.toBeChecked();

  flakyDown = false;
  // A URL of its own for each run: the server's doc cache outlives a test run.
  const flakyURL = `${SITE}/flaky.md?run=${Date.now()}`;
  const flaky = await addDoc(page, flakyURL);
  await expect(flaky.locator('.jp-aimagic-DocsPanel-status')).toHaveText(/loaded/, { timeout: 20000 });
  await flaky.locator('.jp-aimagic-DocsPanel-up').click();
  await expect.poll(docsMeta).toEqual([{ source: flakyURL }, { source: `${SITE}/lib/llms.txt`, expand: true }]);
  await expect(panel.locator('.jp-aimagic-DocsPanel-row').first()).toHaveAttribute('data-source', flakyURL);

  // The source goes down: refreshing keeps the cached copy, marked stale with the reason.
  flakyDown = true;
  await flaky.locator('.jp-aimagic-DocsPanel-refreshOne').click();
  await expect(flaky.locator('.jp-aimagic-DocsPanel-status')).toHaveText(/stale · [\d,]+ tokens/, { timeout: 20000 });
  await expect(flaky.locator('.jp-aimagic-DocsPanel-reason')).toContainText('503');
  await panel.locator('.jp-aimagic-DocsPanel-refresh').click();
  await expect(llms.locator('.jp-aimagic-DocsPanel-status')).toHaveText(/loaded/, { timeout: 20000 });
  await expect(flaky.locator('.jp-aimagic-DocsPanel-status')).toHaveText(/stale/, { timeout: 20000 });

  await page.notebook.selectCells(0);
  await addPrompt(page, 'What does the lib do?');
  await waitForFooter(page, 1);
  // The reply says it was written with an older copy of a doc.
  await expect(cellAt(page, 1).locator('.jp-aimagic-ReplyNotice')).toContainText('Sent an older copy of "flaky.md"');
  const [sent] = await messageRequests(request);
  const system = sent.body.system.map((b: any) => b.text);
  expect(system[1]).toContain('FLAKY TEXT');
  expect(system[2]).toContain('<page title="Page" source="' + SITE + '/lib/page.md" notes="the main page">');
  expect(system[2]).not.toContain('EXTRA TEXT');

  await llms.locator('.jp-aimagic-DocsPanel-remove').click();
  await expect(panel.locator('.jp-aimagic-DocsPanel-row')).toHaveCount(1);
  expect(await docsMeta()).toEqual([{ source: flakyURL }]);
  flakyDown = false;
});

test('invalid aimagic metadata is reported and never overwritten without asking', async ({ page, tmpPath }) => {
  await page.notebook.createNew('invalid.ipynb');
  await page.evaluate(() => (window as any).jupyterapp.shell.currentWidget.content.model.setMetadata('aimagic', { docs: 'guide.md', model: 'm' }));
  const panel = await openDocsPanel(page);
  await expect(panel.locator('.jp-aimagic-DocsPanel-problems')).toContainText('aimagic.docs must be a list');
  await expect(panel.locator('.jp-aimagic-DocsPanel-addSource')).toBeDisabled();
  // A prompt is not sent without the doc the broken entry meant.
  await page.notebook.selectCells(0);
  await addPrompt(page, 'Use my docs');
  expect(await waitForError(page, 1)).toContain('aimagic.docs must be a list');
  await page.notebook.save();
  expect((await savedNotebook(page, `${tmpPath}/invalid.ipynb`)).metadata.aimagic).toEqual({ docs: 'guide.md', model: 'm' });

  await panel.locator('.jp-aimagic-DocsPanel-reset').click();
  await expect(panel.locator('.jp-aimagic-DocsPanel-problems')).toHaveCount(0);
  await expect(panel.locator('.jp-aimagic-DocsPanel-addSource')).toBeEnabled();
  expect(await page.evaluate(() => (window as any).jupyterapp.shell.currentWidget.content.model.getMetadata('aimagic'))).toEqual({ docs: [], model: 'm' });
});

test.describe('with pre-warming and a price from the settings', () => {
  test.use({
    mockSettings: {
      ...galata.DEFAULT_SETTINGS,
      'jupyterlab-aimagic:settings': { prewarmDocs: true, model: 'claude-fable-5-2', modelPrices: { 'claude-fable-5-2': { input: 1000, output: 1000 } } }
    }
  });

  test('adding a doc pre-warms the cache, so the first prompt reads it; the settings price it', async ({ page, request, tmpPath }) => {
    await page.contents.uploadContent(FILE_DOC, 'text', `${tmpPath}/guide.md`);
    await page.notebook.createNew('warm.ipynb');
    const panel = await openDocsPanel(page);
    await addDoc(page, 'guide.md');
    await expect(panel.locator('.jp-aimagic-DocsPanel-prewarm')).toContainText(/Docs cache pre-warmed: [1-9][\d,]* tokens written/, { timeout: 20000 });
    const [warm] = await messageRequests(request);
    expect(warm.body.max_tokens).toBe(0);
    expect(warm.body.stream).toBeFalsy();

    await page.notebook.selectCells(0);
    await addPrompt(page, 'First question');
    const footer = await waitForFooter(page, 1);
    await expect(footer).toContainText(/[1-9][\d,]* cache read/);
    // 1000 $/MTok in and out: several dollars, shown in the footer.
    await expect(footer).toContainText(/\$\d+\.\d\d/);
    const sent = await messageRequests(request);
    expect(sent).toHaveLength(2);
    expect(JSON.stringify(sent[1].body.system)).toBe(JSON.stringify(warm.body.system));
  });
});
