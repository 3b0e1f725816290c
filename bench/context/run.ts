/**
 * bench/context: build the request for a 500-cell notebook with 5 MB of outputs and print
 * the time as a ratio to JSON.stringify of the same notebook, measured in the same run;
 * then how the time grows from 50 to 500 to 5000 cells.
 *
 *   npm run bench:context
 */
import { preparePrompt } from '../../src/core/request/assemble';
import { NotebookJSON } from '../../src/core/nbformat';
import { toAnthropicBody } from '../../src/core/providers/anthropic-body';
import { DEFAULT_SETTINGS } from '../../src/core/settings';
import { generateNotebook } from './generate';

/**
 * The median time of `fn` in milliseconds over `runs` runs, after warming up.
 */
function median(fn: () => unknown, runs: number): number {
  for (let i = 0; i < 3; i++) {
    fn();
  }
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    fn();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

/**
 * What the extension does before the request leaves: notebook -> request -> body text.
 */
function buildRequest(nb: NotebookJSON): string {
  const prepared = preparePrompt(nb, nb.cells.length - 1, { settings: DEFAULT_SETTINGS });
  return JSON.stringify(toAnthropicBody(prepared.request));
}

const nb500 = generateNotebook(500, 5 * 1024 * 1024);
const size = JSON.stringify(nb500).length;
const base = median(() => JSON.stringify(nb500), 15);
const ours = median(() => buildRequest(nb500), 15);
const ratio = ours / base;
console.log(`bench/context: 500 cells, ${(size / 1024 / 1024).toFixed(1)} MB notebook JSON`);
console.log(`  JSON.stringify(notebook): ${base.toFixed(2)} ms (baseline)`);
console.log(`  build request + body:     ${ours.toFixed(2)} ms`);
console.log(`  ratio to baseline: ${ratio.toFixed(2)}x (target <= 2x) ${ratio <= 2 ? 'OK' : 'MISSED'}`);

console.log('growth (10 KB of outputs per cell):');
let previous = 0;
for (const cells of [50, 500, 5000]) {
  const nb = generateNotebook(cells, cells * 10 * 1024);
  const t = median(() => buildRequest(nb), cells >= 5000 ? 5 : 15);
  const b = median(() => JSON.stringify(nb), cells >= 5000 ? 5 : 15);
  const growth = previous ? ` (x${(t / previous).toFixed(1)} for x10 cells)` : '';
  console.log(`  ${String(cells).padStart(4)} cells: ${t.toFixed(2)} ms, ${(t / b).toFixed(2)}x JSON.stringify${growth}`);
  previous = t;
}
if (ratio > 2) {
  process.exitCode = 1;
}
