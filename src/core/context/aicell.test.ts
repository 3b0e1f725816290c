import { REPLY_SEPARATOR, isAICell, joinAICell, magicPrompt, splitAICell } from './aicell';

describe('splitAICell', () => {
  it.each([
    ['unanswered', 'What is 2+2?', { prompt: 'What is 2+2?', reply: null }],
    ['answered', `Q${REPLY_SEPARATOR}A`, { prompt: 'Q', reply: 'A' }],
    ['list source', ['Q', REPLY_SEPARATOR, 'A\n', 'B'], { prompt: 'Q', reply: 'A\nB' }],
    ['missing newlines', 'Q##### 🤖Reply🤖<!-- SOLVEIT_SEPARATOR_7f3a9b2c -->A', { prompt: 'Q', reply: 'A' }],
    ['separator quoted in reply', `Q${REPLY_SEPARATOR}A${REPLY_SEPARATOR}B`, { prompt: 'Q', reply: `A${REPLY_SEPARATOR}B` }],
    ['empty reply', `Q${REPLY_SEPARATOR}`, { prompt: 'Q', reply: '' }]
  ])('%s', (_name, source, expected) => {
    expect(splitAICell(source)).toEqual(expected);
  });

  it.each([
    ['Q', 'A'],
    ['multi\nline\n\nprompt', '```python\nx = 1\n```\n'],
    ['Q', null]
  ])('join then split gives back %j / %j', (prompt, reply) => {
    expect(splitAICell(joinAICell(prompt, reply))).toEqual({ prompt, reply });
  });

  it('writes exactly SolveIt’s separator', () => {
    expect(joinAICell('Hi', 'Hello')).toBe('Hi\n\n##### 🤖Reply🤖<!-- SOLVEIT_SEPARATOR_7f3a9b2c -->\n\nHello');
  });
});

describe('isAICell', () => {
  it.each([
    [{ cell_type: 'markdown', metadata: { solveit_ai: true } }, true],
    [{ cell_type: 'markdown', metadata: { solveit_ai: false } }, false],
    [{ cell_type: 'markdown', metadata: {} }, false],
    [{ cell_type: 'code', metadata: { solveit_ai: true } }, false],
    [{ cell_type: 'markdown' }, false]
  ])('%j -> %s', (cell, expected) => {
    expect(isAICell(cell)).toBe(expected);
  });
});

describe('magicPrompt', () => {
  it.each([
    ['%%ai\nExplain x', 'Explain x'],
    ['%%ai   \r\nExplain', 'Explain'],
    ['%%ai', ''],
    ['  %%ai\nA\nB', 'A\nB'],
    ['%%aix\nno', null],
    ['x = 1\n%%ai\n', null],
    ['%%time\nx', null]
  ])('%j -> %j', (source, expected) => {
    expect(magicPrompt(source)).toBe(expected);
  });
});
