import { toolRefs } from './tool-refs';

describe('toolRefs', () => {
  it.each<[string, string, string[]]>([
    ['no tools', 'What is 2 + 2?', []],
    ['one name', 'Use &`add` to sum them', ['add']],
    ['a list', 'You may call &`[add, mul]`.', ['add', 'mul']],
    ['a list with spaces and a trailing comma', '&`[ add ,mul, ]`', ['add', 'mul']],
    ['in order, each once', '&`b` then &`[a, b]` then &`c` and &`a`', ['b', 'a', 'c']],
    ['names across lines', 'First &`load`.\n\nThen &`plot_it`.', ['load', 'plot_it']],
    ['at the very start', '&`f`', ['f']],
    ['no space needed before &', 'x&`f`y', ['f']],
    ['a variable is not a tool', 'Look at $`df` and &`describe`', ['describe']],
    ['plain code is not a tool', 'The `add` function', []],
    ['& with a space is not an offer', 'see & `add`', []],
    ['not a name', '&`1x`, &`a b`, &`a.b`, &`a-b`', []],
    ['a list with a bad entry offers nothing', '&`[add, 2x]`', []],
    ['an empty list', '&`[]`', []],
    ['a double-backtick span is code', 'Write ``&`add` `` to offer add', []],
    ['inside a code span', 'Type `x = &`f`` here', []],
    ['a stray backtick pairs with the next one, as markdown reads it', 'a ` stray and &`f`', []],
    ['an unpaired backtick is literal', 'a `` stray and &`f`', ['f']],
    ['inside a fence', 'Offer it:\n```\n&`secret`\n```\nbut &`open`', ['open']],
    ['inside a tilde fence with info', '~~~python\n&`x`\n~~~\n&`y`', ['y']],
    ['a longer fence closes only on one as long', '````\n```\n&`x`\n````\n&`y`', ['y']],
    ['a fence open to the end', 'use &`a`\n```\n&`b`', ['a']],
    ['an indented fence (up to three spaces)', '   ```\n&`x`\n   ```\n&`z`', ['z']],
    ['backticks in an info string do not open a fence', '``` a`b`\n&`x`', ['x']],
    ['a name of 64 characters', `&\`${'a'.repeat(64)}\``, ['a'.repeat(64)]],
    ['a name of 65 characters is too long for a provider', `&\`${'a'.repeat(65)}\``, []],
    ['unicode is not a tool name', '&`café`', []]
  ])('%s', (_name, text, expected) => {
    expect(toolRefs(text)).toEqual(expected);
  });
});
