/**
 * The scripted dialogue of the cache benchmark: a notebook with about 30,000 tokens of docs
 * and 20 prompts, with code cells, their outputs and notes added between prompts, and the
 * model's replies (queued on the fake server, so both runs get the same ones).
 */
import { CellJSON } from '../../src/core/nbformat';
import { DocPart } from '../../src/core/types';

/** What happens before one prompt: cells added, the prompt, the reply it will get. */
export interface Step {
  cells: CellJSON[];
  prompt: string;
  reply: string;
}

const WORDS = (
  'widget frame layout render column index series value table plot axis label figure array ' +
  'shape dtype merge group apply filter select query cache buffer stream parse format config ' +
  'option default return raise handle event signal model view state update compute result'
).split(' ');

/** A deterministic pseudo-random generator (mulberry32), so every run plays the same script. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Prose-like text of about `chars` characters. */
function prose(rand: () => number, chars: number): string {
  const out: string[] = [];
  let length = 0;
  while (length < chars) {
    const n = 6 + Math.floor(rand() * 12);
    const words = Array.from({ length: n }, () => WORDS[Math.floor(rand() * WORDS.length)]);
    const sentence = words.join(' ').replace(/^./, c => c.toUpperCase()) + '.';
    out.push(sentence);
    length += sentence.length + 1;
  }
  return out.join(' ');
}

/**
 * The notebook's docs: three library references, about 10,000 tokens each (4 characters a
 * token, as the fake counts).
 */
export function benchDocs(): Omit<DocPart, 'cache'>[] {
  const rand = random(7);
  return ['Widgets', 'Frames', 'Plotting'].map((name, i) => {
    const sections = Array.from({ length: 20 }, (_, s) => `## ${name} ${s + 1}\n\n${prose(rand, 1990)}\n\n\`\`\`python\n${name.toLowerCase()}.call(${s})\n\`\`\``);
    return { title: `${name} reference`, source: `docs/${name.toLowerCase()}.md`, text: `# ${name} reference\n\n${sections.join('\n\n')}` };
  }).map((d, i) => ({ ...d, source: i === 2 ? 'https://example.org/plotting/llms.txt' : d.source }));
}

/**
 * The 20 steps of the dialogue.
 */
export function benchSteps(): Step[] {
  const rand = random(42);
  const steps: Step[] = [];
  for (let k = 1; k <= 20; k++) {
    const cells: CellJSON[] = [];
    if (k % 3 === 1) {
      cells.push({ cell_type: 'markdown', id: `note-${k}`, source: `### Step ${k}\n\n${prose(rand, 200)}`, metadata: {} });
    }
    const lines = Array.from({ length: 4 + (k % 5) }, (_, i) => `x${i} = widget.frame(${k}, ${i}).apply(filter="${WORDS[(k + i) % WORDS.length]}")`);
    const outputs = [{ output_type: 'stream', name: 'stdout', text: prose(rand, 300 + ((k * 137) % 1200)) + '\n' }];
    if (k % 4 === 0) {
      outputs.push({ output_type: 'execute_result', data: { 'text/plain': prose(rand, 400) }, metadata: {}, execution_count: k } as never);
    }
    cells.push({ cell_type: 'code', id: `code-${k}`, source: lines.join('\n'), outputs, execution_count: k, metadata: {} });
    const reply = `${prose(rand, 600 + ((k * 311) % 1400))}\n\n\`\`\`python\nresult_${k} = widget.render(x0, columns=${k})\n\`\`\`\n\n${prose(rand, 200)}`;
    steps.push({ cells, prompt: `Question ${k}: ${prose(rand, 80 + ((k * 53) % 200))}`, reply });
  }
  return steps;
}
