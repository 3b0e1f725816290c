import { BlockCellOptions, blockKind, cellForBlock, insertionIndex, shellForIPython } from './codecells';

const py: BlockCellOptions = { kernelLanguage: 'python', ipython: true, other: 'skip', from: 'ai-1' };
const block = (language: string, code: string, info = language) => ({ language, info, code });

describe('blockKind', () => {
  it.each([
    ['python', 'python', 'kernel'],
    ['py', 'python', 'kernel'],
    ['ipython3', 'python', 'kernel'],
    ['', 'python', 'kernel'],
    ['bash', 'python', 'shell'],
    ['console', 'python', 'shell'],
    ['sql', 'python', 'other'],
    ['r', 'R', 'kernel'],
    ['python', 'r', 'other'],
    ['sh', 'bash', 'kernel']
  ])('%j for a %j kernel is %j', (language, kernel, expected) => {
    expect(blockKind(language, kernel)).toBe(expected);
  });
});

describe('shellForIPython', () => {
  it.each([
    ['one command', 'ls -l', '!ls -l'],
    ['several independent commands', 'ls\nwc -l data.csv', '!ls\n!wc -l data.csv'],
    ['pip becomes %pip', 'pip install numpy', '%pip install numpy'],
    ['comments stay', '# list files\nls', '# list files\n!ls'],
    ['console prompts are stripped and output dropped', '$ echo hi\nhi', '!echo hi'],
    ['cd shares state: one shell', 'cd data\nls', '%%bash\ncd data\nls'],
    ['variables share state', 'N=3\necho $N', '%%bash\nN=3\necho $N'],
    ['a loop needs one shell', 'for f in *.csv; do\n  wc -l $f\ndone', '%%bash\nfor f in *.csv; do\n  wc -l $f\ndone'],
    ['continuation lines need one shell', 'curl -s \\\n  https://x', '%%bash\ncurl -s \\\n  https://x'],
    ['a heredoc needs one shell', 'cat <<EOF > a.txt\nhi\nEOF', '%%bash\ncat <<EOF > a.txt\nhi\nEOF']
  ])('%s', (_name, code, expected) => {
    expect(shellForIPython(code)).toBe(expected);
  });
});

describe('cellForBlock', () => {
  it.each([
    ['kernel language -> code cell', block('python', 'x = 1'), py, { cell_type: 'code', source: 'x = 1' }],
    ['untagged -> code cell', block('', 'x = 1'), py, { cell_type: 'code', source: 'x = 1' }],
    ['shell -> ! lines', block('bash', 'ls'), py, { cell_type: 'code', source: '!ls' }],
    ['other language, skip', block('sql', 'select 1'), py, null],
    ['other language, markdown', block('sql', 'select 1'), { ...py, other: 'markdown' }, { cell_type: 'markdown', source: '```sql\nselect 1\n```' }],
    ['markdown fence outgrows backticks inside', block('md', 'a ``` b'), { ...py, other: 'markdown' }, { cell_type: 'markdown', source: '````md\na ``` b\n````' }],
    ['shell for a non-IPython kernel is another language', block('bash', 'ls'), { ...py, kernelLanguage: 'r', ipython: false }, null],
    ['empty block stays out', block('python', '  \n'), py, null]
  ])('%s', (_name, b, options, expected) => {
    const cell = cellForBlock(b, options as BlockCellOptions);
    expect(cell && { cell_type: cell.cell_type, source: cell.source }).toEqual(expected);
    if (cell) {
      expect(cell.metadata).toEqual({ aimagic: { from: 'ai-1' } });
    }
  });
});

describe('insertionIndex', () => {
  const cells = (spec: string) => spec.split(' ').map((s, i) => (s === 'A' ? { id: 'A' } : s === 'a' ? { id: `c${i}`, from: 'A' } : { id: `c${i}` }));
  it.each([
    ['right below the AI cell', 'x A x', 1, 2],
    ['after cells already inserted from it', 'x A a a x', 1, 4],
    ['at the end of the notebook', 'x A a', 1, 3],
    ['an inserted cell moved away is not followed', 'a x A x', 2, 3],
    ['a stranger between stops the run', 'A a x a', 0, 2]
  ])('%s', (_name, spec, aiIndex, expected) => {
    expect(insertionIndex(cells(spec), aiIndex)).toBe(expected);
  });
});
