/**
 * Helpers shared by the AI Magic UI tests: drive the fake Anthropic server, make and run AI
 * cells, read what was saved.
 */
import { expect, IJupyterLabPageFixture } from '@jupyterlab/galata';
import { APIRequestContext } from '@playwright/test';

export const FAKE = `http://127.0.0.1:${process.env.AIMAGIC_FAKE_ANTHROPIC_PORT || '8766'}`;
export const SEPARATOR = '##### 🤖Reply🤖<!-- SOLVEIT_SEPARATOR_7f3a9b2c -->';

/** A request the fake server logged. */
export interface Logged {
  method: string;
  path: string;
  status: number;
  headers: Record<string, string>;
  body: any;
}

/** Reset the fake server: no faults, no canned replies, empty log. */
export async function resetFake(request: APIRequestContext): Promise<void> {
  expect((await request.post(`${FAKE}/_fake/reset`)).ok()).toBeTruthy();
}

/** Queue faults for the next requests. */
export async function queueFaults(request: APIRequestContext, faults: unknown[]): Promise<void> {
  expect((await request.post(`${FAKE}/_fake/faults`, { data: faults })).ok()).toBeTruthy();
}

/** Queue exact replies: texts, or `{text?, tool_calls: [{name, input}]}` for a model that calls tools. */
export async function queueReplies(request: APIRequestContext, replies: Array<string | { text?: string; tool_calls?: Array<{ name: string; input: object; id?: string }> }>): Promise<void> {
  expect((await request.post(`${FAKE}/_fake/replies`, { data: { replies } })).ok()).toBeTruthy();
}

/** The messages requests the fake received. */
export async function messageRequests(request: APIRequestContext): Promise<Logged[]> {
  const log = (await (await request.get(`${FAKE}/_fake/log`)).json()) as Logged[];
  return log.filter(r => r.path === '/v1/messages' && r.method === 'POST');
}

/** All the text of a messages request body, for containment checks. */
export function bodyText(body: any): string {
  const parts: string[] = [];
  for (const m of body.messages ?? []) {
    for (const b of typeof m.content === 'string' ? [{ text: m.content }] : m.content) {
      if (b.text) {
        parts.push(b.text);
      }
    }
  }
  return parts.join('\n');
}

/** Run a JupyterLab command in the page. */
export async function command(page: IJupyterLabPageFixture, id: string, args: Record<string, unknown> = {}): Promise<void> {
  await page.evaluate(({ id, args }) => (window as any).jupyterapp.commands.execute(id, args), { id, args });
}

/** Start a JupyterLab command without waiting for it (for commands that open a dialog). */
export async function startCommand(page: IJupyterLabPageFixture, id: string): Promise<void> {
  await page.evaluate(id => {
    void (window as any).jupyterapp.commands.execute(id);
  }, id);
}

/** The cell node at an index. */
export function cellAt(page: IJupyterLabPageFixture, index: number) {
  return page.locator('.jp-Notebook .jp-Cell').nth(index);
}

/**
 * Insert an AI cell below the active cell with the command, type a prompt and run it.
 */
export async function addPrompt(page: IJupyterLabPageFixture, prompt: string, run = true): Promise<void> {
  await command(page, 'aimagic:insert-ai-cell-below');
  await page.keyboard.type(prompt);
  if (run) {
    await page.keyboard.press('Control+Enter');
  }
}

/** Run the cell at an index with Ctrl+Enter (the keyboard path of the executor). */
export async function runAt(page: IJupyterLabPageFixture, index: number): Promise<void> {
  await page.notebook.selectCells(index);
  await page.keyboard.press('Control+Enter');
}

/** Wait until the AI cell at an index shows a footer line (a reply was written). */
export async function waitForFooter(page: IJupyterLabPageFixture, index: number) {
  const info = cellAt(page, index).locator('.jp-aimagic-Footer-info');
  await expect(info).not.toBeEmpty({ timeout: 30000 });
  return info;
}

/** Wait until the AI cell at an index shows an error message, and return its text. */
export async function waitForError(page: IJupyterLabPageFixture, index: number): Promise<string> {
  const error = cellAt(page, index).locator('.jp-aimagic-Footer-error');
  await expect(error).toBeVisible({ timeout: 45000 });
  return (await error.textContent()) ?? '';
}

/** The source of the cell at an index, from the notebook model. */
export async function sourceAt(page: IJupyterLabPageFixture, index: number): Promise<string> {
  return page.evaluate(i => {
    const panel = (window as any).jupyterapp.shell.currentWidget;
    return panel.content.model.cells.get(i).sharedModel.getSource();
  }, index);
}

/** The metadata of the cell at an index. */
export async function metadataAt(page: IJupyterLabPageFixture, index: number): Promise<any> {
  return page.evaluate(i => {
    const panel = (window as any).jupyterapp.shell.currentWidget;
    return panel.content.model.cells.get(i).metadata;
  }, index);
}

/** The saved notebook file, read back through the contents API. */
export async function savedNotebook(page: IJupyterLabPageFixture, path: string): Promise<any> {
  const response = await page.request.get(`/api/contents/${path}?content=1&type=notebook`);
  expect(response.ok()).toBeTruthy();
  return (await response.json()).content;
}
