import { dialogModeWrites, readSolveit } from './solveit';
import { preparePrompt } from './request/assemble';
import { DEFAULT_SETTINGS } from './settings';
import { ai, notebook } from './testing/notebooks';

// The `solveit` object as SolveIt exports it (AnswerDotAI/dialoghelper, nbs/00_core.ipynb).
const EXPORTED = { default_code: true, mode: 'concise', use_fence: false, use_thinking: true, use_tools: true, ver: 2 };

describe('readSolveit', () => {
  it.each<[string, Record<string, unknown> | undefined, object, string[]]>([
    ['nothing', undefined, {}, []],
    ['the older key', { solveit_dialog_mode: 'learning' }, { mode: 'learning' }, []],
    ['the newer object', { solveit: EXPORTED }, { mode: 'concise', ver: 2, useThinking: true, useTools: true, useFence: false, defaultCode: true }, []],
    ['the object wins over the older key', { solveit_dialog_mode: 'learning', solveit: { mode: 'concise' } }, { mode: 'concise' }, []],
    ['flags stored as 0/1', { solveit: { use_thinking: 1, use_tools: 0 } }, { useThinking: true, useTools: false }, []],
    ['not an object', { solveit: 'concise' }, {}, ['Notebook metadata "solveit" must be an object; it is ignored.']],
    ['bad mode', { solveit: { mode: 'chatty' } }, {}, ['solveit.mode must be "standard", "learning" or "concise", not "chatty".']],
    ['bad flag and version', { solveit: { use_tools: 'yes', ver: '2' } }, {}, ['solveit.ver must be a number; it is ignored.', 'solveit.use_tools must be true or false; it is ignored.']],
    ['unknown keys are not read', { solveit: { mode: 'learning', future_key: [1] } }, { mode: 'learning' }, []]
  ])('%s', (_name, metadata, expected, problems) => {
    const found: string[] = [];
    expect(readSolveit(metadata, found)).toEqual(expected);
    expect(found).toEqual(problems);
  });
});

describe('dialogModeWrites', () => {
  it.each<[string, Record<string, unknown> | undefined, [string, unknown][]]>([
    ['a notebook with neither writes the older key', {}, [['solveit_dialog_mode', 'learning']]],
    ['the older key stays the older key', { solveit_dialog_mode: 'concise' }, [['solveit_dialog_mode', 'learning']]],
    ['the object keeps its other fields', { solveit: EXPORTED }, [['solveit', { ...EXPORTED, mode: 'learning' }]]],
    ['both forms are kept in step', { solveit: { ver: 2 }, solveit_dialog_mode: 'concise' }, [['solveit', { ver: 2, mode: 'learning' }], ['solveit_dialog_mode', 'learning']]]
  ])('%s', (_name, metadata, writes) => {
    expect(dialogModeWrites(metadata, 'learning')).toEqual(writes);
  });

  it('does not change the metadata it is given', () => {
    const metadata = { solveit: { ...EXPORTED } };
    dialogModeWrites(metadata, 'standard');
    expect(metadata.solveit).toEqual(EXPORTED);
  });
});

describe('what the solveit object changes in the request', () => {
  const withMeta = (metadata: Record<string, unknown>, cellMeta = {}) => {
    const nb = { ...notebook(ai('p', 'Q', undefined, cellMeta)), metadata };
    return preparePrompt(nb, 0, { settings: DEFAULT_SETTINGS }).request;
  };
  it.each<[string, Record<string, unknown>, Record<string, unknown>, boolean]>([
    ['the dialog thinks', { solveit: { use_thinking: true } }, {}, true],
    ['a prompt set to false does not', { solveit: { use_thinking: true } }, { use_thinking: false }, false],
    ['a prompt set to true does, whatever the dialog', { solveit: { use_thinking: false } }, { use_thinking: true }, true],
    ['nothing set: no thinking', {}, {}, false]
  ])('%s', (_name, metadata, cellMeta, thinks) => {
    expect(withMeta(metadata, cellMeta).thinkingBudget !== undefined).toBe(thinks);
  });

  it('the mode selects the instructions', () => {
    expect(withMeta({ solveit: EXPORTED }).system).toEqual(withMeta({ solveit_dialog_mode: 'concise' }).system);
    expect(withMeta({ solveit: EXPORTED }).system).not.toEqual(withMeta({}).system);
  });
});
