/**
 * The core is laid out in the order the data goes through it, and imports point one way:
 * a file may import from its own stage or an earlier one, never a later one.
 *
 *   (root)     types, nbformat, settings, hash: shared by every stage
 *   context    the notebook as the model sees it: cells, outputs, turns
 *   docs       context docs: sources, llms.txt, how a doc is written into the system text
 *   providers  neutral request -> each provider's body, SDK call, stream events
 *   request    notebook + cell + settings -> the request (assemble, prompt, cache layout)
 *   reply      the stream -> a reply, its provenance, cost and code cells
 *   tools      the tool loop: reply -> tool calls -> results -> the next step
 *   testing    fixtures for tests (may import anything)
 */
import { readdirSync, readFileSync, statSync } from 'fs';
import { dirname, join, relative, resolve, sep } from 'path';

const STAGES = ['', 'context', 'docs', 'providers', 'request', 'reply', 'tools'];
const CORE = resolve(__dirname);

function stageOf(file: string): number | undefined {
  const rel = relative(CORE, file);
  const top = rel.includes(sep) ? rel.split(sep)[0] : '';
  return top === 'testing' ? undefined : STAGES.indexOf(top);
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap(name => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      return sources(path);
    }
    return path.endsWith('.ts') && !path.endsWith('.test.ts') ? [path] : [];
  });
}

describe('src/core layers', () => {
  const files = sources(CORE);

  it('has every folder in the stage list', () => {
    const unknown = files.filter(f => stageOf(f) === -1).map(f => relative(CORE, f));
    expect(unknown).toEqual([]);
  });

  it.each(files.map(f => [relative(CORE, f), f]))('%s imports only its own or earlier stages', (_name, file) => {
    const own = stageOf(file);
    if (own === undefined) {
      return;
    }
    const text = readFileSync(file, 'utf8');
    const later: string[] = [];
    for (const m of text.matchAll(/from\s+'(\.{1,2}\/[^']+)'/g)) {
      const target = resolve(dirname(file), m[1]);
      if (!target.startsWith(CORE)) {
        later.push(m[1]);
        continue;
      }
      const stage = stageOf(target + '.ts');
      if (stage === undefined || stage > own) {
        later.push(m[1]);
      }
    }
    expect(later).toEqual([]);
  });
});
