import { renderCell, renderOutput, truncateMiddle } from './render';
import { code, note } from '../testing/notebooks';

const opts = { maxOutputChars: 100 };

describe('truncateMiddle', () => {
  it('keeps short text', () => {
    expect(truncateMiddle('abc', 10)).toBe('abc');
  });
  it('cuts the middle with a marker that says how much', () => {
    const text = 'A'.repeat(50) + 'M'.repeat(1000) + 'Z'.repeat(50);
    const out = truncateMiddle(text, 100);
    expect(out.startsWith('A'.repeat(50))).toBe(true);
    expect(out.endsWith('Z'.repeat(50))).toBe(true);
    expect(out).toContain('[1000 characters cut]');
    expect(out).not.toContain('M');
  });
});

describe('renderOutput', () => {
  it.each([
    ['stream', { output_type: 'stream', name: 'stderr', text: ['a\n', 'b\n'] }, '<output type="stream" name="stderr">\na\nb\n</output>'],
    ['result prefers text/plain', { output_type: 'execute_result', data: { 'text/plain': '42', 'text/html': '<b>42</b>' } }, '<output type="execute_result">\n42\n</output>'],
    ['markdown when no plain', { output_type: 'display_data', data: { 'text/markdown': '# T' } }, '<output type="display_data">\n# T\n</output>'],
    ['names other types', { output_type: 'display_data', data: { 'image/png': 'iVBOR' } }, '<output type="display_data">\n[image/png output]\n</output>'],
    [
      'error without ANSI',
      { output_type: 'error', ename: 'ValueError', evalue: 'bad', traceback: ['\u001b[0;31mTraceback\u001b[0m', 'ValueError: bad'] },
      '<output type="error" ename="ValueError">\nTraceback\nValueError: bad\n</output>'
    ],
    ['error without traceback', { output_type: 'error', ename: 'E', evalue: 'v', traceback: [] }, '<output type="error" ename="E">\nE: v\n</output>']
  ])('%s', (_name, output, expected) => {
    expect(renderOutput(output, opts)).toBe(expected);
  });

  it('cuts long outputs in the middle', () => {
    const out = renderOutput({ output_type: 'stream', name: 'stdout', text: 'x'.repeat(1000) }, opts);
    expect(out).toContain('[900 characters cut]');
  });
});

describe('renderCell', () => {
  it('renders code with id, execution count, source and outputs', () => {
    const cell = code('c1', 'print(1)', [{ output_type: 'stream', name: 'stdout', text: '1\n' }], 3);
    expect(renderCell(cell, opts)).toBe(
      '<cell id="c1" type="code" execution_count="3">\n<source>\nprint(1)\n</source>\n<output type="stream" name="stdout">\n1\n</output>\n</cell>'
    );
  });
  it('renders unexecuted code without a count', () => {
    expect(renderCell(code('c', 'x', [], null), opts)).toBe('<cell id="c" type="code">\n<source>\nx\n</source>\n</cell>');
  });
  it('renders notes', () => {
    expect(renderCell(note('n', '# Title\n'), opts)).toBe('<cell id="n" type="markdown">\n# Title\n</cell>');
  });
  it('escapes attribute values', () => {
    expect(renderCell(note('a"b', 'x'), opts)).toContain('id="a&quot;b"');
  });
});
