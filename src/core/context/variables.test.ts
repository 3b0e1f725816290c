import { expandVariables, findVariables, recordedVariables } from './variables';

describe('findVariables', () => {
  it.each<[string, string[]]>([
    ['no variables here', []],
    ['What is $`x`?', ['x']],
    ['Compare $`df.shape` with $`n_rows` and $`x`, then $`x` again', ['df.shape', 'n_rows', 'x']],
    ['Plain `x` and $x are not references', []],
    ['Not a name: $`1x`, $`a b`, $`a.`', []],
    ['Inside text:$`_private`.', ['_private']]
  ])('%j', (prompt, expected) => {
    expect(findVariables(prompt)).toEqual(expected);
  });
});

describe('expandVariables', () => {
  it.each<[string, string, Record<string, string>, number, string]>([
    ['no references', 'Hi', { x: '1' }, 0, 'Hi'],
    [
      'one value',
      'What is $`x`?',
      { x: '41' },
      0,
      'What is `x`?\n\nCurrent values of the variables named above:\n<variable name="x">\n41\n</variable>'
    ],
    [
      'each name once, in order of use',
      '$`b` and $`a` and $`b`',
      { a: 'A', b: 'B' },
      0,
      '`b` and `a` and `b`\n\nCurrent values of the variables named above:\n<variable name="b">\nB\n</variable>\n<variable name="a">\nA\n</variable>'
    ],
    ['long values are cut in the middle', '$`s`', { s: 'x'.repeat(30) }, 10, '`s`\n\nCurrent values of the variables named above:\n<variable name="s">\nxxxxx\n… [20 characters cut] …\nxxxxx\n</variable>'],
    ['names without a value stay as written', 'Old $`gone` and $`x`', { x: '1' }, 0, 'Old $`gone` and `x`\n\nCurrent values of the variables named above:\n<variable name="x">\n1\n</variable>']
  ])('%s', (_name, prompt, values, max, expected) => {
    expect(expandVariables(prompt, values, max)).toBe(expected);
  });
});

describe('recordedVariables', () => {
  it.each<[unknown, Record<string, string>]>([
    [undefined, {}],
    [{ aimagic: {} }, {}],
    [{ aimagic: { variables: { x: '1', bad: 2 } } }, { x: '1' }],
    [{ aimagic: { variables: ['x'] } }, {}]
  ])('%j', (metadata, expected) => {
    expect(recordedVariables(metadata as Record<string, unknown>)).toEqual(expected);
  });
});
