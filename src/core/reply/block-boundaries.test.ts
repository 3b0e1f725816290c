import { dirname, join } from 'path';
import { blockBoundaries, neverSplits } from './block-boundaries';

/** The text cut at its boundaries. */
const split = (text: string): string[] => {
  const cuts = [0, ...blockBoundaries(text), text.length];
  return cuts.slice(1).map((end, i) => text.slice(cuts[i], end));
};

// The markdown parser JupyterLab renders with (marked, GitHub-flavoured, installed with
// @jupyterlab/notebook), as the referee:
// rendering the pieces one by one must give exactly the HTML of rendering the whole.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { marked } = require(join(dirname(require.resolve('marked/package.json')), 'lib/marked.umd.js'));
const render = (text: string): string => marked.parse(text, { gfm: true, async: false }) as string;

const REPLIES: Record<string, string> = {
  prose: 'First paragraph with **bold**.\n\nSecond one,\nover two lines.\n\n# A heading\n\nLast words.\n',
  'nested lists':
    'Steps:\n\n1. Install\n   - with pip\n   - or conda\n\n2. Import:\n\n   ```python\n   import numpy as np\n   ```\n\n3. Done\n\n- a\n- b\n  1. deep\n\n     more of deep\n\nAfter the list.\n\n* star\n\n+ plus\n',
  fences:
    'Code:\n\n```python\ndef f():\n\n    return 1\n```\nRight after.\n\n````md\n```js\nx\n```\n\nstill md\n````\n\n~~~\ntilde\n\n~~~\n\n```\nunclosed\n\ncode',
  html: 'Intro\n\n<details>\n<summary>More</summary>\n\nHidden **text**\n\n</details>\n\n<div>\n\n<p>para</p>\n\n</div>\n\nText <b>bold</b> and `<span>` in code.\n\n<!-- a\n\ncomment -->\n\nEnd <br>\n\n<https://example.com>\n\nDone.\n',
  'quotes and tables': '> quoted\n> more\n\n> another\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\nTitle\n=====\n\n---\n\nx\n',
  'indented code': 'Para\n\n    indented code\n\n    more code\n\nNext\n'
};

describe('blockBoundaries', () => {
  it.each<[string, string, string[]]>([
    ['empty', '', ['']],
    ['one paragraph', 'a\nb\n', ['a\nb\n']],
    ['two paragraphs', 'a\n\nb\n', ['a\n\n', 'b\n']],
    ['the last line may still change', 'a\n\nb', ['a\n\nb']],
    ['an indented line continues', 'a\n\n  b\n\nc\n', ['a\n\n  b\n\n', 'c\n']],
    ['items of one list stay together', '- a\n\n- b\n\nc\n', ['- a\n\n- b\n\n', 'c\n']],
    ['a list after a paragraph is a new block', 'a\n\n- b\n', ['a\n\n', '- b\n']],
    ['a fence may start a block', 'a\n\n```\nx\n\ny\n```\nz\n', ['a\n\n', '```\nx\n\ny\n```\n', 'z\n']],
    ['no split inside an open fence', 'a\n\n```\nx\n\ny\n', ['a\n\n', '```\nx\n\ny\n']],
    ['no split inside an open element', '<div>\n\nx\n\n</div>\n\ny\n', ['<div>\n\nx\n\n</div>\n\n', 'y\n']],
    ['no split inside a comment', '<!--\n\nx -->\n\ny\n', ['<!--\n\nx -->\n\n', 'y\n']],
    ['a reference definition reaches everywhere', '[x]\n\n[x]: https://example.com\n\ny\n', ['[x]\n\n[x]: https://example.com\n\ny\n']]
  ])('%s', (_name, text, expected) => {
    expect(split(text)).toEqual(expected);
  });

  it.each(Object.entries(REPLIES))('%s: at every cut, the pieces render as the whole does', (_name, reply) => {
    for (let cut = 0; cut <= reply.length; cut++) {
      const text = reply.slice(0, cut);
      const pieces = split(text);
      expect(pieces.join('')).toBe(text);
      expect(pieces.map(render).join('')).toBe(render(text));
    }
    // The rule must split, or the view would re-render the whole reply after all.
    expect(blockBoundaries(reply).length).toBeGreaterThan(0);
  });

  it('scanning from a boundary finds exactly the later boundaries of the whole', () => {
    for (const reply of [...Object.values(REPLIES), Object.values(REPLIES).join('\n\n')]) {
      for (let cut = 0; cut <= reply.length; cut += 3) {
        const text = reply.slice(0, cut);
        const all = blockBoundaries(text);
        for (const from of all) {
          expect(blockBoundaries(text, from)).toEqual(all.filter(b => b > from));
        }
      }
    }
    // A reference definition after the boundary still means no split anywhere.
    const text = 'a\n\nb\n\n[x]: https://example.com\n\nc\n';
    expect(blockBoundaries(text, 3)).toEqual([]);
    expect(neverSplits(text)).toBe(true);
  });

  it('finished blocks never change as the reply streams in', () => {
    const reply = Object.values(REPLIES).join('\n\n');
    const final = blockBoundaries(reply);
    for (let cut = 0; cut <= reply.length; cut++) {
      const now = blockBoundaries(reply.slice(0, cut));
      expect(final.slice(0, now.length)).toEqual(now);
    }
  });
});
