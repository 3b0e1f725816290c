/**
 * Time to first token behind a docs prefix of about 8,000 tokens, against the project's
 * local engine (llama.cpp's server) with the small real model: cold (prefix computed), warm (same server, the
 * slot still holds it), and restored (server restarted; the prefix read back from the slot
 * file the first reply saved). Each run goes through the real core: `LocalProvider` and
 * `streamReply`, the path an AI cell takes. Prints milliseconds and the ratios to cold;
 * target: restored ≤ 0.1 of cold. Exit code 1 when missed.
 *
 *   npm run bench:local-cache [-- --tokens=8000 --port=8778]
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { LlamaSlotCache } from '../../src/core/providers/llama-slots';
import { LocalProvider } from '../../src/core/providers/local';
import { streamReply } from '../../src/core/reply/reply';
import { ChatRequest } from '../../src/core/types';
import { Llama, MODEL } from './llama';

/** Target: restored time to first token as a share of cold. */
export const TARGET = 0.1;

const arg = (name: string, fallback: number) => Number(process.argv.find(a => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);

/** Deterministic library-like docs text of about `words` words. */
function docsText(words: number): string {
  const verbs = ['returns', 'accepts', 'raises', 'yields', 'caches', 'parses', 'formats', 'validates'];
  const nouns = ['frame', 'index', 'series', 'column', 'array', 'option', 'record', 'schema', 'buffer', 'window'];
  const lines: string[] = [];
  for (let i = 0, n = 0; n < words; i++) {
    const line = `## fn_${i}(${nouns[i % 10]}, ${nouns[(i * 3) % 10]}=None)\nThe function ${verbs[i % 8]} a ${nouns[(i * 7) % 10]} built from the ${nouns[(i * 5) % 10]}; it ${verbs[(i + 3) % 8]} each ${nouns[(i + 1) % 10]} in order (since version ${1 + (i % 4)}.${i % 10}).`;
    lines.push(line);
    n += line.split(/\s+/).length;
  }
  return lines.join('\n\n');
}

/** One timed prompt. */
async function ask(provider: LocalProvider, request: ChatRequest, question: string) {
  const result = await streamReply(provider, { ...request, turns: [{ role: 'user', parts: [{ type: 'text', text: question }] }] });
  if (result.error || result.firstTokenMs === undefined) {
    throw new Error(`the prompt failed: ${result.error?.message ?? 'no text arrived'}`);
  }
  await provider.idle(); // a save the reply started is not part of the next measurement
  return { ttft: result.firstTokenMs, cached: result.usage.cacheRead, input: result.usage.input + result.usage.cacheRead, state: provider.lastPrefixState };
}

async function main(): Promise<number> {
  const targetTokens = arg('tokens', 8000);
  const dir = mkdtempSync(join(tmpdir(), 'aimagic-bench-slots-'));
  const llama = new Llama(arg('port', 8778), dir, targetTokens + 512);
  await llama.start();
  try {
    let docs = docsText(targetTokens / 2);
    docs = docsText(Math.round((targetTokens / 2) * (targetTokens / (await llama.tokens(docs)))));
    const request: ChatRequest = {
      model: 'smollm2',
      maxTokens: 4,
      system: 'You answer questions about the library documented below.',
      docs: [{ title: 'Library reference', source: 'reference.md', text: docs }],
      turns: []
    };
    const prefixTokens = await llama.tokens(docs);
    console.log(`docs prefix: ${prefixTokens} tokens (${MODEL}, llama.cpp's server from the xllamacpp wheel, ${process.env.AIMAGIC_BENCH_THREADS || 2} threads)`);

    const provider = () => new LocalProvider({ rootURL: llama.root });
    const cold = await ask(provider(), request, 'What does fn_1 return?');
    const files = readdirSync(dir);
    const warm = await ask(provider(), request, 'What does fn_2 accept?');
    await llama.stop();
    LlamaSlotCache.forget(); // as after a page reload: only the file on disk remains
    await llama.start();
    const restored = await ask(provider(), request, 'What does fn_3 raise?');

    const size = files.length ? statSync(join(dir, files[0])).size : 0;
    console.log(`slot file: ${files.join(', ') || 'none'} (${(size / 1e6).toFixed(1)} MB)`);
    const row = (name: string, r: typeof cold) =>
      console.log(`${name.padEnd(9)} ${r.ttft.toFixed(0).padStart(7)} ms  ${(r.ttft / cold.ttft).toFixed(3).padStart(6)} × cold   ${r.cached} of ${r.input} prompt tokens from cache (${r.state})`);
    console.log('           ttft       ratio');
    row('cold', cold);
    row('warm', warm);
    row('restored', restored);
    const ratio = restored.ttft / cold.ttft;
    const ok = ratio <= TARGET && restored.state === 'restored' && restored.cached >= prefixTokens;
    console.log(`restored / cold = ${ratio.toFixed(3)} (target ≤ ${TARGET}): ${ok ? 'met' : 'MISSED'}`);
    return ok ? 0 : 1;
  } finally {
    await llama.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  code => process.exit(code),
  err => {
    console.error(err);
    process.exit(2);
  }
);
