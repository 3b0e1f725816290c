/**
 * Every failure a user can meet ends in a clear message in the notebook, with the prompt
 * (and any earlier reply) left as it was.
 */
import { expect, test } from '@jupyterlab/galata';
import {
  SEPARATOR, addPrompt, cellAt, messageRequests, queueFaults, queueReplies, resetFake, runAt, sourceAt,
  waitForError, waitForFooter, command
} from './helpers';

test.use({ autoGoto: true });

test.beforeEach(async ({ request }) => {
  await resetFake(request);
});

const PROMPT = 'Explain the cell above';

/** A notebook with one code cell and a prompt run against a queued fault. */
async function promptWithFaults(page: any, request: any, faults: unknown[]): Promise<string> {
  await page.notebook.createNew();
  await page.notebook.setCell(0, 'code', 'y = 1');
  await queueFaults(request, faults);
  await addPrompt(page, PROMPT);
  return waitForError(page, 1);
}

const status = (status: number, type: string, extra = {}) => ({ kind: 'status', status, type, message: `fake ${type}`, ...extra });

for (const [name, faults, expected] of [
  ['rejected key', [status(401, 'authentication_error')], /rejected the API key \(401\).*ANTHROPIC_API_KEY/],
  // The SDK retries 429 and 529 twice: three faults make the failure final.
  ['rate limit', [1, 2, 3].map(() => status(429, 'rate_limit_error', { retryAfter: 0 })), /rate limit reached \(429\), still after retrying/],
  ['overloaded', [1, 2, 3].map(() => status(529, 'overloaded_error')), /overloaded \(529\)/],
  ['invalid request', [status(400, 'invalid_request_error')], /rejected the request \(400 invalid_request_error\).*fake invalid_request_error/],
  ['permission', [status(403, 'permission_error')], /refused the request \(403 permission_error\)/]
] as const) {
  test(`${name}: message shown, prompt kept`, async ({ page, request }) => {
    const message = await promptWithFaults(page, request, faults as unknown[]);
    expect(message).toMatch(expected as RegExp);
    expect(await sourceAt(page, 1)).toBe(PROMPT);
  });
}

test('overloaded in the middle of the reply keeps the part received', async ({ page, request }) => {
  await queueReplies(request, ['one two three four five six seven eight nine ten eleven twelve']);
  const message = await promptWithFaults(page, request, [{ kind: 'error-event-after', deltas: 2, type: 'overloaded_error' }]);
  expect(message).toMatch(/overloaded.*in the middle of the reply; the part received is kept/);
  const source = await sourceAt(page, 1);
  expect(source.startsWith(`${PROMPT}\n\n${SEPARATOR}\n\none`)).toBe(true);
  await expect(cellAt(page, 1).locator('.jp-aimagic-Footer-info')).toContainText('interrupted');
});

test('connection dropped mid-reply keeps the part received', async ({ page, request }) => {
  await queueReplies(request, ['alpha beta gamma delta epsilon zeta eta theta iota kappa']);
  const message = await promptWithFaults(page, request, [{ kind: 'drop-after', deltas: 2 }]);
  expect(message).toMatch(/dropped in the middle of the reply; the part received is kept/);
  expect(await sourceAt(page, 1)).toMatch(/^Explain the cell above\n\n##### 🤖Reply🤖.*\n\nalpha/s);
});

test('network down: the provider cannot be reached', async ({ page, request }) => {
  // The connection closes before any answer, three times (the SDK retries twice).
  const message = await promptWithFaults(page, request, [1, 2, 3].map(() => ({ kind: 'drop-after', deltas: 0 })));
  expect(message).toMatch(/Could not connect to Anthropic|could not be reached/);
  expect(await sourceAt(page, 1)).toBe(PROMPT);
});

test('no key on the server says how to set one', async ({ page }) => {
  await page.route(/\/aimagic\/status/, route =>
    route.fulfill({ json: { version: 'test', providers: { anthropic: { key: false, upstream: 'x', keyEnv: 'ANTHROPIC_API_KEY' } } } })
  );
  await page.notebook.createNew();
  await page.notebook.setCell(0, 'markdown', 'notes');
  await addPrompt(page, PROMPT);
  const message = await waitForError(page, 1);
  expect(message).toMatch(/No Anthropic API key: set ANTHROPIC_API_KEY in the environment of the Jupyter server and restart it/);
  expect(await sourceAt(page, 1)).toBe(PROMPT);
});

test('server extension missing says what to install', async ({ page, request }) => {
  await page.route(/\/aimagic\/status/, route => route.fulfill({ status: 404, body: 'Not Found' }));
  await page.notebook.createNew();
  await page.notebook.setCell(0, 'markdown', 'notes');
  await addPrompt(page, PROMPT);
  const message = await waitForError(page, 1);
  expect(message).toMatch(/server extension is not running.*pip install jupyterlab_aimagic/);
  expect(await messageRequests(request)).toHaveLength(0);
});

test('a failed re-run keeps the earlier reply', async ({ page, request }) => {
  await page.notebook.createNew();
  await page.notebook.setCell(0, 'markdown', 'notes');
  await queueReplies(request, ['The first reply.']);
  await addPrompt(page, PROMPT);
  await waitForFooter(page, 1);
  const before = await sourceAt(page, 1);
  await queueFaults(request, [status(401, 'authentication_error')]);
  await runAt(page, 1);
  await waitForError(page, 1);
  expect(await sourceAt(page, 1)).toBe(before);
});

test('stop keeps the partial reply and marks it stopped', async ({ page, request }) => {
  await page.notebook.createNew();
  await page.notebook.setCell(0, 'markdown', 'notes');
  await queueReplies(request, [Array.from({ length: 200 }, (_, i) => `word${i}`).join(' ')]);
  await queueFaults(request, [{ kind: 'slow', deltaDelayMs: 100 }]);
  await addPrompt(page, PROMPT);
  await expect(cellAt(page, 1).locator('.jp-aimagic-Streaming-body')).toContainText('word1', { timeout: 20000 });
  await page.locator('jp-button[data-command="aimagic:stop"]').click();
  const footer = await waitForFooter(page, 1);
  await expect(footer).toContainText('stopped');
  const source = await sourceAt(page, 1);
  expect(source).toContain('word0');
  expect(source).not.toContain('word199');
});

test('the stop command with nothing running says so', async ({ page }) => {
  await page.notebook.createNew();
  await command(page, 'aimagic:stop');
  await expect(page.locator('.Toastify__toast')).toContainText('No AI reply is running');
});

test('stop while waiting for the cells above sends nothing and says so', async ({ page, request }) => {
  await page.notebook.createNew();
  await page.notebook.setCell(0, 'code', 'import time\ntime.sleep(4)');
  await addPrompt(page, PROMPT, false);
  await page.menu.clickMenuItem('Run>Run All Cells');
  await expect(cellAt(page, 1)).toHaveClass(/jp-aimagic-mod-queued/);
  await page.locator('jp-button[data-command="aimagic:stop"]').click();
  const message = await waitForError(page, 1);
  expect(message).toBe('Stopped before the prompt was sent.');
  expect(await sourceAt(page, 1)).toBe(PROMPT);
  expect(await messageRequests(request)).toHaveLength(0);
});
