/**
 * The dry run of a SolveIt export (ui-tests/fixtures/solveit-export.ipynb: cells of
 * AnswerDotAI/dialoghelper's nbs/06_widgets.ipynb, a SolveIt dialog, with a pasted image in
 * SolveIt's attachment form and keys we do not use) and of aidialog's own notebook.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import { isAICell, joinAICell, splitAICell } from '../core/context/aicell';
import { NotebookJSON } from '../core/nbformat';
import { readNotebookOverrides } from '../core/settings';
import { main } from './aimagic';

const FIXTURES = join(__dirname, '../../ui-tests/fixtures');
const EXPORT = join(FIXTURES, 'solveit-export.ipynb');
const AIDIALOG = join(FIXTURES, 'aidialog-02_ipynb.ipynb');
const read = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as NotebookJSON;

describe('a SolveIt export', () => {
  const nb = read(EXPORT);
  const last = nb.cells.length - 1;

  it('reads the solveit object without a problem', () => {
    const { overrides, problems } = readNotebookOverrides(nb.metadata);
    expect(problems).toEqual([]);
    expect(overrides.mode).toBe('concise');
    expect(overrides.solveit).toMatchObject({ ver: 2, useThinking: true, useTools: true, defaultCode: true });
  });

  it('dry-runs with every image, the HTML as text and the dialog thinking', async () => {
    const out = await main(['prompt', EXPORT, '--cell', String(last)]);
    expect(out.stderr).toBe('');
    const body = JSON.parse(out.stdout);
    const content = body.messages[0].content;
    // The figure, the note's pasted image, the prompt's own pasted image.
    expect(content.map((b: any) => b.type)).toEqual(['text', 'image', 'text', 'image', 'text', 'image']);
    const text = content.filter((b: any) => b.type === 'text').map((b: any) => b.text).join('\n');
    // `<__main__.Slider>` says nothing: its HTML (a range input showing 50) is sent instead.
    expect(text).not.toContain('<__main__.Slider>');
    expect(text).toMatch(/<output type="execute_result">\n50\n<\/output>/);
    expect(body.thinking.type).toBe('enabled');
  });
});

describe("aidialog's reader and ours agree", () => {
  // aidialog (ipynb.py) splits on the whole separator and writes content + reply_sep + reply.
  const SEP = '\n\n##### 🤖Reply🤖<!-- SOLVEIT_SEPARATOR_7f3a9b2c -->\n\n';
  it.each<[string, string, string | null]>([
    ['a prompt and its reply', `What is 2+2?${SEP}The answer is 4.`, 'The answer is 4.'],
    ['a prompt without a reply', 'Hello?', null],
    ['a reply quoting the separator stays whole', `Q${SEP}A${SEP}B`, `A${SEP}B`]
  ])('%s', (_name, source, reply) => {
    const split = splitAICell(source);
    expect(split.reply).toBe(reply);
    expect(joinAICell(split.prompt, split.reply)).toBe(source);
  });

  it.each([EXPORT, AIDIALOG])('every AI cell of %s splits and joins back to its source', file => {
    for (const cell of read(file).cells.filter(isAICell)) {
      const source = [cell.source].flat().join('');
      const { prompt, reply } = splitAICell(source);
      expect(joinAICell(prompt, reply)).toBe(source);
    }
  });

  it("reads aidialog's notebook metadata", () => {
    const { overrides, problems } = readNotebookOverrides(read(AIDIALOG).metadata);
    expect(problems).toEqual([]);
    expect(overrides.mode).toBe('learning');
  });
});
