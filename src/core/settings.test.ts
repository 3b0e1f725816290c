import { readFileSync } from 'fs';
import { join } from 'path';
import { DEFAULT_SETTINGS, readNotebookOverrides } from './settings';

describe('DEFAULT_SETTINGS', () => {
  const schema = JSON.parse(readFileSync(join(__dirname, '../../schema/settings.json'), 'utf8')) as { properties: Record<string, { default?: unknown }> };
  it.each(Object.keys(DEFAULT_SETTINGS))('%s has the default the settings schema declares', key => {
    expect(schema.properties[key]?.default).toEqual(DEFAULT_SETTINGS[key as keyof typeof DEFAULT_SETTINGS]);
  });
});

describe('readNotebookOverrides', () => {
  it.each<[string, Record<string, unknown> | undefined, object, string[]]>([
    ['nothing', undefined, { mode: 'standard', solveit: {} }, []],
    ['valid', { aimagic: { model: 'm', docs: [{ source: 'a.md' }] }, solveit_dialog_mode: 'concise' }, { mode: 'concise', solveit: { mode: 'concise' }, model: 'm', docs: [{ source: 'a.md', title: undefined, enabled: true }] }, []],
    ['not an object', { aimagic: 'x' }, { mode: 'standard', solveit: {} }, ['Notebook metadata "aimagic" must be an object; it is ignored.']],
    ['bad mode', { solveit_dialog_mode: 'chatty' }, { mode: 'standard', solveit: {} }, ['solveit_dialog_mode must be "standard", "learning" or "concise", not "chatty".']],
    ['docs not a list', { aimagic: { docs: {} } }, { mode: 'standard', solveit: {}, docs: [] }, ['aimagic.docs must be a list; it is ignored.']],
    [
      'bad doc entries are skipped',
      { aimagic: { docs: [{ title: 'no source' }, { source: 'b.md', enabled: false }] } },
      { mode: 'standard', solveit: {}, docs: [{ source: 'b.md', title: undefined, enabled: false }] },
      ['aimagic.docs[0] needs a "source" (a path or URL); it is ignored.']
    ],
    ['empty model', { aimagic: { model: ' ' } }, { mode: 'standard', solveit: {} }, ['aimagic.model must be a non-empty string; it is ignored.']]
  ])('%s', (_name, metadata, overrides, problems) => {
    const read = readNotebookOverrides(metadata);
    expect(read.overrides).toEqual(overrides);
    expect(read.problems).toEqual(problems);
  });
});
