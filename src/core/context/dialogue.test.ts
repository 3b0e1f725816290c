import { PromptError, buildDialogue } from './dialogue';
import { ai, code, note, notebook, stdout } from '../testing/notebooks';
import { Turn } from '../types';

const opts = { maxOutputChars: 1000, budgetTokens: 0 };

/** Turns as [role, text] pairs, for readable expectations. */
function flat(turns: Turn[]): [string, string][] {
  return turns.map(t => [t.role, t.parts.map(p => (p.type === 'text' ? p.text : `[${p.type}]`)).join('|')]);
}

describe('buildDialogue', () => {
  it.each<[string, ReturnType<typeof notebook>, number, [string, string][]]>([
    ['a prompt alone', notebook(ai('p', 'Hello?')), 0, [['user', 'Hello?']]],
    [
      'cells above become context of the prompt',
      notebook(note('n', 'Intro'), code('c', 'print(1)', [stdout('1\n')], 1), ai('p', 'Why?')),
      2,
      [['user', '<cell id="n" type="markdown">\nIntro\n</cell>\n\n<cell id="c" type="code" execution_count="1">\n<source>\nprint(1)\n</source>\n<output type="stream" name="stdout">\n1\n</output>\n</cell>\n\nWhy?']]
    ],
    [
      'an earlier AI cell turns the dialogue',
      notebook(note('a', 'A'), ai('p1', 'Q1', 'R1'), note('b', 'B'), ai('p2', 'Q2')),
      3,
      [
        ['user', '<cell id="a" type="markdown">\nA\n</cell>\n\nQ1'],
        ['assistant', 'R1'],
        ['user', '<cell id="b" type="markdown">\nB\n</cell>\n\nQ2']
      ]
    ],
    [
      'an edited reply is what is sent',
      notebook(ai('p1', 'Q1', '  R1 edited by me\n\n'), ai('p2', 'Q2')),
      1,
      [['user', 'Q1'], ['assistant', 'R1 edited by me'], ['user', 'Q2']]
    ],
    [
      'skipped cells are left out',
      notebook(note('a', 'keep'), code('s', 'secret', [], 1, { skipped: true }), ai('p', 'Q')),
      2,
      [['user', '<cell id="a" type="markdown">\nkeep\n</cell>\n\nQ']]
    ],
    [
      'a skipped AI cell takes its reply with it',
      notebook(ai('p1', 'Q1', 'R1', { skipped: true }), ai('p2', 'Q2')),
      1,
      [['user', 'Q2']]
    ],
    [
      'an unanswered earlier prompt is context, not a turn',
      notebook(ai('p1', 'Q1'), ai('p2', 'Q2')),
      1,
      [['user', '<cell id="p1" type="prompt">\nQ1\n</cell>\n\nQ2']]
    ],
    [
      'cells below the prompt are not read',
      notebook(ai('p', 'Q'), note('later', 'not this')),
      0,
      [['user', 'Q']]
    ],
    [
      'empty notes are dropped',
      notebook(note('e', '  \n'), ai('p', 'Q')),
      1,
      [['user', 'Q']]
    ],
    [
      'errors are sent without colour codes',
      notebook(code('c', '1/0', [{ output_type: 'error', ename: 'ZeroDivisionError', evalue: 'division by zero', traceback: ['\u001b[31mZeroDivisionError\u001b[0m: division by zero'] }], 2), ai('p', 'Fix it')),
      1,
      [['user', '<cell id="c" type="code" execution_count="2">\n<source>\n1/0\n</source>\n<output type="error" ename="ZeroDivisionError">\nZeroDivisionError: division by zero\n</output>\n</cell>\n\nFix it']]
    ]
  ])('%s', (_name, nb, index, expected) => {
    expect(flat(buildDialogue(nb, index, opts).turns)).toEqual(expected);
  });

  it('keeps turns alternating and ending with the user', () => {
    const nb = notebook(ai('1', 'a', 'b'), ai('2', 'c'), ai('3', 'd', 'e'), note('n', 'x'), ai('4', 'f', 'g'), ai('5', 'h'));
    const roles = buildDialogue(nb, 5, opts).turns.map(t => t.role);
    expect(roles).toEqual(['user', 'assistant', 'user', 'assistant', 'user', 'assistant', 'user']);
  });

  it.each([
    ['not an AI cell', notebook(note('n', 'x')), 0, 'not an AI cell'],
    ['empty prompt', notebook(ai('p', '  \n')), 0, 'prompt is empty'],
    ['out of range', notebook(ai('p', 'x')), 3, 'not an AI cell']
  ])('refuses %s', (_name, nb, index, message) => {
    expect(() => buildDialogue(nb, index, opts)).toThrow(PromptError);
    expect(() => buildDialogue(nb, index, opts)).toThrow(message);
  });

  describe('budget', () => {
    const big = (id: string, extra = {}) => code(id, 'x'.repeat(400), [], 1, extra);
    it.each<[string, ReturnType<typeof notebook>, number, string[]]>([
      ['no budget keeps all', notebook(big('a'), big('b'), ai('p', 'Q')), 0, []],
      ['oldest goes first', notebook(big('a'), big('b'), big('c'), ai('p', 'Q')), 300, ['a']],
      ['pinned stays', notebook(big('a', { pinned: true }), big('b'), big('c'), ai('p', 'Q')), 300, ['b']],
      ['drops until it fits', notebook(big('a'), big('b'), big('c'), ai('p', 'Q')), 150, ['a', 'b']]
    ])('%s', (_name, nb, budget, omitted) => {
      const d = buildDialogue(nb, nb.cells.length - 1, { maxOutputChars: 1000, budgetTokens: budget });
      expect(d.omitted).toEqual(omitted);
      const text = flat(d.turns).map(t => t[1]).join('');
      for (const id of omitted) {
        expect(text).not.toContain(`id="${id}"`);
      }
    });
  });
});

describe('buildDialogue with flags, variables and images', () => {
  const PNG = 'iVBORw0KGgo=';
  const plot = (id: string, extra = {}) =>
    code(id, 'plot()', [{ output_type: 'display_data', data: { 'image/png': `${PNG}\n`, 'text/plain': '<Figure>' } }], 3, extra);
  const PIN_LINE = 'Cells the user pinned: they stay in the context whatever its length, and are shown here first, in notebook order.';

  it.each<[string, ReturnType<typeof notebook>, Partial<Parameters<typeof buildDialogue>[2]>, [string, string][], number]>([
    [
      'a pinned cell leads the first turn, out of its place',
      notebook(note('a', 'A'), ai('p1', 'Q1', 'R1'), note('pin', 'P', { pinned: true }), ai('p2', 'Q2')),
      {},
      [
        ['user', `${PIN_LINE}\n\n<cell id="pin" type="markdown">\nP\n</cell>|<cell id="a" type="markdown">\nA\n</cell>\n\nQ1`],
        ['assistant', 'R1'],
        ['user', 'Q2']
      ],
      1
    ],
    [
      'a pinned answered AI cell stays a turn in its place',
      notebook(ai('p1', 'Q1', 'R1', { pinned: true }), ai('p2', 'Q2')),
      {},
      [['user', 'Q1'], ['assistant', 'R1'], ['user', 'Q2']],
      0
    ],
    [
      'a skipped pinned cell is left out',
      notebook(note('x', 'X', { pinned: true, skipped: true }), ai('p', 'Q')),
      {},
      [['user', 'Q']],
      0
    ],
    [
      'images follow their cell when asked for',
      notebook(plot('c'), note('n', 'N'), ai('p', 'Q')),
      { images: true },
      [['user', '<cell id="c" type="code" execution_count="3">\n<source>\nplot()\n</source>\n<output type="display_data">\n<Figure>\n[image/png image: attached after this cell]\n</output>\n</cell>|[image c]|<cell id="n" type="markdown">\nN\n</cell>\n\nQ']],
      0
    ],
    [
      'no images when not asked for',
      notebook(plot('c'), ai('p', 'Q')),
      { images: false },
      [['user', '<cell id="c" type="code" execution_count="3">\n<source>\nplot()\n</source>\n<output type="display_data">\n<Figure>\n</output>\n</cell>\n\nQ']],
      0
    ],
    [
      'a pinned plot brings its image into the pinned section',
      notebook(note('a', 'A'), plot('c', { pinned: true }), ai('p', 'Q')),
      { images: true },
      [['user', `${PIN_LINE}\n\n<cell id="c" type="code" execution_count="3">\n<source>\nplot()\n</source>\n<output type="display_data">\n<Figure>\n[image/png image: attached after this cell]\n</output>\n</cell>|[image c]|<cell id="a" type="markdown">\nA\n</cell>\n\nQ`]],
      2
    ],
    [
      'variables of the current prompt are filled in',
      notebook(ai('p', 'Explain $`x`')),
      { variables: { x: '[1, 2]' } },
      [['user', 'Explain `x`\n\nCurrent values of the variables named above:\n<variable name="x">\n[1, 2]\n</variable>']],
      0
    ],
    [
      'earlier prompts use the values recorded when sent',
      notebook(ai('p1', 'Why $`y`?', 'Because.', { aimagic: { variables: { y: '7' } } }), ai('p2', 'And now?')),
      { variables: {} },
      [['user', 'Why `y`?\n\nCurrent values of the variables named above:\n<variable name="y">\n7\n</variable>'], ['assistant', 'Because.'], ['user', 'And now?']],
      0
    ]
  ])('%s', (_name, nb, extra, expected, pinnedParts) => {
    const d = buildDialogue(nb, nb.cells.length - 1, { ...opts, ...extra });
    const shown = d.turns.map(t => [t.role, t.parts.map(p => (p.type === 'text' ? p.text : `[${p.type} ${p.cellId}]`)).join('|')]);
    expect(shown).toEqual(expected);
    expect(d.pinnedParts).toBe(pinnedParts);
    for (const part of d.turns.flatMap(t => t.parts)) {
      if (part.type === 'image') {
        expect(part.data).toBe(PNG);
      } else {
        expect(part.text.trim()).not.toBe('');
      }
    }
  });

  it('refuses a prompt whose variable has no value', () => {
    const nb = notebook(ai('p', 'Use $`a` and $`b`'));
    expect(() => buildDialogue(nb, 0, { ...opts, variables: { a: '1' } })).toThrow('No value for $`b`');
  });
});
