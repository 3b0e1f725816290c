/**
 * The dry run prints exactly the body the extension would send for that cell.
 */
import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { preparePrompt } from '../core/request/assemble';
import { toAnthropicBody } from '../core/providers/anthropic-body';
import { DEFAULT_SETTINGS } from '../core/settings';
import { ai, code, note, notebook, stdout } from '../core/testing/notebooks';
import { encode } from 'fast-png';
import { scaleImage } from '../core/context/image-scale';
import { imageLimits } from '../core/context/images';
import { main } from './aimagic';

const dir = mkdtempSync(join(tmpdir(), 'aimagic-cli-'));
const nb = notebook(note('n', 'Notes'), code('c', 'print(5)', [stdout('five hundred\n')], 1), ai('p1', 'Q1', 'R1'), ai('p2', 'Q2'));
const path = join(dir, 'dialog.ipynb');
writeFileSync(path, JSON.stringify(nb));

describe('aimagic prompt', () => {
  it('prints the body the extension would send', async () => {
    const out = await main(['prompt', path, '--cell', '3']);
    expect(out.code).toBe(0);
    const expected = toAnthropicBody(preparePrompt(nb, 3, { settings: DEFAULT_SETTINGS }).request);
    expect(JSON.parse(out.stdout)).toEqual(expected);
  });

  it.each<[string, string[], (body: any) => unknown, unknown]>([
    ['model', ['--model', 'claude-opus-5-5'], b => b.model, 'claude-opus-5-5'],
    ['max tokens', ['--max-tokens', '99'], b => b.max_tokens, 99],
    ['system', ['--system', 'Use French.'], b => b.system[0].text.endsWith('Use French.'), true],
    ['output limit', ['--max-output-chars', '1'], b => b.messages[0].content[0].text.includes('[11 characters cut]'), true],
    ['docs ttl', ['--docs-ttl', '1h'], b => b.model, DEFAULT_SETTINGS.model]
  ])('--%s', async (_name, flags, pick, expected) => {
    const out = await main(['prompt', path, '--cell', '3', ...flags]);
    expect(out.stderr).toBe('');
    expect(pick(JSON.parse(out.stdout))).toEqual(expected);
  });

  it('sends HTML-only results as Markdown, as the extension does', async () => {
    const html = { output_type: 'display_data', data: { 'text/html': '<table><tr><th>a</th></tr><tr><td>1</td></tr></table>', 'text/plain': '<IPython.core.display.HTML object>' } };
    const file = join(dir, 'html.ipynb');
    writeFileSync(file, JSON.stringify(notebook(code('c', 'show()', [html], 1), ai('p', 'Q'))));
    const out = await main(['prompt', file, '--cell', '1']);
    expect(out.code).toBe(0);
    expect(JSON.parse(out.stdout).messages[0].content[0].text).toContain('| a |\n| - |\n| 1 |');
  });

  it.each<[string, string[], string]>([
    ['a value', ['--var', 'df=   a\n0  1'], '<variable name="df">\n   a\n0  1\n</variable>'],
    ['a value with =', ['--var', 'df=x=1'], '<variable name="df">\nx=1\n</variable>']
  ])('--var fills $`name`: %s', async (_name, flags, expected) => {
    const file = join(dir, 'vars.ipynb');
    writeFileSync(file, JSON.stringify(notebook(ai('p', 'What is in $`df`?'))));
    const out = await main(['prompt', file, '--cell', '0', ...flags]);
    expect(out.stderr).toBe('');
    expect(JSON.parse(out.stdout).messages[0].content[0].text).toContain(expected);
  });

  it('a prompt naming a variable without --var says how to give it', async () => {
    const file = join(dir, 'novar.ipynb');
    writeFileSync(file, JSON.stringify(notebook(ai('p', 'Compare $`a` and $`b`'))));
    const out = await main(['prompt', file, '--cell', '0', '--var', 'a=1']);
    expect(out.code).toBe(1);
    expect(out.stderr).toBe('aimagic: the prompt names $`b`: give its value with --var b=VALUE.\n');
  });

  it('sends images scaled as the extension scales them, and none with --no-images', async () => {
    const png = Buffer.from(encode({ width: 2000, height: 100, data: new Uint8Array(2000 * 100 * 4).fill(200), channels: 4 })).toString('base64');
    const file = join(dir, 'figure.ipynb');
    const figure = { output_type: 'display_data', data: { 'image/png': png, 'text/plain': '<Figure>' }, metadata: {} };
    writeFileSync(file, JSON.stringify(notebook(code('c', 'plot()', [figure], 1), ai('p', 'Q'))));
    const body = JSON.parse((await main(['prompt', file, '--cell', '1'])).stdout);
    const image = body.messages[0].content.find((b: any) => b.type === 'image');
    expect(image.source.data).toBe(await scaleImage('image/png', png, imageLimits('anthropic')));
    const plain = JSON.parse((await main(['prompt', file, '--cell', '1', '--no-images'])).stdout);
    expect(plain.messages[0].content.map((b: any) => b.type)).toEqual(['text']);
  });

  it('summarises on stderr when asked', async () => {
    const out = await main(['prompt', path, '--cell', '3', '--summary']);
    expect(out.stderr).toBe('3 turns from 3 cells; 0 left out for the budget\n');
  });

  it.each<[string, string[], number, RegExp]>([
    ['no command', [], 2, /Usage: aimagic prompt/],
    ['no cell', ['prompt', path], 2, /--cell is required/],
    ['bad number', ['prompt', path, '--cell', 'x'], 2, /--cell needs a whole number/],
    ['bad --var', ['prompt', path, '--cell', '3', '--var', 'no-equals'], 2, /--var is NAME=VALUE/],
    ['unknown option', ['prompt', path, '--cell', '1', '--bogus'], 2, /Unknown option --bogus/],
    ['missing file', ['prompt', join(dir, 'nope.ipynb'), '--cell', '0'], 1, /ENOENT|no such file/],
    ['past the end', ['prompt', path, '--cell', '9'], 1, /past the last cell \(3\)/],
    ['not an AI cell', ['prompt', path, '--cell', '1'], 1, /Cell 1 is not an AI cell/],
    ['unknown provider', ['prompt', path, '--cell', '3', '--provider', 'nobody'], 1, /Unknown provider "nobody"/]
  ])('%s fails clearly', async (_name, argv, code, message) => {
    const out = await main(argv);
    expect(out.code).toBe(code);
    expect(out.stdout).toBe('');
    expect(out.stderr).toMatch(message);
  });
});
