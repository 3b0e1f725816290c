/**
 * Dialogue engineering in the notebook: code from replies into cells, editing and
 * regenerating replies (with undo), skip and pin, the dialog mode.
 */
import { expect, galata, test } from '@jupyterlab/galata';
import {
  SEPARATOR, addPrompt, bodyText, cellAt, command, messageRequests, metadataAt, queueFaults, queueReplies,
  resetFake, runAt, sourceAt, waitForFooter
} from './helpers';
import { blockButtons, cellsOf, editCell, expectToast, idAt, setSourceAt, undoInNotebook } from './dialogue-helpers';

test.use({ autoGoto: true });

test.beforeEach(async ({ request }) => {
  await resetFake(request);
});

const CODE_REPLY = [
  'Here is the code:',
  '',
  '```python',
  'import math',
  'r = 2',
  'print(math.pi * r ** 2)',
  '```',
  '',
  'Install first:',
  '',
  '```bash',
  'pip install numpy',
  '```',
  '',
  'And the query:',
  '',
  '```sql',
  'select 1',
  '```'
].join('\n');
const PY = 'import math\nr = 2\nprint(math.pi * r ** 2)';

test('each code block has an insert button; cells go below the reply, not run, one undo step per action', async ({ page, request }) => {
  await page.notebook.createNew('code.ipynb');
  await page.notebook.setCell(0, 'markdown', 'notes');
  await queueReplies(request, [CODE_REPLY]);
  await addPrompt(page, 'Compute the area of a circle');
  await waitForFooter(page, 1);
  const ai = await idAt(page, 1);

  await expect(blockButtons(page, 1)).toHaveCount(3);
  await blockButtons(page, 1).nth(0).click();
  let cells = await cellsOf(page);
  expect(cells).toHaveLength(3);
  expect(cells[2]).toEqual({ type: 'code', source: PY, from: ai, count: null });

  // The next insert from the same reply goes after the cells already inserted from it.
  await blockButtons(page, 1).nth(1).click();
  cells = await cellsOf(page);
  expect(cells.map(c => c.source)).toEqual(['notes', expect.stringContaining('Compute'), PY, '%pip install numpy']);
  expect(cells[3].from).toBe(ai);

  // Another language stays out (the default setting), and says why.
  await blockButtons(page, 1).nth(2).click();
  await expectToast(page, 'No code for the python kernel here (sql)');
  expect(await page.notebook.getCellCount()).toBe(4);

  // One undo takes back one insert.
  await undoInNotebook(page);
  expect((await cellsOf(page)).map(c => c.source)).toEqual(['notes', expect.stringContaining('Compute'), PY]);

  // "Insert all code" inserts every runnable block at once...
  await cellAt(page, 1).locator('.jp-aimagic-InsertAll').click();
  cells = await cellsOf(page);
  expect(cells.map(c => c.source)).toEqual(['notes', expect.stringContaining('Compute'), PY, PY, '%pip install numpy']);
  expect(cells.slice(2).every(c => c.type === 'code' && c.count === null && c.from === ai)).toBe(true);
  // ...and one undo takes them all back.
  await undoInNotebook(page);
  expect(await page.notebook.getCellCount()).toBe(3);

  // The palette has both actions for the active AI cell.
  await page.notebook.selectCells(1);
  await command(page, 'aimagic:insert-code-block', { block: 0 });
  // The inserted cell becomes active, ready to run; go back to the AI cell.
  expect(await page.evaluate(() => (window as any).jupyterapp.shell.currentWidget.content.activeCellIndex)).toBe(3);
  await page.notebook.selectCells(1);
  await command(page, 'aimagic:insert-all-code');
  expect((await cellsOf(page)).map(c => c.source)).toEqual(['notes', expect.stringContaining('Compute'), PY, PY, PY, '%pip install numpy']);
});

test('code goes next to its reply after the notebook changed, and re-running keeps inserted cells', async ({ page, request }) => {
  await page.notebook.createNew('moved.ipynb');
  await page.notebook.setCell(0, 'markdown', 'top note');
  await queueReplies(request, ['First:\n\n```python\na = 1\n```', 'Second:\n\n```python\nb = 2\n```']);
  await addPrompt(page, 'Give me code');
  await waitForFooter(page, 1);
  await cellAt(page, 1).locator('.jp-aimagic-InsertAll').click();
  // The user edits the inserted cell.
  await setSourceAt(page, 2, 'a = 1  # mine');

  // Move the AI cell to the top: the next insert lands right under it, wherever it is now.
  await page.notebook.selectCells(1);
  await command(page, 'notebook:move-cell-up');
  expect((await cellsOf(page)).map(c => c.source)).toEqual([expect.stringContaining('Give me code'), 'top note', 'a = 1  # mine']);
  await blockButtons(page, 0).first().click();
  expect((await cellsOf(page)).map(c => c.source)).toEqual([expect.stringContaining('Give me code'), 'a = 1', 'top note', 'a = 1  # mine']);

  // Re-running regenerates the reply and leaves every inserted cell alone.
  await runAt(page, 0);
  await expect.poll(() => sourceAt(page, 0), { timeout: 30000 }).toContain('b = 2');
  await cellAt(page, 0).locator('.jp-aimagic-InsertAll').click();
  expect((await cellsOf(page)).map(c => c.source)).toEqual([expect.stringContaining('b = 2'), 'a = 1', 'b = 2', 'top note', 'a = 1  # mine']);
});

test('inserting after the notebook changed: deleted inserted cells are not looked for; a deleted AI cell is refused with a reason', async ({ page, request }) => {
  await page.notebook.createNew('changed.ipynb');
  await page.notebook.setCell(0, 'markdown', 'notes');
  await queueReplies(request, ['```python\nq = 1\n```']);
  await addPrompt(page, 'Code');
  await waitForFooter(page, 1);
  await page.notebook.addCell('markdown', 'after');
  await cellAt(page, 1).locator('.jp-aimagic-InsertAll').click();
  expect((await cellsOf(page)).map(c => c.source)).toEqual(['notes', expect.stringContaining('Code'), 'q = 1', 'after']);
  // The inserted cell is deleted: the next insert goes right under the reply again.
  await page.evaluate(() => (window as any).jupyterapp.shell.currentWidget.content.model.sharedModel.deleteCell(2));
  await cellAt(page, 1).locator('.jp-aimagic-InsertAll').click();
  expect((await cellsOf(page)).map(c => c.source)).toEqual(['notes', expect.stringContaining('Code'), 'q = 1', 'after']);

  // A button of an AI cell deleted meanwhile (by a collaborator, a script) inserts nothing and says why.
  const button = await cellAt(page, 1).locator('.jp-aimagic-InsertAll').elementHandle();
  await page.evaluate(() => (window as any).jupyterapp.shell.currentWidget.content.model.sharedModel.deleteCell(1));
  await button!.evaluate((b: HTMLElement) => b.click());
  await expectToast(page, 'The AI cell of this reply is no longer in the notebook, so its code was not inserted.');
  expect((await cellsOf(page)).map(c => c.source)).toEqual(['notes', 'q = 1', 'after']);
});

test('an AI cell deleted while its reply streams: nothing is written anywhere, and it says so', async ({ page, request }) => {
  await page.notebook.createNew('deleted.ipynb');
  await page.notebook.setCell(0, 'markdown', 'notes');
  await queueFaults(request, [{ kind: 'slow', deltaDelayMs: 200 }]);
  await queueReplies(request, ['```python\nz = 3\n```\n' + 'more words '.repeat(20)]);
  await addPrompt(page, 'Slow one');
  await expect(cellAt(page, 1).locator('.jp-aimagic-Streaming')).toBeVisible();
  await page.evaluate(() => (window as any).jupyterapp.shell.currentWidget.content.model.sharedModel.deleteCell(1));
  await expectToast(page, 'The AI cell was deleted while its reply was streaming');
  expect((await cellsOf(page)).map(c => c.source)).toEqual(['notes']);
});

test('an edited reply is marked and is what the next prompt sends', async ({ page, request }) => {
  await page.notebook.createNew('edited.ipynb');
  await queueReplies(request, ['The answer is 41.', 'Noted.']);
  await addPrompt(page, 'What is the answer?');
  await waitForFooter(page, 1);
  const bar = cellAt(page, 1).locator('.jp-aimagic-EditedMark');
  await expect(bar).toBeHidden();

  // Edit the reply in the cell's editor, like any markdown.
  await editCell(page, 1);
  await page.keyboard.press('Control+End');
  await page.keyboard.type(' Correction: it is 42.');
  await page.keyboard.press('Escape');
  await expect(bar).toBeVisible();
  await expect(bar).toHaveText('✎ edited');

  await addPrompt(page, 'And doubled?');
  await waitForFooter(page, 2);
  const sent = await messageRequests(request);
  expect(sent[1].body.messages.map((m: any) => m.role)).toEqual(['user', 'assistant', 'user']);
  expect(sent[1].body.messages[1].content[0].text).toBe('The answer is 41. Correction: it is 42.');
});

test('undo after regenerating brings the previous reply back', async ({ page, request }) => {
  await page.notebook.createNew('regen.ipynb');
  await queueReplies(request, ['First reply.', 'Second reply.']);
  await addPrompt(page, 'Say something');
  await waitForFooter(page, 1);
  await runAt(page, 1);
  await expect.poll(() => sourceAt(page, 1), { timeout: 30000 }).toBe(`Say something\n\n${SEPARATOR}\n\nSecond reply.`);
  await expect(cellAt(page, 1).locator('.jp-MarkdownOutput')).toContainText('Second reply.');

  await editCell(page, 1);
  await page.keyboard.press('Control+z');
  expect(await sourceAt(page, 1)).toBe(`Say something\n\n${SEPARATOR}\n\nFirst reply.`);
});

test('a long reply, written into the cell a piece a frame, is one undo step, saved whole, and never flashes as edited', async ({ page, request }) => {
  await page.notebook.createNew('long-undo.ipynb');
  // About 14 KB (within the default reply length): three pieces (runner.ts writes about 4 KB a frame).
  const long = Array.from({ length: 220 }, (_, i) => `Line ${i} of the long reply, with some words to make it longer.`).join('\n');
  await queueReplies(request, ['First reply.', long]);
  await addPrompt(page, 'Say something');
  await waitForFooter(page, 1);
  // Every frame of the re-run: is the "edited" mark shown? (The text and its provenance
  // disagree until both are written: the mark must not flash meanwhile.)
  await page.evaluate(() => {
    const w = window as any;
    w.__editedSeen = 0;
    w.__watching = true;
    const tick = () => {
      const mark = document.querySelectorAll('.jp-Notebook .jp-Cell')[1]?.querySelector('.jp-aimagic-EditedMark') as HTMLElement | null;
      if (mark && !mark.hidden && mark.offsetParent !== null) {
        w.__editedSeen++;
      }
      if (w.__watching) {
        requestAnimationFrame(tick);
      }
    };
    requestAnimationFrame(tick);
  });
  await runAt(page, 1);
  await expect.poll(() => sourceAt(page, 1), { timeout: 30000 }).toBe(`Say something\n\n${SEPARATOR}\n\n${long}`);
  await expect(cellAt(page, 1).locator('.jp-MarkdownOutput')).toContainText('Line 219 of the long reply');
  await waitForFooter(page, 1);
  await page.waitForTimeout(300);
  expect(await page.evaluate(() => ((window as any).__watching = false) || (window as any).__editedSeen)).toBe(0);

  await editCell(page, 1);
  await page.keyboard.press('Control+z');
  expect(await sourceAt(page, 1)).toBe(`Say something\n\n${SEPARATOR}\n\nFirst reply.`);
});

test('a reply edited while a new one streams: the new reply is written whole and the edit is one undo away', async ({ page, request }) => {
  await page.notebook.createNew('streaming-edit.ipynb');
  await queueReplies(request, ['Old reply.']);
  await addPrompt(page, 'Question');
  await waitForFooter(page, 1);

  const fresh = 'New reply, ' + 'streamed slowly '.repeat(15);
  await queueFaults(request, [{ kind: 'slow', deltaDelayMs: 150 }]);
  await queueReplies(request, [fresh]);
  await runAt(page, 1);
  await expect(cellAt(page, 1).locator('.jp-aimagic-Streaming-body')).toContainText('New reply');
  await setSourceAt(page, 1, `Question, sharpened\n\n${SEPARATOR}\n\nOld reply. My note.`);

  await expect.poll(() => sourceAt(page, 1), { timeout: 45000 }).toBe(`Question, sharpened\n\n${SEPARATOR}\n\n${fresh}`);
  await expect(cellAt(page, 1).locator('.jp-aimagic-ReplyNotice')).toContainText('You edited the previous reply while this one was streaming');
  await editCell(page, 1);
  await page.keyboard.press('Control+z');
  expect(await sourceAt(page, 1)).toBe(`Question, sharpened\n\n${SEPARATOR}\n\nOld reply. My note.`);
});

test('skip and pin from the cell toolbar and the palette: badges, and the request follows them', async ({ page, request }) => {
  await page.notebook.createNew('flags.ipynb');
  await page.notebook.setCell(0, 'code', 'secret = "do not send"');
  await page.notebook.addCell('markdown', 'Always use numpy.');
  await page.notebook.addCell('markdown', 'Some filler.');

  await page.notebook.selectCells(0);
  await cellAt(page, 0).locator('.jp-cell-toolbar [data-command="aimagic:toggle-skip"]').click();
  await expect(cellAt(page, 0).locator('.jp-aimagic-Badge-skipped')).toHaveText('skipped');
  expect((await metadataAt(page, 0)).skipped).toBe(true);

  await page.notebook.selectCells(1);
  await command(page, 'aimagic:toggle-pin');
  await expect(cellAt(page, 1).locator('.jp-aimagic-Badge-pinned')).toContainText('pinned');
  expect((await metadataAt(page, 1)).pinned).toBe(true);

  await page.notebook.selectCells(2);
  await addPrompt(page, 'Help me');
  await waitForFooter(page, 3);
  const [sent] = await messageRequests(request);
  expect(bodyText(sent.body)).not.toContain('do not send');
  const first = sent.body.messages[0].content;
  expect(first[0].text).toMatch(/^Cells the user pinned/);
  expect(first[0].text).toContain('Always use numpy.');
  expect(first[0].cache_control).toEqual({ type: 'ephemeral' });
  expect(first[1].text).not.toContain('Always use numpy.');
  expect(first[1].text).toContain('Some filler.');

  // Toggling again clears the flag and the badge.
  await page.notebook.selectCells(0);
  await cellAt(page, 0).locator('.jp-cell-toolbar [data-command="aimagic:toggle-skip"]').click();
  await expect(cellAt(page, 0).locator('.jp-aimagic-Badges')).toHaveCount(0);
  expect((await metadataAt(page, 0)).skipped).toBeUndefined();
});

test('the dialog mode command switches the instructions of the next prompt', async ({ page, request }) => {
  await page.notebook.createNew('mode.ipynb');
  await command(page, 'aimagic:set-dialog-mode', { mode: 'learning' });
  expect(await page.evaluate(() => (window as any).jupyterapp.shell.currentWidget.content.model.getMetadata('solveit_dialog_mode'))).toBe('learning');
  await addPrompt(page, 'Teach me loops');
  await waitForFooter(page, 1);
  let sent = await messageRequests(request);
  expect(sent[0].body.system[0].text).toContain('The user is learning');

  // Without a mode, the command asks.
  await page.evaluate(() => void (window as any).jupyterapp.commands.execute('aimagic:set-dialog-mode'));
  const select = page.locator('.jp-Dialog select');
  await expect(select).toBeVisible();
  await select.selectOption('Concise');
  await page.locator('.jp-Dialog .jp-mod-accept').click();
  await runAt(page, 1);
  await expect.poll(async () => (await messageRequests(request)).length, { timeout: 30000 }).toBe(2);
  sent = await messageRequests(request);
  expect(sent[1].body.system[0].text).toContain('Be concise');
  expect(sent[1].body.system[0].text).not.toContain('The user is learning');
});

test.describe('with automatic insertion', () => {
  test.use({ mockSettings: { ...galata.DEFAULT_SETTINGS, 'jupyterlab-aimagic:settings': { autoInsertCode: true, otherCodeBlocks: 'markdown' } } });

  test('code is inserted when a reply ends; other languages become markdown; a re-run adds after', async ({ page, request }) => {
    await page.notebook.createNew('auto.ipynb');
    await queueReplies(request, [CODE_REPLY, 'Again:\n\n```python\nc = 3\n```']);
    await addPrompt(page, 'Code please');
    await waitForFooter(page, 1);
    await expect.poll(async () => (await cellsOf(page)).length).toBe(5);
    let cells = await cellsOf(page);
    expect(cells.slice(2).map(c => [c.type, c.source])).toEqual([
      ['code', PY],
      ['code', '%pip install numpy'],
      ['markdown', '```sql\nselect 1\n```']
    ]);
    await runAt(page, 1);
    await expect.poll(async () => (await cellsOf(page)).length, { timeout: 30000 }).toBe(6);
    cells = await cellsOf(page);
    expect(cells.slice(2).map(c => c.source)).toEqual([PY, '%pip install numpy', '```sql\nselect 1\n```', 'c = 3']);
  });
});
