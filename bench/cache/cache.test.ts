/**
 * The benchmark's targets as a test: the layout must keep meeting them.
 */
import { DEFAULT_SETTINGS } from '../../src/core/settings';
import { playDialogue } from './measure';
import { TARGETS } from './run';

describe('cache benchmark (20 prompts, ~30,000 tokens of docs)', () => {
  it.each(['5m', '1h'] as const)('meets the targets with docs TTL %s', async ttl => {
    const settings = { ...DEFAULT_SETTINGS, docsCacheTTL: ttl };
    const marked = await playDialogue(true, settings);
    const unmarked = await playDialogue(false, settings);
    expect(unmarked.readShare).toBe(0);
    expect(marked.readShare).toBeGreaterThanOrEqual(TARGETS.readShare);
    expect(marked.cost / unmarked.cost).toBeLessThanOrEqual(TARGETS.costRatio);
    // Every prompt after the first reads at least the docs.
    marked.usages.slice(1).forEach(u => expect(u.cacheRead).toBeGreaterThan(30_000));
  });
});
