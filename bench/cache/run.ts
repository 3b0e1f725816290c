/**
 * `npm run bench:cache`: play the
 * 20-prompt dialogue with this project's cache marks and without any, and print the share
 * of input read from cache on prompts 2–20 and the total cost, as ratios of the same run.
 */
import { DEFAULT_SETTINGS } from '../../src/core/settings';
import { RunResult, playDialogue } from './measure';

/** Targets of issue 3. */
export const TARGETS = { readShare: 0.95, costRatio: 0.2 };

/** Print one run's per-prompt usage. */
function table(name: string, r: RunResult): string {
  const rows = r.usages.map((u, i) => `  ${String(i + 1).padStart(2)}  ${[u.input + u.cacheRead + u.cacheWrite, u.cacheRead, u.cacheWrite, u.input, u.output].map(n => String(n).padStart(7)).join(' ')}`);
  return [`${name}:`, '   #    input    read   write uncached  output', ...rows].join('\n');
}

async function main(): Promise<void> {
  const ttl = process.argv.includes('--docs-ttl=1h') ? '1h' : '5m';
  const settings = { ...DEFAULT_SETTINGS, docsCacheTTL: ttl as '5m' | '1h' };
  const t0 = Date.now();
  const marked = await playDialogue(true, settings);
  const unmarked = await playDialogue(false, settings);
  if (process.argv.includes('--verbose')) {
    console.log(table('with cache marks', marked));
    console.log(table('without cache marks', unmarked));
  }
  const costRatio = marked.cost / unmarked.cost;
  console.log(`model ${settings.model}, docs TTL ${ttl}, ${marked.usages.length} prompts, ${marked.inputTokens} input tokens in all (${Date.now() - t0} ms)`);
  console.log(`read from cache on prompts 2-20: marked ${marked.readShare.toFixed(3)}, unmarked ${unmarked.readShare.toFixed(3)} (target >= ${TARGETS.readShare})`);
  console.log(`total cost: marked $${marked.cost.toFixed(4)}, unmarked $${unmarked.cost.toFixed(4)}, ratio ${costRatio.toFixed(3)} (target <= ${TARGETS.costRatio})`);
  const ok = marked.readShare >= TARGETS.readShare && costRatio <= TARGETS.costRatio;
  console.log(ok ? 'targets met' : 'TARGETS MISSED');
  process.exitCode = ok ? 0 : 1;
}

if (require.main === module) {
  main().catch(e => {
    console.error(e);
    process.exitCode = 2;
  });
}
