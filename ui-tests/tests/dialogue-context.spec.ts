/**
 * What a prompt carries besides the cells: kernel variables, images of outputs, and the
 * request as "show prompt" displays it before anything is sent.
 */
import { expect, galata, test } from '@jupyterlab/galata';
import { addPrompt, bodyText, cellAt, command, messageRequests, metadataAt, resetFake, waitForError, waitForFooter, FAKE } from './helpers';
import { setSourceAt } from './dialogue-helpers';

test.use({ autoGoto: true });

test.beforeEach(async ({ request }) => {
  await resetFake(request);
});

/** Python that displays a grey gradient PNG of the given size, made without any library. */
const PNG_CELL = (w: number, h: number) =>
  [
    'import zlib, struct',
    'from IPython.display import Image, display',
    'def png(w, h):',
    "    raw = b''.join(b'\\x00' + bytes([(x * 255) // w for x in range(w)]) for _ in range(h))",
    '    def chunk(t, d):',
    "        return struct.pack('>I', len(d)) + t + d + struct.pack('>I', zlib.crc32(t + d) & 0xffffffff)",
    "    return b'\\x89PNG\\r\\n\\x1a\\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, 8, 0, 0, 0, 0)) + chunk(b'IDAT', zlib.compress(raw)) + chunk(b'IEND', b'')",
    `display(Image(data=png(${w}, ${h})))`
  ].join('\n');

/** Put code into a cell through the model: typing would let the editor re-indent it. */
async function setCode(page: any, index: number, code: string, add = false): Promise<void> {
  if (add) {
    await page.notebook.addCell('code', 'pass');
  } else {
    await page.notebook.setCell(index, 'code', 'pass');
  }
  await setSourceAt(page, index, code);
}

/** Width and height of base64 PNG data. */
function pngSize(data: string): [number, number] {
  const bytes = Buffer.from(data, 'base64');
  return [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];
}

/** All requests the fake logged. */
async function fakeLog(request: any): Promise<any[]> {
  return (await (await request.get(`${FAKE}/_fake/log`)).json()) as any[];
}

test('$`name` sends the variable’s value without touching the kernel’s history or count', async ({ page, request }) => {
  await page.notebook.createNew('vars.ipynb');
  await page.notebook.setCell(0, 'code', 'x = [41, 42]\nlong = "ab" * 5000');
  await page.notebook.runCell(0, true);
  await expect(cellAt(page, 0).locator('.jp-InputPrompt')).toHaveText('[1]:');

  await addPrompt(page, 'What is in $`x`, and how long is $`long`?');
  await waitForFooter(page, 1);
  const [sent] = await messageRequests(request);
  const text = bodyText(sent.body);
  expect(text).toContain('What is in `x`, and how long is `long`?');
  expect(text).toContain('<variable name="x">\n[41, 42]\n</variable>');
  // Long values are cut to the setting (2000 characters by default) with a visible marker.
  expect(text).toMatch(/<variable name="long">\n'abab[^]*characters cut[^]*abab'\n<\/variable>/);
  expect(text.length).toBeLessThan(5000);
  expect((await metadataAt(page, 1)).aimagic.variables.x).toBe('[41, 42]');

  // The kernel's execution count did not move.
  await page.notebook.addCell('code', 'len(In)');
  await page.notebook.runCell(2, true);
  await expect(cellAt(page, 2).locator('.jp-InputPrompt')).toHaveText('[2]:');
  await expect(cellAt(page, 2).locator('.jp-OutputArea-output')).toHaveText('3');
});

test('an unknown variable stops the prompt before anything is sent', async ({ page, request }) => {
  await page.notebook.createNew('unknown.ipynb');
  await page.notebook.setCell(0, 'code', 'y = 1');
  await page.notebook.runCell(0, true);
  await addPrompt(page, 'Explain $`nope` and $`y`');
  const message = await waitForError(page, 1);
  expect(message).toContain('$`nope` is not defined in the kernel (NameError');
  expect(await messageRequests(request)).toHaveLength(0);
  // The prompt is as the user wrote it.
  expect(await page.evaluate(() => (window as any).jupyterapp.shell.currentWidget.content.model.cells.get(1).sharedModel.getSource())).toBe('Explain $`nope` and $`y`');
});

test('a prompt with a variable and no kernel says so and sends nothing', async ({ page, request }) => {
  await page.notebook.createNew('nokernel.ipynb');
  await page.evaluate(async () => {
    await (window as any).jupyterapp.shell.currentWidget.sessionContext.session.kernel.shutdown();
  });
  await addPrompt(page, 'What is $`x`?');
  const message = await waitForError(page, 1);
  expect(message).toContain('this notebook has no running kernel');
  expect(await messageRequests(request)).toHaveLength(0);
});

test('PNG outputs above go to the model as images, scaled to the provider’s limit, after their cell', async ({ page, request }) => {
  await page.notebook.createNew('images.ipynb');
  await setCode(page, 0, PNG_CELL(2400, 60));
  await page.notebook.runCell(0, true);
  await expect(cellAt(page, 0).locator('.jp-OutputArea-output img')).toBeVisible();
  await addPrompt(page, 'Describe the picture');
  await waitForFooter(page, 1);
  const [sent] = await messageRequests(request);
  const content = sent.body.messages[0].content;
  expect(content.map((b: any) => b.type)).toEqual(['text', 'image', 'text']);
  expect(content[0].text).toContain('[image/png image: attached after this cell]');
  expect(content[1].source.media_type).toBe('image/png');
  const [w, h] = pngSize(content[1].source.data);
  expect(w).toBe(1568);
  expect(h).toBe(39);
  expect(content[2].text).toBe('Describe the picture');
});

test.describe('with images turned off', () => {
  test.use({ mockSettings: { ...galata.DEFAULT_SETTINGS, 'jupyterlab-aimagic:settings': { sendImages: false } } });

  test('no image is sent, and the text does not promise one', async ({ page, request }) => {
    await page.notebook.createNew('noimages.ipynb');
    await setCode(page, 0, PNG_CELL(50, 20));
    await page.notebook.runCell(0, true);
    await expect(cellAt(page, 0).locator('.jp-OutputArea-output img')).toBeVisible();
    await addPrompt(page, 'Describe the picture');
    await waitForFooter(page, 1);
    const [sent] = await messageRequests(request);
    expect(sent.body.messages[0].content.map((b: any) => b.type)).toEqual(['text']);
    expect(bodyText(sent.body)).not.toContain('attached after this cell');
  });
});

test('show prompt displays the exact request with the provider’s token count and sends nothing', async ({ page, request }) => {
  await page.notebook.createNew('show.ipynb');
  await page.notebook.setCell(0, 'markdown', 'Pinned rule: use numpy.');
  await setCode(page, 1, PNG_CELL(40, 20), true);
  await page.notebook.runCell(1, true);
  await expect(cellAt(page, 1).locator('.jp-OutputArea-output img')).toBeVisible();
  await page.notebook.addCell('code', 'hidden = "skip me"');
  await page.notebook.selectCells(0);
  await command(page, 'aimagic:toggle-pin');
  await page.notebook.selectCells(2);
  await command(page, 'aimagic:toggle-skip');
  await addPrompt(page, 'What do you see?', false);
  await page.keyboard.press('Escape');

  await command(page, 'aimagic:show-prompt');
  const view = page.locator('.jp-aimagic-PromptView');
  await expect(view).toBeVisible();
  const status = view.locator('.jp-aimagic-PromptView-status');
  await expect(status).toContainText(/\d+ input tokens \(counted by Anthropic\)/, { timeout: 20000 });
  await expect(view.locator('.jp-aimagic-PromptView-cut')).toContainText('Nothing is cut for the budget');
  await expect(view.locator('.jp-aimagic-PromptView-pinned')).toContainText('pinned cells');
  await expect(view.locator('.jp-aimagic-PromptView-image img')).toHaveCount(1);
  await expect(view.locator('.jp-aimagic-PromptView-readable')).toContainText('What do you see?');
  await expect(view.locator('.jp-aimagic-PromptView-readable')).not.toContainText('skip me');
  await view.locator('.jp-aimagic-PromptView-raw summary').click();
  const json = await view.locator('.jp-aimagic-PromptView-json').textContent();
  expect(json).toContain('"messages"');
  expect(json).toContain('"cache_control"');

  const log = await fakeLog(request);
  expect(log.filter(r => r.path === '/v1/messages')).toHaveLength(0);
  const counted = log.filter(r => r.path === '/v1/messages/count_tokens');
  expect(counted).toHaveLength(1);
  await expect(status).toContainText(`${counted[0].usage.input_tokens.toLocaleString('en-US')} input tokens`);
  // The count was of the request that would be sent: same messages.
  expect(JSON.stringify(counted[0].body.messages)).toContain('What do you see?');
  expect(counted[0].body.messages[0].content.map((b: any) => b.type)).toEqual(['text', 'text', 'image', 'text']);
});

test.describe('with a small budget', () => {
  test.use({ mockSettings: { ...galata.DEFAULT_SETTINGS, 'jupyterlab-aimagic:settings': { budgetTokens: 300 } } });

  test('show prompt says which cells the budget cuts', async ({ page }) => {
    await page.notebook.createNew('budget.ipynb');
    await page.notebook.setCell(0, 'markdown', 'old');
    await setSourceAt(page, 0, 'old '.repeat(300));
    await page.notebook.addCell('markdown', 'recent note');
    await addPrompt(page, 'Summarise', false);
    await page.keyboard.press('Escape');
    const firstId = await page.evaluate(() => (window as any).jupyterapp.shell.currentWidget.content.model.cells.get(0).id);
    // The keyboard shortcut, this time.
    await page.keyboard.press('Control+Alt+p');
    const cut = page.locator('.jp-aimagic-PromptView-cut');
    await expect(cut).toContainText('Left out for the budget (1 cell, oldest first)');
    await expect(cut).toContainText(firstId);
    await expect(page.locator('.jp-aimagic-PromptView-readable')).toContainText('recent note');
    await expect(page.locator('.jp-aimagic-PromptView-readable')).not.toContainText('old old');
  });
});
