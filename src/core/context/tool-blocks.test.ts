import { ToolBlock, appendToolBlock, parseReply, readToolBlock, stripThinking, toolSummary, writeThinking, writeToolBlock } from './tool-blocks';

/** A block as aidialog's `mk_tr_details` writes it: `dumps(res, indent=2, ensure_ascii=False)` in a plain fence. */
const aidialog = (d: Record<string, unknown>): string => `\n\n\`\`\`json {.tool}\n${JSON.stringify(d, null, 2)}\n\`\`\`\n\n`;

const seen = (reply: string) => parseReply(reply).map(s => (s.type === 'text' ? s.text.trim() : s.block));

describe('parseReply', () => {
  it.each<[string, string, Array<string | ToolBlock>]>([
    ['no calls', 'Just text.', ['Just text.']],
    [
      'one call between texts',
      `Let me look.${aidialog({ id: 'toolu_1', name: 'add', args: { a: 1, b: 2 }, result: '3' })}It is 3.`,
      ['Let me look.', { id: 'toolu_1', name: 'add', args: { a: 1, b: 2 }, result: '3' }, 'It is 3.']
    ],
    [
      'several calls in a row',
      `${aidialog({ id: 'a', name: 'f', args: {}, result: 'x' })}${aidialog({ id: 'b', name: 'g', args: { s: 'y' }, result: 'y!' })}Done.`,
      [{ id: 'a', name: 'f', args: {}, result: 'x' }, { id: 'b', name: 'g', args: { s: 'y' }, result: 'y!' }, 'Done.']
    ],
    [
      'a result holding backticks and a fence',
      `A${aidialog({ id: 'c', name: 'read', args: { path: 'a.md' }, result: '# T\n```python\nprint(1)\n```\n`x`' })}B`,
      ['A', { id: 'c', name: 'read', args: { path: 'a.md' }, result: '# T\n```python\nprint(1)\n```\n`x`' }, 'B']
    ],
    [
      'a non-string result reads as its JSON',
      aidialog({ id: 'd', name: 'stats', args: {}, result: { n: 2 } }),
      [{ id: 'd', name: 'stats', args: {}, result: '{"n":2}' }]
    ],
    ['an error result', aidialog({ id: 'e', name: 'f', args: {}, result: 'ZeroDivisionError: x', error: true }), [{ id: 'e', name: 'f', args: {}, result: 'ZeroDivisionError: x', isError: true }]],
    ['a server call stays text', aidialog({ id: 's', name: 'web_search', args: {}, result: 'r', server: true }), [expect.stringContaining('web_search') as unknown as string]],
    ['no id stays text', aidialog({ name: 'f', args: {}, result: 'r' }), [expect.stringContaining('"name": "f"') as unknown as string]],
    ['not JSON stays text', '```json {.tool}\n{oops\n```', ['```json {.tool}\n{oops\n```']],
    ['an ordinary json block stays text', '```json\n{"id": "x", "name": "f"}\n```', ['```json\n{"id": "x", "name": "f"}\n```']],
    ['an unclosed tool block (still streaming) stays text', 'A\n\n```json {.tool}\n{"id": "x",', ['A\n\n```json {.tool}\n{"id": "x",']],
    ['thinking is left out', `${writeThinking('Hmm, add them.')}The sum is 3.`, ['The sum is 3.']],
    ['cut-off thinking is left out', 'Before <!--think_start-->\n<details>half', ['Before']]
  ])('%s', (_name, reply, expected) => {
    expect(seen(reply)).toEqual(expected);
  });
});

describe('writeToolBlock', () => {
  it.each<[string, ToolBlock]>([
    ['plain', { id: 'toolu_01', name: 'add', args: { a: 1, b: 2.5 }, result: '3.5' }],
    ['fences and backticks in args and result', { id: 'x', name: 'run', args: { code: '```\nrm -rf\n```' }, result: '````\n`a`\n````' }],
    ['unicode, quotes, newlines', { id: 'u', name: 'echo', args: { s: 'é "q" \\ ü\n\t' }, result: 'naïve — “ok”\r\n' }],
    ['an error', { id: 'e', name: 'f', args: {}, result: 'ValueError: bad', isError: true }],
    ['nested args', { id: 'n', name: 'g', args: { xs: [1, [2, 3]], o: { k: null } }, result: '' }]
  ])('round trips: %s', (_name, block) => {
    const reply = appendToolBlock(appendToolBlock('Intro.', block), { ...block, id: `${block.id}2` }) + 'End.';
    expect(seen(reply)).toEqual(['Intro.', block, { ...block, id: `${block.id}2` }, 'End.']);
  });

  it('writes what aidialog writes, byte for byte', () => {
    const d = { id: 'toolu_1', name: 'add', args: { a: 1, b: 2 }, result: '3' };
    expect(`\n\n${writeToolBlock(d)}\n\n`).toBe(aidialog(d));
  });

  it('cuts a long result in the middle at 2,000 characters', () => {
    const result = 'a'.repeat(1500) + 'b'.repeat(1500);
    const [block] = parseReply(writeToolBlock({ id: 'x', name: 'f', args: {}, result }));
    const kept = (block as { block: ToolBlock }).block.result ?? '';
    expect(kept.startsWith('a'.repeat(1000))).toBe(true);
    expect(kept.endsWith('b'.repeat(1000))).toBe(true);
    expect(kept).toContain('[1000 characters cut]');
  });

  it('leaves out the result of a call still running', () => {
    const text = writeToolBlock({ id: 'x', name: 'slow', args: {} });
    expect(text).not.toContain('result');
    expect(readToolBlock(text.split('\n').slice(1, -1).join('\n'), true)).toEqual({ id: 'x', name: 'slow', args: {} });
  });
});

describe('stripThinking and toolSummary', () => {
  it('keeps everything but the thinking', () => {
    expect(stripThinking(`A ${writeThinking('t')}B`)).toBe('A B');
  });

  it.each<[ToolBlock, string]>([
    [{ id: 'a', name: 'add', args: { a: 1, b: 2 }, result: '3' }, 'add(a=1, b=2) → "3"'],
    [{ id: 'b', name: 'read', args: { path: 'x.txt' }, result: 'line 1\nline 2' }, 'read(path="x.txt") → "line 1 line 2"'],
    [{ id: 'c', name: 'slow', args: {} }, 'slow()'],
    [{ id: 'd', name: 'f', args: { s: 'x'.repeat(50) }, result: '' }, `f(s="${'x'.repeat(40)}…") → ""`]
  ])('summarises %j', (block, line) => {
    expect(toolSummary(block)).toBe(line);
  });
});
