import { CodeBlock, languageOf, parseCodeBlocks } from './codeblocks';

/** The fields a case checks, in order. */
type Seen = Pick<CodeBlock, 'language' | 'code' | 'closed'>;

const seen = (text: string): Seen[] => parseCodeBlocks(text).map(({ language, code, closed }) => ({ language, code, closed }));

describe('parseCodeBlocks', () => {
  it.each<[string, string, Seen[]]>([
    ['no fences', 'Just prose, with `inline` code.', []],
    ['one python block', 'Try:\n\n```python\nx = 1\nprint(x)\n```\n\nDone.', [{ language: 'python', code: 'x = 1\nprint(x)', closed: true }]],
    ['untagged block', '```\nplain\n```', [{ language: '', code: 'plain', closed: true }]],
    ['tildes', '~~~bash\nls -l\n~~~', [{ language: 'bash', code: 'ls -l', closed: true }]],
    ['tildes hold backticks', '~~~md\n```py\nx\n```\n~~~', [{ language: 'md', code: '```py\nx\n```', closed: true }]],
    ['longer fence nests a shorter one', '````markdown\nSee:\n```python\ny = 2\n```\n````', [{ language: 'markdown', code: 'See:\n```python\ny = 2\n```', closed: true }]],
    ['a fence with an info string does not close', '```markdown\n```python\nz\n```', [{ language: 'markdown', code: '```python\nz', closed: true }]],
    ['a shorter fence does not close', '````py\n```\nstill code\n````', [{ language: 'py', code: '```\nstill code', closed: true }]],
    ['a longer fence closes', '```py\na\n`````', [{ language: 'py', code: 'a', closed: true }]],
    ['the other fence character does not close', '```py\n~~~\n```', [{ language: 'py', code: '~~~', closed: true }]],
    ['info string with attributes', '```python title="demo.py"\npass\n```', [{ language: 'python', code: 'pass', closed: true }]],
    ['Quarto-style braces', '```{python}\n1+1\n```', [{ language: 'python', code: '1+1', closed: true }]],
    ['language is lower-cased', '```Python\nx\n```', [{ language: 'python', code: 'x', closed: true }]],
    ['inline triple backticks are not a fence', '```js``` and then\nnothing', []],
    ['fence in a list item is dedented', '1. Install:\n   ```bash\n   pip install numpy\n     indented\n   ```', [{ language: 'bash', code: 'pip install numpy\n  indented', closed: true }]],
    ['two blocks', '```py\na\n```\ntext\n```sh\nb\n```', [{ language: 'py', code: 'a', closed: true }, { language: 'sh', code: 'b', closed: true }]],
    ['empty block', '```py\n```', [{ language: 'py', code: '', closed: true }]],
    ['blank lines inside are kept', '```py\na\n\nb\n```', [{ language: 'py', code: 'a\n\nb', closed: true }]],
    ['CRLF line ends', '```py\r\na\r\n```\r\n', [{ language: 'py', code: 'a', closed: true }]],
    ['unclosed block runs to the end', 'Here:\n```python\nx = 1\ny = 2', [{ language: 'python', code: 'x = 1\ny = 2', closed: false }]],
    ['streaming: fence just opened', 'Here:\n```pyt', [{ language: 'pyt', code: '', closed: false }]],
    ['streaming: cut after a newline', '```python\nx = 1\n', [{ language: 'python', code: 'x = 1', closed: false }]],
    ['streaming: closing fence half there', '```python\nx = 1\n``', [{ language: 'python', code: 'x = 1\n``', closed: false }]],
    ['streaming: only two backticks so far', 'Here:\n``', []]
  ])('%s', (_name, text, expected) => {
    expect(seen(text)).toEqual(expected);
  });

  it('reports the lines of each block', () => {
    const blocks = parseCodeBlocks('a\n```py\nx\n```\n```sh\ny');
    expect(blocks.map(b => [b.startLine, b.endLine])).toEqual([[1, 3], [4, 5]]);
  });

  it('never loses a closed block as the reply streams in', () => {
    const reply = 'Intro\n\n```python\nimport math\nprint(math.pi)\n```\n\nThen:\n\n````md\n```js\nx\n```\n````\n\n~~~bash\necho hi\n~~~\n';
    const final = parseCodeBlocks(reply);
    for (let cut = 0; cut <= reply.length; cut++) {
      const blocks = parseCodeBlocks(reply.slice(0, cut));
      const closed = blocks.filter(b => b.closed);
      // Every block closed in a prefix is a block of the final reply, in the same place...
      expect(closed).toEqual(final.slice(0, closed.length));
      // ...and at most one block, the last, is still open; its code so far starts the final code.
      const open = blocks.filter(b => !b.closed);
      expect(open.length).toBeLessThanOrEqual(1);
      if (open.length) {
        expect(blocks[blocks.length - 1]).toBe(open[0]);
        // (A last line of fence characters may be a closing fence still arriving.)
        const sofar = open[0].code.replace(/\n?[`~]*$/, '');
        expect(final[blocks.length - 1].code.startsWith(sofar)).toBe(true);
      }
    }
  });
});

describe('languageOf', () => {
  it.each([
    ['python', 'python'],
    ['  Python3 extra', 'python3'],
    ['{r}', 'r'],
    ['{.python .numberLines}', 'python'],
    ['.py', 'py'],
    ['', '']
  ])('%j -> %j', (info, expected) => {
    expect(languageOf(info)).toBe(expected);
  });
});
