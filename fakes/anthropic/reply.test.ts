/**
 * Reply text helpers: the default reply, delta splitting, and cuts.
 */
import { defaultReplyText, splitDeltas } from './reply';

describe('defaultReplyText', () => {
  it.each<[number, string, string]>([
    [1, 'Hello', 'Fake reply #1 to: "Hello"'],
    [7, '  many\n\nlines\there  ', 'Fake reply #7 to: "many lines here"'],
    [2, 'x'.repeat(100), `Fake reply #2 to: "${'x'.repeat(80)}"`],
    [3, '', 'Fake reply #3 to: ""']
  ])('#%i of %j starts with %j and ends with a python block', (n, prompt, firstLine) => {
    const text = defaultReplyText(n, prompt);
    expect(text.split('\n')[0]).toBe(firstLine);
    expect(text.endsWith(`\`\`\`python\nprint("fake reply ${n}")\n\`\`\`\n`)).toBe(true);
  });
});

describe('splitDeltas', () => {
  it.each<[string, number, string[]]>([
    ['', 3, []],
    ['one', 3, ['one']],
    ['a b c d e', 2, ['a b ', 'c d ', 'e']],
    ['  lead and trail  ', 1, ['  lead ', 'and ', 'trail  ']],
    ['```python\nx = 1\n```\n', 3, ['```python\nx = ', '1\n```\n']],
    ['\n\n', 3, ['\n\n']]
  ])('%j in %i-word deltas', (text, words, deltas) => {
    expect(splitDeltas(text, words)).toEqual(deltas);
    expect(splitDeltas(text, words).join('')).toBe(text);
  });
});
