/**
 * A generated notebook that looks like a long working session: notes, code with stream,
 * result and error outputs (some long), and AI cells with replies every few cells.
 */
import { REPLY_SEPARATOR } from '../../src/core/context/aicell';
import { CellJSON, NotebookJSON } from '../../src/core/nbformat';

/**
 * Make a notebook of `cells` cells whose outputs add up to about `outputBytes`.
 *
 * @param cells - Number of cells; the last one is an unanswered AI cell.
 * @param outputBytes - Total size of the outputs.
 */
export function generateNotebook(cells: number, outputBytes: number): NotebookJSON {
  const codeCells = Math.ceil(cells / 2);
  const perOutput = Math.max(16, Math.floor(outputBytes / codeCells));
  const list: CellJSON[] = [];
  let seed = 1;
  const rand = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const line = (n: number) => Array.from({ length: n }, () => 'abcdefghij klmnopqrst uvwxyz 0123456789'[Math.floor(rand() * 38)]).join('');
  for (let i = 0; i < cells - 1; i++) {
    const id = `cell-${i}`;
    if (i % 2 === 0) {
      const text = Array.from({ length: Math.ceil(perOutput / 80) }, () => line(79) + '\n').join('').slice(0, perOutput);
      const outputs =
        i % 10 === 4
          ? [{ output_type: 'error', ename: 'ValueError', evalue: 'bad value', traceback: ['\u001b[0;31mValueError\u001b[0m: bad value', text] }]
          : i % 6 === 0
            ? [{ output_type: 'execute_result', execution_count: i, data: { 'text/plain': text, 'text/html': `<pre>${text.slice(0, 200)}</pre>` }, metadata: {} }]
            : [{ output_type: 'stream', name: 'stdout', text: text.split(/(?<=\n)/) }];
      list.push({ cell_type: 'code', id, source: `result_${i} = compute(${i})\nprint(result_${i})`, outputs, execution_count: i, metadata: {} });
    } else if (i % 7 === 1) {
      list.push({ cell_type: 'markdown', id, source: `Why does step ${i} give that?${REPLY_SEPARATOR}Because ${line(300)}`, metadata: { solveit_ai: true } });
    } else {
      list.push({ cell_type: 'markdown', id, source: `## Step ${i}\n\n${line(200)}`, metadata: i % 13 === 3 ? { pinned: true } : {} });
    }
  }
  list.push({ cell_type: 'markdown', id: 'prompt', source: 'What should I try next?', metadata: { solveit_ai: true } });
  return { cells: list, metadata: { kernelspec: { name: 'python3', display_name: 'Python 3' } }, nbformat: 4, nbformat_minor: 5 };
}
