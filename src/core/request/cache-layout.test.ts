/**
 * The cached prefix (DESIGN §3) as a table: for docs, turns and edits above the prompt,
 * which breakpoints a request carries and how many of its leading blocks are byte-identical
 * to the previous prompt's (cache_control aside: Anthropic matches a prefix by content).
 */
import { preparePrompt } from './assemble';
import { NotebookJSON } from '../nbformat';
import { toAnthropicBody } from '../providers/anthropic-body';
import { DEFAULT_SETTINGS } from '../settings';
import { ai, code, note, notebook, stdout } from '../testing/notebooks';
import { DocPart } from '../types';

type Docs = Omit<DocPart, 'cache'>[];
const DOCS: Docs = [
  { title: 'A', source: 'a.md', text: 'doc A' },
  { title: 'B', source: 'https://x.org/b.md', text: 'doc B' }
];

/** The blocks of a body in cache order (system, then messages), as JSON without marks. */
function units(body: Record<string, unknown>): string[] {
  const strip = (v: unknown) => JSON.stringify(v, (k, x) => (k === 'cache_control' ? undefined : x));
  const system = (body.system as unknown[]).map(b => `system:${strip(b)}`);
  const messages = (body.messages as { role: string; content: unknown[] }[]).flatMap(m => m.content.map(b => `${m.role}:${strip(b)}`));
  return [`model:${body.model}`, ...system, ...messages];
}

/** Where the breakpoints are, as unit indexes with their TTL. */
function marks(body: Record<string, unknown>): string[] {
  const blocks = [
    ...(body.system as { cache_control?: { ttl?: string } }[]),
    ...(body.messages as { content: { cache_control?: { ttl?: string } }[] }[]).flatMap(m => m.content)
  ];
  return blocks.flatMap((b, i) => (b.cache_control ? [`${i + 1}:${b.cache_control.ttl ?? '5m'}`] : []));
}

/** How many leading units two bodies share. */
function shared(a: string[], b: string[]): number {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) {
    n++;
  }
  return n;
}

const body = (nb: NotebookJSON, docs: Docs, system = '') =>
  toAnthropicBody(preparePrompt(nb, nb.cells.length - 1, { settings: { ...DEFAULT_SETTINGS, docsCacheTTL: '1h', systemPrompt: system }, docs }).request);

const first = notebook(note('n', 'Intro'), code('c1', 'x = 1', [stdout('1\n')], 1), ai('p1', 'Q1', 'R1'), ai('p2', 'Q2'));
const answered = notebook(...first.cells.slice(0, 3), ai('p2', 'Q2', 'R2'));

// Units: 0 model, 1 system, 2-3 docs, then messages: 4 user(intro, c1, Q1), 5 assistant R1, 6 user Q2, …
describe('cached prefix layout', () => {
  it.each<[string, NotebookJSON, Docs, string, string[], number]>([
    ['next prompt below: everything up to the previous turn is shared', notebook(...answered.cells, code('c2', 'y', [], 2), ai('p3', 'Q3')), DOCS, '', ['3:1h', '7:5m', '8:5m'], 7],
    ['a prompt right after another', notebook(...answered.cells, ai('p3', 'Q3')), DOCS, '', ['3:1h', '7:5m', '8:5m'], 7],
    ['a cell edited above the previous reply: the docs are still shared', notebook(note('n', 'Intro, edited'), ...answered.cells.slice(1), ai('p3', 'Q3')), DOCS, '', ['3:1h', '7:5m', '8:5m'], 4],
    ['an output changed above: the docs are still shared', notebook(note('n', 'Intro'), code('c1', 'x = 1', [stdout('2\n')], 2), ...answered.cells.slice(2), ai('p3', 'Q3')), DOCS, '', ['3:1h', '7:5m', '8:5m'], 4],
    ['a skipped cell above: the docs are still shared', notebook(note('n', 'Intro', { skipped: true }), ...answered.cells.slice(1), ai('p3', 'Q3')), DOCS, '', ['3:1h', '7:5m', '8:5m'], 4],
    ['a doc added at the end: system and the first docs are shared', notebook(...answered.cells, ai('p3', 'Q3')), [...DOCS, { title: 'C', source: 'c.md', text: 'doc C' }], '', ['4:1h', '8:5m', '9:5m'], 4],
    ['a doc disabled: only what precedes it is shared', notebook(...answered.cells, ai('p3', 'Q3')), DOCS.slice(1), '', ['2:1h', '6:5m', '7:5m'], 2],
    ['the system instructions changed: nothing is shared', notebook(...answered.cells, ai('p3', 'Q3')), DOCS, 'Answer in French.', ['3:1h', '7:5m', '8:5m'], 1],
    ['no docs: the dialogue still has its two marks', notebook(...answered.cells, ai('p3', 'Q3')), [], '', ['5:5m', '6:5m'], 0]
  ])('%s', (_name, next, docs, system, expectedMarks, sharedUnits) => {
    const before = units(body(first, DOCS));
    const after = body(next, docs, system);
    expect(marks(after)).toEqual(expectedMarks);
    expect(marks(after).length).toBeLessThanOrEqual(4);
    if (docs.length || system) {
      expect(shared(before, units(after))).toBe(sharedUnits);
    } else {
      // Without docs the system block is the only thing before the dialogue.
      expect(units(after)[1]).toBe(before[1]);
    }
  });

  it('the request is a pure function of the notebook: the same bytes every time', () => {
    expect(JSON.stringify(body(answered, DOCS))).toBe(JSON.stringify(body(JSON.parse(JSON.stringify(answered)), DOCS)));
  });

  it('docs go in the system prompt in order, each wrapped with its title and source', () => {
    const system = body(first, DOCS).system as { text: string }[];
    expect(system.slice(1).map(b => b.text)).toEqual(['<doc title="A" source="a.md">\ndoc A\n</doc>', '<doc title="B" source="https://x.org/b.md">\ndoc B\n</doc>']);
  });
});
