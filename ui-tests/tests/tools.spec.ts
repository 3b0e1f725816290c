/**
 * Tools in a real kernel: a prompt offers two functions, the model calls one, then the
 * other, then answers; the calls show folded as they happen, the saved file holds SolveIt's
 * `{.tool}` blocks, and the next prompt sends them as tool turns. A SolveIt dialog with tool
 * blocks and thinking opens, renders and continues.
 */
import { expect, test } from '@jupyterlab/galata';
import { SEPARATOR, addPrompt, bodyText, cellAt, messageRequests, queueReplies, resetFake, savedNotebook, sourceAt, waitForFooter } from './helpers';
import { setSourceAt } from './dialogue-helpers';

test.use({ autoGoto: true });

test.beforeEach(async ({ request }) => {
  await resetFake(request);
});

const FUNCTIONS = [
  'def add(a: int, b: int) -> int:',
  '    """Add two integers."""',
  '    return a + b',
  '',
  'def shout(text: str) -> str:',
  '    """Upper-case a text."""',
  '    return text.upper()'
].join('\n');

/** The `{.tool}` blocks of a reply, parsed. */
function toolBlocks(source: string): any[] {
  return [...source.matchAll(/```json \{\.tool\}\n([\s\S]*?)\n```/g)].map(m => JSON.parse(m[1]));
}

test('the model calls one function, then the other, then answers; saved as {.tool} blocks, sent again as tool turns', async ({ page, request, tmpPath }) => {
  await page.notebook.createNew('tools.ipynb');
  await page.notebook.setCell(0, 'code', 'pass');
  await setSourceAt(page, 0, FUNCTIONS);
  await page.notebook.runCell(0, true);
  await expect(cellAt(page, 0).locator('.jp-InputPrompt')).toHaveText('[1]:');

  await queueReplies(request, [
    { text: 'First the sum.', tool_calls: [{ name: 'add', input: { a: 2, b: 3 } }] },
    { text: 'Now louder.', tool_calls: [{ name: 'shout', input: { text: 'five' } }] },
    'The sum is 5, and loud it is FIVE.'
  ]);
  await addPrompt(page, 'Use &`add` on 2 and 3, then &`shout` the word.');
  await waitForFooter(page, 1);

  // The calls show as folded lines, never as raw JSON; they open on the result.
  const calls = cellAt(page, 1).locator('.jp-aimagic-ToolCall');
  await expect(calls).toHaveCount(2);
  await expect(calls.nth(0).locator('summary')).toContainText('add(a=2, b=3) → "5"');
  await expect(calls.nth(1).locator('summary')).toContainText('shout(text="five") → "FIVE"');
  await expect(cellAt(page, 1).locator('.jp-RenderedMarkdown')).not.toContainText('"args"');
  await calls.nth(1).locator('summary').click();
  await expect(calls.nth(1).locator('.jp-aimagic-ToolCall-result')).toHaveText('FIVE');
  await expect(cellAt(page, 1).locator('.jp-aimagic-Footer-info')).toContainText('2 tool calls in 3 steps');

  // Three requests: the tools (schemas from the kernel) first, each result sent back.
  const sent = await messageRequests(request);
  expect(sent).toHaveLength(3);
  expect(sent[0].body.tools.map((t: any) => t.name)).toEqual(['add', 'shout']);
  expect(sent[0].body.tools[0].input_schema.properties.a.type).toBe('integer');
  expect(sent[0].body.tools[0].description).toContain('Add two integers.');
  const last = sent[2].body.messages;
  expect(last[last.length - 1].content[0]).toMatchObject({ type: 'tool_result', content: expect.stringContaining('FIVE') });

  // The kernel ran the tools without a trace: the next execution count is 2.
  await page.notebook.addCell('code', 'len(In)');
  await page.notebook.runCell(2, true);
  await expect(cellAt(page, 2).locator('.jp-InputPrompt')).toHaveText('[2]:');

  // The saved file holds SolveIt's blocks.
  await page.notebook.save();
  const saved = await savedNotebook(page, `${tmpPath}/tools.ipynb`);
  const source = Array.isArray(saved.cells[1].source) ? saved.cells[1].source.join('') : saved.cells[1].source;
  expect(source.startsWith(`Use &\`add\` on 2 and 3, then &\`shout\` the word.\n\n${SEPARATOR}\n\nFirst the sum.`)).toBe(true);
  const blocks = toolBlocks(source);
  expect(blocks.map(b => [b.name, b.args])).toEqual([
    ['add', { a: 2, b: 3 }],
    ['shout', { text: 'five' }]
  ]);
  expect(blocks[0].result).toContain('5');
  expect(source.endsWith('The sum is 5, and loud it is FIVE.')).toBe(true);

  // The next prompt sends them as tool turns, with the same ids, and still offers both tools.
  await queueReplies(request, ['Done.']);
  await page.notebook.selectCells(2);
  await addPrompt(page, 'Thanks.');
  await waitForFooter(page, 3);
  const next = (await messageRequests(request))[3].body;
  expect(next.tools.map((t: any) => t.name)).toEqual(['add', 'shout']);
  const turns = next.messages.map((m: any) => [m.role, m.content.map((b: any) => b.type)]);
  expect(turns).toEqual([
    ['user', ['text']],
    ['assistant', ['text', 'tool_use']],
    ['user', ['tool_result']],
    ['assistant', ['text', 'tool_use']],
    ['user', ['tool_result']],
    ['assistant', ['text']],
    ['user', ['text']]
  ]);
  expect(next.messages[1].content[1]).toMatchObject({ type: 'tool_use', id: blocks[0].id, name: 'add', input: { a: 2, b: 3 } });
  expect(next.messages[2].content[0]).toMatchObject({ type: 'tool_result', tool_use_id: blocks[0].id });
  expect(bodyText(next)).not.toContain('{.tool}');
});

test('a SolveIt dialog with tool blocks and thinking opens without sending anything, renders folded, and continues', async ({ page, request, tmpPath }) => {
  const reply = [
    '<!--think_start-->',
    '<details><summary>Thinking</summary>',
    '',
    'The user wants a sum; call add.',
    '',
    '</details>',
    '<!--think_end-->',
    'Let me add them.',
    '',
    '```json {.tool}',
    JSON.stringify({ id: 'toolu_01SolveIt', name: 'add', args: { a: 1, b: 2 }, result: '3' }, null, 2),
    '```',
    '',
    'The sum is 3.'
  ].join('\n');
  const nb = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' }, solveit_dialog_mode: 'standard' },
    cells: [
      { cell_type: 'code', id: 'fn', metadata: {}, execution_count: null, outputs: [], source: FUNCTIONS },
      { cell_type: 'markdown', id: 'p1', metadata: { solveit_ai: true }, source: `Add 1 and 2 with &\`add\`.\n\n${SEPARATOR}\n\n${reply}` },
      { cell_type: 'markdown', id: 'p2', metadata: { solveit_ai: true }, source: 'And 10 + 20?' }
    ]
  };
  await page.contents.uploadContent(JSON.stringify(nb), 'text', `${tmpPath}/solveit.ipynb`);
  await page.notebook.openByPath(`${tmpPath}/solveit.ipynb`);
  await page.notebook.activate('solveit.ipynb');

  // Rendered: the call folded, the thinking folded, no raw JSON; nothing was sent or run.
  await expect(cellAt(page, 1).locator('.jp-aimagic-ToolCall summary')).toContainText('add(a=1, b=2) → "3"');
  await expect(cellAt(page, 1).locator('details summary', { hasText: 'Thinking' })).toHaveCount(1);
  await expect(cellAt(page, 1).locator('.jp-RenderedMarkdown')).not.toContainText('"args"');
  expect(await messageRequests(request)).toHaveLength(0);
  await expect(cellAt(page, 0).locator('.jp-InputPrompt')).toHaveText('[ ]:');

  // Continue: define the function, run the next prompt; the model calls it again.
  await page.notebook.runCell(0, true);
  await queueReplies(request, [{ tool_calls: [{ name: 'add', input: { a: 10, b: 20 } }] }, 'It is 30.']);
  await page.notebook.selectCells(2);
  await page.keyboard.press('Control+Enter');
  await waitForFooter(page, 2);
  await expect(cellAt(page, 2).locator('.jp-aimagic-ToolCall summary')).toContainText('add(a=10, b=20) → "30"');

  const [first, second] = await messageRequests(request);
  const messages = first.body.messages;
  expect(messages[1].content.map((b: any) => b.type)).toEqual(['text', 'tool_use']);
  expect(messages[1].content[1]).toMatchObject({ id: 'toolu_01SolveIt', name: 'add', input: { a: 1, b: 2 } });
  expect(messages[2].content[0]).toMatchObject({ type: 'tool_result', tool_use_id: 'toolu_01SolveIt', content: '3' });
  // Thinking is not sent back as text.
  expect(bodyText(first.body)).not.toContain('The user wants a sum');
  expect(second.body.messages[second.body.messages.length - 1].content[0]).toMatchObject({ type: 'tool_result', content: expect.stringContaining('30') });
  const source = await sourceAt(page, 2);
  expect(toolBlocks(source).map(b => [b.name, b.args])).toEqual([['add', { a: 10, b: 20 }]]);
});
