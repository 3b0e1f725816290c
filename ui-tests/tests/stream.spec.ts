/**
 * The streaming view renders each finished block once and the rest again as it arrives:
 * what it shows at the end must be exactly what the cell shows once the reply is written,
 * and what a fresh render of the saved cell shows. And the page stays usable meanwhile.
 */
import { expect, IJupyterLabPageFixture, test } from '@jupyterlab/galata';
import { addPrompt, cellAt, queueFaults, queueReplies, resetFake, sourceAt, waitForFooter } from './helpers';

test.use({ autoGoto: true });

test.beforeEach(async ({ request }) => {
  await resetFake(request);
});

const REPLIES: Record<string, string> = {
  'nested lists': [
    'Here is the plan:',
    '',
    '1. First step',
    '   - detail a',
    '   - detail b',
    '     1. deeper',
    '2. Second step',
    '',
    '   With a paragraph inside.',
    '',
    '- loose item one',
    '',
    '- loose item two',
    '',
    'Closing words.'
  ].join('\n'),
  fences: [
    'Run this:',
    '',
    '```python',
    'def f(x):',
    '',
    '    return x * 2',
    '```',
    'Then in the shell:',
    '',
    '~~~bash',
    'echo "done"',
    '~~~',
    '',
    '````markdown',
    '```js',
    'nested()',
    '```',
    '````',
    '',
    'Done.'
  ].join('\n'),
  HTML: [
    'Intro text.',
    '',
    '<details>',
    '<summary>Click</summary>',
    '',
    'Hidden **bold** text.',
    '',
    '</details>',
    '',
    '<div class="note">',
    '',
    'A note with <em>emphasis</em>.',
    '',
    '</div>',
    '',
    '| a | b |',
    '|---|---|',
    '| 1 | 2 |',
    '',
    '<b>end</b> of it'
  ].join('\n')
};

/** Record what the streaming view shows, as HTML, each time it changes. */
async function watchStreaming(page: IJupyterLabPageFixture): Promise<void> {
  await page.evaluate(() => {
    const w = window as any;
    w.__streamed = { last: '', pieces: 0 };
    w.__streamObserver?.disconnect();
    w.__streamObserver = new MutationObserver(() => {
      const body = document.querySelector('.jp-aimagic-Streaming-body');
      if (body) {
        const clone = body.cloneNode(true) as HTMLElement;
        clone.querySelectorAll('.jp-aimagic-BlockActions').forEach(n => n.remove());
        w.__streamed.last = Array.from(clone.children).map(p => p.innerHTML).join('').replace(/>\s+</g, '><').trim();
        w.__streamed.pieces = Math.max(w.__streamed.pieces, body.children.length);
      }
    });
    w.__streamObserver.observe(document.body, { childList: true, subtree: true, characterData: true });
  });
}

/** The rendered reply of the AI cell at an index: what follows the reply heading, as HTML. */
async function renderedReply(page: IJupyterLabPageFixture, index: number): Promise<string> {
  const output = cellAt(page, index).locator('.jp-MarkdownOutput');
  await expect(output).toBeVisible();
  return output.evaluate(root => {
    const clone = root.cloneNode(true) as HTMLElement;
    clone.querySelectorAll('.jp-aimagic-BlockActions').forEach(n => n.remove());
    const children = Array.from(clone.children);
    const heading = children.findIndex(c => /^H[1-6]$/.test(c.tagName) && c.textContent?.includes('🤖Reply🤖'));
    return children
      .slice(heading + 1)
      .map(c => c.outerHTML)
      .join('')
      .replace(/>\s+</g, '><')
      .trim();
  });
}

test('streamed rendering equals the final rendering and a fresh render of the saved cell', async ({ page, request, tmpPath }) => {
  await page.notebook.createNew('streamed.ipynb');
  await page.notebook.setCell(0, 'markdown', 'Three replies follow.');
  const finals: string[] = [];
  let index = 1;
  for (const [name, reply] of Object.entries(REPLIES)) {
    await watchStreaming(page);
    await queueFaults(request, [{ kind: 'slow', deltaDelayMs: 15 }]);
    await queueReplies(request, [reply]);
    await page.notebook.selectCells(index - 1);
    await addPrompt(page, `Show me ${name}.`);
    await waitForFooter(page, index);
    const streamed = await page.evaluate(() => (window as any).__streamed);
    const final = await renderedReply(page, index);
    expect(final.length, name).toBeGreaterThan(reply.length / 2);
    // The finished blocks were rendered apart: more than one piece, and the same HTML.
    expect(streamed.pieces, name).toBeGreaterThanOrEqual(2);
    expect(streamed.last, name).toBe(final);
    finals.push(final);
    index++;
  }

  // A fresh render of the saved cells gives the same.
  await page.notebook.save();
  await page.notebook.close();
  await page.notebook.openByPath(`${tmpPath}/streamed.ipynb`);
  await page.notebook.activate('streamed.ipynb');
  for (let i = 1; i < index; i++) {
    expect(await renderedReply(page, i)).toBe(finals[i - 1]);
  }
});

test('a reply streams while the user types in another cell, and no keystroke is lost', async ({ page, request }) => {
  await page.notebook.createNew('typing.ipynb');
  await page.notebook.setCell(0, 'code', '');
  const reply = Array.from({ length: 150 }, (_, i) => `Paragraph ${i} has a few words of text, **some bold**, and \`code\`.\n\n`).join('');
  await queueFaults(request, [{ kind: 'slow', deltaDelayMs: 25 }]);
  await queueReplies(request, [reply]);
  await addPrompt(page, 'Write a lot.');
  const body = cellAt(page, 1).locator('.jp-aimagic-Streaming-body');
  await expect(body).toContainText('Paragraph 1');

  const typed = 'for i in range(10):\n    total = total + i * 2  # typed while the reply streams\n';
  await cellAt(page, 0).locator('.cm-content').click();
  const before = ((await body.textContent()) ?? '').length;
  await page.keyboard.type(typed.slice(0, 30), { delay: 10 });
  // The reply went on streaming while the user typed.
  expect(((await body.textContent()) ?? '').length).toBeGreaterThan(before);
  await page.keyboard.type(typed.slice(30), { delay: 10 });
  await waitForFooter(page, 1);
  // JupyterLab's editor indents after the colon; what was typed is all there, in order.
  expect((await sourceAt(page, 0)).replace(/\n\s+/g, '\n')).toBe(typed.replace(/\n\s+/g, '\n'));
});

test('a finished code block of a streaming reply has its insert button at once', async ({ page, request }) => {
  await page.notebook.createNew('buttons.ipynb');
  const code = 'import math\nprint(math.pi)';
  const reply = `Try this:\n\n\`\`\`python\n${code}\n\`\`\`\n\n` + Array.from({ length: 40 }, (_, i) => `More text ${i}, after the code.\n\n`).join('');
  await queueFaults(request, [{ kind: 'slow', deltaDelayMs: 30 }]);
  await queueReplies(request, [reply]);
  await addPrompt(page, 'Code, then words.');
  const button = cellAt(page, 1).locator('.jp-aimagic-Streaming-body .jp-aimagic-InsertBlock');
  await expect(button).toBeVisible({ timeout: 20000 });
  await button.click();
  // Inserted while the reply still streams, below the AI cell.
  await expect(cellAt(page, 1).locator('.jp-aimagic-Streaming-body')).toBeAttached();
  await expect.poll(() => sourceAt(page, 2)).toBe(code);
  await waitForFooter(page, 1);
  expect(await sourceAt(page, 2)).toBe(code);
});

/** Per frame, until stopped: the notebook's scroll position and where the streaming reply ends. */
async function recordFrames(page: IJupyterLabPageFixture): Promise<void> {
  await page.evaluate(() => {
    const w = window as any;
    w.__frames = [];
    w.__recording = true;
    const tick = () => {
      const view = document.querySelector('.jp-aimagic-Streaming') as HTMLElement | null;
      const body = view?.querySelector('.jp-aimagic-Streaming-body') as HTMLElement | null;
      const scroller = view?.closest('.jp-WindowedPanel-outer') as HTMLElement | null;
      if (view && body && scroller) {
        const port = scroller.getBoundingClientRect();
        const end = body.getBoundingClientRect().bottom;
        w.__frames.push({ scrollTop: scroller.scrollTop, endBelow: end - port.bottom, portHeight: port.height, body: body.offsetHeight, outer: view.offsetHeight });
      }
      if (w.__recording) {
        requestAnimationFrame(tick);
      }
    };
    requestAnimationFrame(tick);
  });
}

async function stopRecording(page: IJupyterLabPageFixture): Promise<Array<{ scrollTop: number; endBelow: number; portHeight: number; body: number; outer: number }>> {
  return page.evaluate(() => {
    const w = window as any;
    w.__recording = false;
    return w.__frames;
  });
}

/** How many times a value changed from one frame to the next. */
function changes(values: number[]): number {
  return values.filter((v, i) => i > 0 && v !== values[i - 1]).length;
}

test('the notebook follows a streaming reply only while the user is at its end, and re-measures in steps', async ({ page, request }) => {
  await page.notebook.createNew('follow.ipynb');
  await page.notebook.setCell(0, 'markdown', 'A long reply follows.');
  const reply = Array.from({ length: 70 }, (_, i) => `Paragraph ${i} has a few words of text, **some bold**, and \`code\`.\n\n`).join('');

  // 1. The user watches the reply: its end stays in sight as it grows past the window.
  await queueFaults(request, [{ kind: 'slow', deltaDelayMs: 10 }]);
  await queueReplies(request, [reply]);
  await addPrompt(page, 'Write a lot.');
  await expect(cellAt(page, 1).locator('.jp-aimagic-Streaming-body')).toContainText('Paragraph 0');
  await recordFrames(page);
  await waitForFooter(page, 1);
  const watched = (await stopRecording(page)).filter(f => f.body > f.portHeight);
  expect(watched.length).toBeGreaterThan(10);
  // The end was on screen in (nearly) every frame once the reply was taller than the window.
  const outOfSight = watched.filter(f => f.endBelow > 40);
  expect(outOfSight.length).toBeLessThanOrEqual(Math.ceil(watched.length * 0.1));
  expect(watched[watched.length - 1].scrollTop).toBeGreaterThan(watched[0].scrollTop);
  // The view around the reply grew in a few steps, not with every render of it.
  const bodyChanges = changes(watched.map(f => f.body));
  const outerChanges = changes(watched.map(f => f.outer));
  expect(bodyChanges).toBeGreaterThan(5);
  expect(outerChanges).toBeLessThan(bodyChanges / 2);

  // 2. The user scrolls up to read something else: the notebook stays where they put it.
  await queueFaults(request, [{ kind: 'slow', deltaDelayMs: 10 }]);
  await queueReplies(request, [reply]);
  await page.notebook.selectCells(1);
  await addPrompt(page, 'Write a lot again.');
  await expect(cellAt(page, 2).locator('.jp-aimagic-Streaming-body')).toContainText('Paragraph 2');
  await page.evaluate(() => {
    const scroller = document.querySelector('.jp-aimagic-Streaming')!.closest('.jp-WindowedPanel-outer') as HTMLElement;
    scroller.scrollTop = 0;
  });
  await recordFrames(page);
  await waitForFooter(page, 2);
  const away = await stopRecording(page);
  expect(away.length).toBeGreaterThan(10);
  expect(Math.max(...away.map(f => f.scrollTop))).toBe(0);
});
