import { DocsEdit, docsEditState, editDocs, resetDocs } from './docs-edit';

const meta = (aimagic: unknown) => ({ aimagic, other: 1 });

describe('editing aimagic.docs', () => {
  it.each<[string, unknown, boolean, number[], number]>([
    ['no metadata', undefined, true, [], 0],
    ['a list with a bad entry in the middle', { docs: [{ source: 'a.md' }, { title: 'x' }, { source: 'b.md' }] }, true, [0, 2], 1],
    ['aimagic not an object', 'oops', false, [], 1],
    ['docs not a list', { docs: { source: 'a.md' } }, false, [], 1]
  ])('%s', (_name, aimagic, editable, raws, problems) => {
    const state = docsEditState(aimagic === undefined ? {} : meta(aimagic));
    expect(state.editable).toBe(editable);
    expect(state.entries.map(e => e.raw)).toEqual(raws);
    expect(state.problems).toHaveLength(problems);
  });

  const start = { model: 'm', docs: [{ source: 'a.md' }, { title: 'kept as written' }, { source: 'b.md', enabled: false, x: 1 }] };
  it.each<[string, DocsEdit, unknown[]]>([
    ['add', { op: 'add', source: 'https://x.org/c.md' }, [...start.docs, { source: 'https://x.org/c.md' }]],
    ['remove', { op: 'remove', raw: 0 }, start.docs.slice(1)],
    ['move down', { op: 'move', raw: 0, by: 1 }, [start.docs[1], start.docs[0], start.docs[2]]],
    ['move past the end does nothing', { op: 'move', raw: 2, by: 1 }, start.docs],
    ['enable drops the flag, keeps unknown keys', { op: 'set', raw: 2, key: 'enabled', value: true }, [start.docs[0], start.docs[1], { source: 'b.md', x: 1 }]],
    ['disable', { op: 'set', raw: 0, key: 'enabled', value: false }, [{ source: 'a.md', enabled: false }, ...start.docs.slice(1)]],
    ['expand', { op: 'set', raw: 0, key: 'expand', value: true }, [{ source: 'a.md', expand: true }, ...start.docs.slice(1)]]
  ])('%s keeps everything else as it was', (_name, edit, docs) => {
    const before = JSON.stringify(meta(start));
    const after = editDocs(meta(start), edit);
    expect(after).toEqual({ model: 'm', docs });
    expect(JSON.stringify(meta(start))).toBe(before);
  });

  it.each(['oops', { docs: 'a.md' }])('refuses to edit invalid metadata %p', aimagic => {
    expect(() => editDocs(meta(aimagic), { op: 'add', source: 'a.md' })).toThrow('reset the docs list first');
  });

  it.each<[unknown, unknown]>([
    ['oops', { docs: [] }],
    [{ model: 'm', docs: 3 }, { model: 'm', docs: [] }]
  ])('reset of %p (only on request) gives %p', (aimagic, expected) => {
    expect(resetDocs(meta(aimagic))).toEqual(expected);
  });
});
