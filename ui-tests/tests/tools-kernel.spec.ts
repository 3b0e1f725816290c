/**
 * The kernel side of tools, end to end in a real kernel: Stop during a slow tool, a tool that
 * raises, a tool past the time limit, a kernel that dies in the middle of the loop. Whatever
 * happens, the reply keeps every call made with its result, and no user cell changes.
 */
import { expect, galata, IJupyterLabPageFixture, test } from '@jupyterlab/galata';
import { APIRequestContext } from '@playwright/test';
import { setSourceAt } from './dialogue-helpers';
import { FAKE, addPrompt, cellAt, command, messageRequests, resetFake, sourceAt, waitForError, waitForFooter } from './helpers';

// Galata's kernel tracking proxies POST /api/kernels/… and parses the answer as JSON, which
// fails on an interrupt's empty 204; the sessions it tracks still shut their kernels down.
test.use({ autoGoto: true, kernels: null });

test.beforeEach(async ({ request }) => {
  await resetFake(request);
});

const SLOW = 'import time\ndef slow(seconds: float) -> str:\n    """Wait a while."""\n    print("working", flush=True)\n    time.sleep(seconds)\n    return "done"';

/** Queue replies that may call tools (`{text?, tool_calls: [{name, input}]}`) or are text. */
async function queueScripted(request: APIRequestContext, replies: unknown[]): Promise<void> {
  expect((await request.post(`${FAKE}/_fake/replies`, { data: { replies } })).ok()).toBeTruthy();
}

/** A notebook whose first cell defines the tools (run), and a prompt below it (run). */
async function promptWithTools(page: IJupyterLabPageFixture, code: string, prompt: string): Promise<void> {
  await page.notebook.createNew();
  // Set, not typed: the editor would indent the typed lines again.
  await page.notebook.setCell(0, 'code', 'pass');
  await setSourceAt(page, 0, code);
  await page.notebook.runCell(0, true);
  await expect(cellAt(page, 0).locator('.jp-InputPrompt')).toHaveText('[1]:');
  await addPrompt(page, prompt);
}

/** The `{.tool}` blocks of a cell's source, as JSON. */
function toolBlocks(source: string): any[] {
  return Array.from(source.matchAll(/```json \{\.tool\}\n([\s\S]*?)\n```/g), m => JSON.parse(m[1]));
}

/** The tool results of the last user turn of a logged request. */
function toolResults(body: any): any[] {
  const last = body.messages[body.messages.length - 1];
  return (last.content as any[]).filter(b => b.type === 'tool_result');
}

/** The kernel's status as the notebook sees it. */
async function kernelStatus(page: IJupyterLabPageFixture): Promise<string> {
  return page.evaluate(() => (window as any).jupyterapp.shell.currentWidget.sessionContext.session?.kernel?.status ?? 'none');
}

/** The execution count of the code cell at an index. */
async function executionCount(page: IJupyterLabPageFixture, index: number): Promise<number | null> {
  return page.evaluate(i => (window as any).jupyterapp.shell.currentWidget.content.model.cells.get(i).executionCount, index);
}

test('Stop during a slow tool interrupts it at once and keeps the call, marked stopped', async ({ page, request }) => {
  await queueScripted(request, [{ text: 'Let me wait.', tool_calls: [{ name: 'slow', input: { seconds: 120 } }] }, 'never asked for']);
  await promptWithTools(page, SLOW, 'Wait with &`slow`');
  await expect(cellAt(page, 1).locator('.jp-aimagic-ToolCall.jp-mod-running')).toBeVisible({ timeout: 30000 });
  await expect.poll(() => kernelStatus(page), { timeout: 10000 }).toBe('busy');
  const stoppedAt = Date.now();
  await command(page, 'aimagic:stop');
  const footer = await waitForFooter(page, 1);
  expect(Date.now() - stoppedAt).toBeLessThan(10000);
  await expect(footer).toContainText('stopped');
  const source = await sourceAt(page, 1);
  expect(source).toContain('Let me wait.');
  const [block] = toolBlocks(source);
  expect(block).toMatchObject({ name: 'slow', args: { seconds: 120 }, error: true });
  expect(block.result).toContain('Stopped by the user: the kernel was interrupted.');
  expect(block.result).toContain('working');
  await expect(cellAt(page, 1).locator('.jp-aimagic-ToolCall.jp-mod-error')).toBeVisible();
  expect(await messageRequests(request)).toHaveLength(1);
  // The kernel is free again, and the user's cell is as it was.
  await expect.poll(() => kernelStatus(page), { timeout: 10000 }).toBe('idle');
  expect(await sourceAt(page, 0)).toBe(SLOW);
  expect(await executionCount(page, 0)).toBe(1);
});

test('a tool that raises gives its error to the model, and the loop goes on to an answer', async ({ page, request }) => {
  const code = 'def check(x: int) -> int:\n    """Check a number."""\n    if x > 2:\n        raise ValueError(f"{x} is too big")\n    return x';
  await queueScripted(request, [{ tool_calls: [{ name: 'check', input: { x: 3 } }] }, 'It raised ValueError: 3 is too big.']);
  await promptWithTools(page, code, 'Check 3 with &`check`');
  await waitForFooter(page, 1);
  const source = await sourceAt(page, 1);
  expect(source).toContain('It raised ValueError: 3 is too big.');
  const [block] = toolBlocks(source);
  expect(block).toMatchObject({ name: 'check', args: { x: 3 }, error: true });
  expect(block.result).toMatch(/^ValueError: 3 is too big\nTraceback \(most recent call last\):\n.*in check/s);
  await expect(cellAt(page, 1).locator('.jp-aimagic-ToolCall.jp-mod-error')).toBeVisible();
  const requests = await messageRequests(request);
  expect(requests).toHaveLength(2);
  const [result] = toolResults(requests[1].body);
  expect(result.is_error).toBe(true);
  expect(JSON.stringify(result.content)).toContain('ValueError: 3 is too big');
  expect(await executionCount(page, 0)).toBe(1);
});

test.describe('a tool past the time limit', () => {
  test.use({ mockSettings: { ...galata.DEFAULT_SETTINGS, 'jupyterlab-aimagic:settings': { toolTimeout: 2 } } });

  test('is interrupted, and the model is told it timed out', async ({ page, request }) => {
    await queueScripted(request, [{ tool_calls: [{ name: 'slow', input: { seconds: 120 } }] }, 'It timed out.']);
    const started = Date.now();
    await promptWithTools(page, SLOW, 'Wait with &`slow`');
    await waitForFooter(page, 1);
    expect(Date.now() - started).toBeLessThan(30000);
    const source = await sourceAt(page, 1);
    expect(source).toContain('It timed out.');
    const [block] = toolBlocks(source);
    expect(block.error).toBe(true);
    expect(block.result).toContain('Timed out after 2 s: the kernel was interrupted.');
    expect(block.result).toContain('working');
    const requests = await messageRequests(request);
    expect(requests).toHaveLength(2);
    expect(toolResults(requests[1].body)[0].is_error).toBe(true);
    await expect.poll(() => kernelStatus(page), { timeout: 10000 }).toBe('idle');
  });
});

test('a kernel that dies mid-loop: a message, the reply so far with its calls, no user cell changed', async ({ page, request }) => {
  const code = 'import os\ndef fine() -> str:\n    return "all fine"\ndef crash():\n    """Exit the kernel."""\n    os._exit(1)';
  await queueScripted(request, [
    { text: 'First this.', tool_calls: [{ name: 'fine', input: {} }] },
    { text: 'Now that.', tool_calls: [{ name: 'crash', input: {} }] },
    'never asked for'
  ]);
  await promptWithTools(page, code, 'Use &`[fine, crash]`');
  const message = await waitForError(page, 1);
  expect(message).toMatch(/crash could not be run: The tool crash did not finish: the kernel (died|restarted)/);
  const dialog = page.locator('.jp-Dialog');
  if (await dialog.isVisible()) {
    await dialog.locator('.jp-mod-accept').click();
  }
  const source = await sourceAt(page, 1);
  expect(source).toContain('First this.');
  expect(source).toContain('Now that.');
  const blocks = toolBlocks(source);
  expect(blocks.map(b => [b.name, b.result.slice(0, 40)])).toEqual([
    ['fine', 'all fine'],
    ['crash', expect.stringMatching(/^crash could not be run/)]
  ]);
  expect(await messageRequests(request)).toHaveLength(2);
  expect(await sourceAt(page, 0)).toBe(code);
});
