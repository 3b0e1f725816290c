import { cleanText, isBareRepr, outputText, stripAnsi, widgetNames } from './output-text';
import { htmlToMarkdown } from './html-markdown';
import { OutputJSON } from '../nbformat';

const ESC = '\u001b';
const withHtml = { htmlToMarkdown };

describe('stripAnsi', () => {
  it.each([
    [`${ESC}[0;31mValueError${ESC}[0m: bad`, 'ValueError: bad'],
    [`${ESC}[1;32m---> 1${ESC}[39m x`, '---> 1 x'],
    [`${ESC}]8;;http://x\u0007link${ESC}]8;;\u0007`, 'link'],
    [`${ESC}[38;5;28;01mdef${ESC}[39;00m f`, 'def f'],
    ['plain', 'plain']
  ])('%j', (input, expected) => {
    expect(stripAnsi(input)).toBe(expected);
  });
});

describe('cleanText', () => {
  it.each([
    ['a carriage return overwrites its line', ' 10%|█         |\r 50%|█████     |\r100%|██████████|\ndone\n', '100%|██████████|\ndone\n'],
    ['a trailing carriage return keeps the line', 'step 3\r\nnext', 'step 3\nnext'],
    ['tqdm ends its line with \\r', 'a\rb\r', 'b'],
    ['colours go too', `${ESC}[32mok${ESC}[0m\n`, 'ok\n']
  ])('%s', (_name, input, expected) => {
    expect(cleanText(input)).toBe(expected);
  });
});

describe('isBareRepr', () => {
  it.each([
    ['<IPython.core.display.HTML object>', true],
    ['<__main__.Slider>', true],
    ['<Figure size 640x480 with 1 Axes>', true],
    ['<div id="v"><span>state=50</span></div>', false],
    ['   a  b\n0  1  2', false],
    ['42', false]
  ])('%j', (text, expected) => {
    expect(isBareRepr(text)).toBe(expected);
  });
});

// What the model gets for each kind of output: one row per case the issue names.
describe('outputText', () => {
  const table =
    '<div><style scoped>.dataframe tbody tr th { vertical-align: top; }</style><table border="1" class="dataframe">' +
    '<thead><tr><th></th><th>a</th><th>b</th></tr></thead><tbody><tr><th>0</th><td>1</td><td>x</td></tr></tbody></table></div>';
  it.each<[string, OutputJSON, string]>([
    ['stream without ANSI', { output_type: 'stream', name: 'stdout', text: [`${ESC}[1mbold${ESC}[0m\n`] }, 'bold\n'],
    ['result without ANSI', { output_type: 'execute_result', data: { 'text/plain': `${ESC}[0;34mSignature:${ESC}[0m f(x)` } }, 'Signature: f(x)'],
    ['text/plain first', { output_type: 'execute_result', data: { 'text/plain': '   a\n0  1', 'text/html': table } }, '   a\n0  1'],
    ['HTML-only table stays a table', { output_type: 'display_data', data: { 'text/html': table } }, '|   | a | b |\n| - | - | - |\n| 0 | 1 | x |'],
    [
      'HTML behind a bare repr',
      { output_type: 'display_data', data: { 'text/html': '<b>Done</b> in <i>3 s</i>', 'text/plain': '<IPython.core.display.HTML object>' } },
      '**Done** in _3 s_'
    ],
    ['markdown before HTML', { output_type: 'display_data', data: { 'text/markdown': '# T', 'text/html': '<h1>T</h1>', 'text/plain': '<IPython.core.display.Markdown object>' } }, '# T'],
    ['LaTeX', { output_type: 'display_data', data: { 'text/latex': '$\\displaystyle x^{2}$', 'text/plain': '<IPython.core.display.Math object>' } }, '$\\displaystyle x^{2}$'],
    ['JSON', { output_type: 'display_data', data: { 'application/json': { a: [1, 2] }, 'text/plain': '<IPython.core.display.JSON object>' } }, '{\n  "a": [\n    1,\n    2\n  ]\n}'],
    ['SVG source', { output_type: 'display_data', data: { 'image/svg+xml': ['<svg>', '<circle r="1"/></svg>'], 'text/plain': '<IPython.core.display.SVG object>' } }, '<svg><circle r="1"/></svg>'],
    ['bare repr when nothing else reads', { output_type: 'display_data', data: { 'image/png': 'iVBO', 'text/plain': '<Figure size 640x480 with 1 Axes>' } }, '<Figure size 640x480 with 1 Axes>'],
    ['types named when there is no text', { output_type: 'display_data', data: { 'image/png': 'iVBO' } }, '[image/png output]'],
    [
      'widget named by its repr',
      { output_type: 'display_data', data: { 'application/vnd.jupyter.widget-view+json': { model_id: 'm1', version_major: 2, version_minor: 0 }, 'text/plain': 'IntSlider(value=3)' } },
      '[widget: IntSlider(value=3)]'
    ],
    [
      'widget without a repr',
      { output_type: 'display_data', data: { 'application/vnd.jupyter.widget-view+json': { model_id: 'zz', version_major: 2, version_minor: 0 } } },
      '[widget: not saved with the notebook]'
    ],
    [
      'error whose traceback repeats the message',
      { output_type: 'error', ename: 'ValueError', evalue: 'bad', traceback: [`${ESC}[0;31mTraceback${ESC}[0m`, `${ESC}[0;31mValueError${ESC}[0m: bad`] },
      'Traceback\nValueError: bad'
    ],
    ['error with a cut traceback', { output_type: 'error', ename: 'KeyError', evalue: "'x'", traceback: ['Traceback (most recent call last):', '  File "a.py", line 1'] }, 'Traceback (most recent call last):\n  File "a.py", line 1\nKeyError: \'x\''],
    ['error without traceback', { output_type: 'error', ename: 'E', evalue: 'v', traceback: [] }, 'E: v'],
    ['error without a value', { output_type: 'error', ename: 'KeyboardInterrupt', evalue: '', traceback: ['Traceback', 'KeyboardInterrupt'] }, 'Traceback\nKeyboardInterrupt'],
    [
      'SyntaxError: the traceback line drops the position evalue has',
      { output_type: 'error', ename: 'SyntaxError', evalue: 'invalid syntax (123.py, line 1)', traceback: ['  Cell In[1], line 1', '    x ==', '        ^', 'SyntaxError: invalid syntax'] },
      '  Cell In[1], line 1\n    x ==\n        ^\nSyntaxError: invalid syntax'
    ],
    ['error with an ANSI value', { output_type: 'error', ename: 'E', evalue: `${ESC}[1mv${ESC}[0m` }, 'E: v'],
    ['unknown output types give nothing', { output_type: 'custom' }, '']
  ])('%s', (_name, output, expected) => {
    expect(outputText(output, withHtml)).toBe(expected);
  });

  it('names a widget from the saved widget state', () => {
    const names = widgetNames({ widgets: { 'application/vnd.jupyter.widget-state+json': { state: { m1: { model_name: 'FloatSliderModel' } } } } });
    const output: OutputJSON = { output_type: 'display_data', data: { 'application/vnd.jupyter.widget-view+json': { model_id: 'm1' }, 'text/plain': 'FloatSlider(value=0.5)' } };
    expect(outputText(output, { widgetNames: names })).toBe('[widget: FloatSlider]');
  });

  it('names HTML it cannot convert', () => {
    expect(outputText({ output_type: 'display_data', data: { 'text/html': '<b>x</b>' } }, {})).toBe('[text/html output]');
  });
});
