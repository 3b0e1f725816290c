/**
 * Hardening: opening a notebook fetches nothing; a reply survives its cell being moved (and
 * is offered when the cell is deleted); a failed re-run keeps the good reply; remote images
 * in a reply make no request; usage is kept for a stopped reply and the status bar follows
 * each reply.
 */
import { expect, galata, IJupyterLabPageFixture, test } from '@jupyterlab/galata';
import { APIRequestContext } from '@playwright/test';
import { createServer, Server } from 'http';
import {
  SEPARATOR, addPrompt, cellAt, command, messageRequests, queueFaults, queueReplies, resetFake, runAt, sourceAt, waitForError, waitForFooter
} from './helpers';

test.use({ autoGoto: true });

// The docs port is the one the test server config allows the doc fetcher to reach; the image
// host is any other port (the browser would load from it; the server is never asked).
const DOCS_PORT = Number(process.env.AIMAGIC_DOCS_TEST_PORT || '8771');
const SITE = `http://127.0.0.1:${DOCS_PORT}`;
const IMAGE_PORT = Number(process.env.AIMAGIC_IMAGE_TEST_PORT || '18311');
const IMAGES = `http://127.0.0.1:${IMAGE_PORT}`;
const DOC = '# Remote Doc\n\n' + 'The remote doc says hello. '.repeat(20);
const PIXEL = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

/** Paths each local server was asked for. */
const hits: { docs: string[]; images: string[] } = { docs: [], images: [] };
let servers: Server[] = [];

test.beforeAll(async () => {
  const serve = (port: number, log: string[], answer: (url: string, res: any) => void) =>
    new Promise<Server>(resolve => {
      const server = createServer((req, res) => {
        log.push(req.url ?? '');
        answer(req.url ?? '', res);
      });
      server.listen(port, '127.0.0.1', () => resolve(server));
    });
  servers = [
    await serve(DOCS_PORT, hits.docs, (_url, res) => {
      res.writeHead(200, { 'content-type': 'text/markdown; charset=utf-8' });
      res.end(DOC);
    }),
    await serve(IMAGE_PORT, hits.images, (_url, res) => {
      res.writeHead(200, { 'content-type': 'image/png' });
      res.end(Buffer.from(PIXEL, 'base64'));
    })
  ];
});

test.afterAll(async () => {
  await Promise.all(servers.map(s => new Promise<void>(resolve => s.close(() => resolve()))));
});

test.beforeEach(async ({ request }) => {
  await resetFake(request);
  hits.docs.length = 0;
  hits.images.length = 0;
});

/** A notebook file whose metadata lists a URL doc. */
function notebookWithURLDoc(): string {
  return JSON.stringify({
    cells: [{ cell_type: 'markdown', id: 'n1', metadata: {}, source: 'Someone else wrote this notebook.' }],
    metadata: { aimagic: { docs: [{ source: `${SITE}/doc.md` }] }, kernelspec: { name: 'python3', display_name: 'Python 3' } },
    nbformat: 4,
    nbformat_minor: 5
  });
}

/** Count the browser's calls to the doc fetch route. */
function countDocFetches(page: IJupyterLabPageFixture): string[] {
  const calls: string[] = [];
  page.on('request', r => {
    if (r.url().includes('aimagic/docs/fetch')) {
      calls.push(r.postData() ?? '');
    }
  });
  return calls;
}

test('opening a notebook with URL docs fetches nothing, with or without the docs panel open', async ({ page, tmpPath }) => {
  const calls = countDocFetches(page);
  await page.contents.uploadContent(notebookWithURLDoc(), 'text', `${tmpPath}/theirs.ipynb`);
  await page.contents.uploadContent(notebookWithURLDoc(), 'text', `${tmpPath}/theirs2.ipynb`);

  await page.notebook.openByPath(`${tmpPath}/theirs.ipynb`);
  await page.waitForTimeout(1500);
  expect(calls).toEqual([]);
  expect(hits.docs).toEqual([]);

  // With the panel open on another notebook, a notebook that becomes current still fetches
  // nothing: its URL doc waits, and says how to fetch it.
  await page.notebook.createNew('mine.ipynb');
  await command(page, 'aimagic:manage-docs');
  const panel = page.locator('#jp-aimagic-docs-panel');
  await expect(panel).toBeVisible();
  await page.notebook.openByPath(`${tmpPath}/theirs2.ipynb`);
  const row = panel.locator(`.jp-aimagic-DocsPanel-row[data-source="${SITE}/doc.md"]`);
  await expect(row.locator('.jp-aimagic-DocsPanel-status')).toHaveText('not fetched', { timeout: 20000 });
  await expect(row.locator('.jp-aimagic-DocsPanel-reason')).toContainText('URLs are fetched when you run an AI cell');
  expect(calls).toEqual([]);
  expect(hits.docs).toEqual([]);

  // The user's act fetches it (positive control: the server would have been reached).
  await panel.locator('.jp-aimagic-DocsPanel-refresh').click();
  await expect(row.locator('.jp-aimagic-DocsPanel-status')).toHaveText(/loaded · [\d,]+ tokens/, { timeout: 20000 });
  expect(hits.docs).toEqual(['/doc.md']);
});

const WORDS = Array.from({ length: 120 }, (_, i) => `word${i}`).join(' ');

/** A notebook with a note and an AI cell below it whose reply is streaming slowly. */
async function streamingBelowANote(page: IJupyterLabPageFixture, request: APIRequestContext, prompt: string, deltaDelayMs: number): Promise<void> {
  await page.notebook.createNew();
  await page.notebook.setCell(0, 'markdown', 'notes');
  await queueReplies(request, [WORDS]);
  await queueFaults(request, [{ kind: 'slow', deltaDelayMs }]);
  await addPrompt(page, prompt);
  await expect(cellAt(page, 1).locator('.jp-aimagic-Streaming-body')).toContainText('word1', { timeout: 20000 });
}

test('a reply survives its AI cell being moved while it streams', async ({ page, request }) => {
  await streamingBelowANote(page, request, 'Count', 40);
  await page.notebook.selectCells(1);
  await command(page, 'notebook:move-cell-up');
  const footer = await waitForFooter(page, 0);
  await expect(footer).toContainText(/[1-9][\d,]* out/);
  expect(await sourceAt(page, 0)).toBe(`Count\n\n${SEPARATOR}\n\n${WORDS}`);
  expect(await sourceAt(page, 1)).toBe('notes');
  await expect(page.locator('.Toastify__toast')).toHaveCount(0);
});

test('a reply whose AI cell was deleted while it streamed is offered, not lost', async ({ page, request }) => {
  await streamingBelowANote(page, request, 'Count', 40);
  await page.notebook.selectCells(1);
  await command(page, 'notebook:delete-cell');
  const toast = page.locator('.Toastify__toast').filter({ hasText: 'was deleted while its reply was streaming' });
  await expect(toast).toBeVisible({ timeout: 30000 });
  await toast.getByRole('button', { name: 'Insert as AI cell' }).click();
  await expect.poll(() => sourceAt(page, 1), { timeout: 10000 }).toBe(`Count\n\n${SEPARATOR}\n\n${WORDS}`);
});

test('a re-run that fails part-way keeps the earlier complete reply, and shows the partial one', async ({ page, request }) => {
  await page.notebook.createNew();
  await page.notebook.setCell(0, 'markdown', 'notes');
  await queueReplies(request, ['The FIRST complete reply.']);
  await addPrompt(page, 'Answer');
  await waitForFooter(page, 1);
  const answered = await sourceAt(page, 1);
  expect(answered).toContain('The FIRST complete reply.');

  await queueReplies(request, ['second attempt alpha beta gamma delta epsilon zeta eta theta']);
  await queueFaults(request, [{ kind: 'drop-after', deltas: 3 }]);
  await runAt(page, 1);
  const message = await waitForError(page, 1);
  expect(message).toMatch(/dropped in the middle of the reply.*The earlier reply is kept/s);
  expect(await sourceAt(page, 1)).toBe(answered);
  const partial = cellAt(page, 1).locator('.jp-aimagic-Footer-partial');
  await expect(partial).toBeVisible();
  await partial.locator('summary').click();
  await expect(partial.locator('pre')).toContainText('second attempt');
});

test('remote images in a reply are links and make no request; inline images show', async ({ page, request }) => {
  const requested: string[] = [];
  page.on('request', r => r.url().startsWith(IMAGES) && requested.push(r.url()));
  const reply = [
    'Here is the chart:',
    `![leak](${IMAGES}/md.png?q=secret)`,
    `<img src="${IMAGES}/html.png?q=secret" alt="html leak">`,
    `![inline](data:image/png;base64,${PIXEL})`,
    'The end of the reply.'
  ].join('\n\n');
  await page.notebook.createNew();
  await page.notebook.setCell(0, 'markdown', 'notes');
  await queueReplies(request, [reply]);
  await queueFaults(request, [{ kind: 'slow', deltaDelayMs: 30 }]);
  await addPrompt(page, 'Draw');
  await waitForFooter(page, 1);
  const rendered = cellAt(page, 1).locator('.jp-MarkdownOutput');
  await expect(rendered).toContainText('The end of the reply.');
  await expect(rendered.locator('a.jp-aimagic-BlockedImage')).toHaveCount(2);
  await expect(rendered.locator('a.jp-aimagic-BlockedImage').first()).toHaveAttribute('href', `${IMAGES}/md.png?q=secret`);
  await expect(rendered.locator('img[src^="data:image/png"]')).toHaveCount(1);
  await page.waitForTimeout(500);
  expect(requested).toEqual([]);
  expect(hits.images).toEqual([]);
});

test('the status bar shows the total as soon as the first reply ends', async ({ page, request }) => {
  await page.notebook.createNew();
  await page.notebook.setCell(0, 'markdown', 'notes');
  await queueReplies(request, ['A short reply.']);
  await addPrompt(page, 'Hello');
  const footer = await waitForFooter(page, 1);
  const input = /([\d,]+) in/.exec((await footer.textContent()) ?? '')![1];
  await expect(page.locator('.jp-aimagic-UsageStatus')).toContainText(`AI ${input} in`, { timeout: 5000 });
});

test("a stopped reply's footer and the status bar keep the input tokens the provider reported", async ({ page, request }) => {
  await streamingBelowANote(page, request, 'Count slowly', 100);
  await page.locator('jp-button[data-command="aimagic:stop"]').click();
  const footer = await waitForFooter(page, 1);
  await expect(footer).toContainText('stopped');
  await expect(footer).toContainText(/(^|· )[1-9][\d,]* in/);
  await expect(page.locator('.jp-aimagic-UsageStatus')).toContainText(/AI [1-9][\d,]* in/, { timeout: 5000 });
});

test.describe('with pre-warming on', () => {
  test.use({ mockSettings: { ...galata.DEFAULT_SETTINGS, 'jupyterlab-aimagic:settings': { prewarmDocs: true } } });

  test("a notebook's own model is not pre-warmed before the user ran an AI cell in it", async ({ page, request, tmpPath }) => {
    await page.contents.uploadContent('# Guide\n\n' + 'Call draw() to render. '.repeat(300), 'text', `${tmpPath}/guide.md`);
    const nb = JSON.parse(notebookWithURLDoc());
    nb.metadata.aimagic = { docs: [{ source: 'guide.md' }], model: 'claude-fable-5-2', system: 'Always answer at length.' };
    await page.contents.uploadContent(JSON.stringify(nb), 'text', `${tmpPath}/chosen.ipynb`);
    await page.notebook.openByPath(`${tmpPath}/chosen.ipynb`);
    await command(page, 'aimagic:manage-docs');
    const panel = page.locator('#jp-aimagic-docs-panel');
    await expect(panel.locator('.jp-aimagic-DocsPanel-status')).toHaveText(/loaded · [\d,]+ tokens/, { timeout: 20000 });
    await expect(panel.locator('.jp-aimagic-DocsPanel-prewarm')).toContainText('this notebook chooses its own model or instructions');
    await page.waitForTimeout(1000);
    expect(await messageRequests(request)).toEqual([]);
  });
});

test('a reply stopped before any text still counts the input the provider reported', async ({ page, request }) => {
  await page.notebook.createNew();
  await page.notebook.setCell(0, 'markdown', 'notes');
  await queueReplies(request, ['late words']);
  await queueFaults(request, [{ kind: 'slow', deltaDelayMs: 6000 }]); // message_start comes at once
  await addPrompt(page, 'Wait');
  await expect(cellAt(page, 1).locator('.jp-aimagic-Streaming')).toBeVisible();
  await page.waitForTimeout(1500);
  await page.locator('jp-button[data-command="aimagic:stop"]').click();
  expect(await waitForError(page, 1)).toContain('Stopped before any reply arrived');
  expect(await sourceAt(page, 1)).toBe('Wait');
  await expect(page.locator('.jp-aimagic-UsageStatus')).toContainText(/AI [1-9][\d,]* in/, { timeout: 5000 });
});
