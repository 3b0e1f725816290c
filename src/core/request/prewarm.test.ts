import { preparePrompt } from './assemble';
import { prewarmBody } from './prewarm';
import { toAnthropicBody } from '../providers/anthropic-body';
import { DEFAULT_SETTINGS } from '../settings';
import { ai, notebook } from '../testing/notebooks';

const docs = [{ title: 'A', source: 'a.md', text: 'doc A' }];

describe('pre-warming', () => {
  it.each<[string, Record<string, unknown>]>([
    ['plain notebook', {}],
    ['notebook with its own instructions and mode', { aimagic: { system: 'Be brief.' }, solveit_dialog_mode: 'learning' }]
  ])('%s: the system blocks are byte-identical to a prompt\'s, not streamed, max_tokens 0', (_name, metadata) => {
    const settings = { ...DEFAULT_SETTINGS, docsCacheTTL: '1h' as const, systemPrompt: 'Extra.' };
    const warm = prewarmBody(metadata, settings, docs)!;
    const prompt = toAnthropicBody(preparePrompt({ ...notebook(ai('p', 'Q', 'R'), ai('q', 'Q2')), metadata }, 1, { settings, docs }).request);
    expect(JSON.stringify(warm.system)).toBe(JSON.stringify(prompt.system));
    expect(warm.model).toBe(prompt.model);
    expect(warm.max_tokens).toBe(0);
    expect(warm.stream).toBeUndefined();
    expect(warm.thinking).toBeUndefined();
    expect(JSON.stringify(warm.messages)).not.toContain('cache_control');
  });

  it('nothing to warm without docs', () => {
    expect(prewarmBody({}, DEFAULT_SETTINGS, [])).toBeNull();
  });
});

describe('pre-warming against the fake server', () => {
  it('the first prompt after a pre-warm reads the docs from the cache', async () => {
    const { startFakeAnthropic } = await import('../../../fakes/anthropic/server');
    const { AnthropicProvider } = await import('../providers/anthropic');
    const { streamReply } = await import('../reply/reply');
    const Anthropic = (await import('@anthropic-ai/sdk')).default;
    const fake = await startFakeAnthropic({ deltaDelayMs: 0 });
    try {
      const big = [{ title: 'Big', source: 'big.md', text: 'The widget API draws frames. '.repeat(600) }];
      const client = new Anthropic({ apiKey: 'test-key', baseURL: fake.url, maxRetries: 0 });
      const warm = await client.messages.create(prewarmBody({}, DEFAULT_SETTINGS, big) as never);
      expect((warm as { usage: { cache_creation_input_tokens: number } }).usage.cache_creation_input_tokens).toBeGreaterThan(4000);
      const provider = new AnthropicProvider({ apiKey: 'test-key', baseURL: fake.url, maxRetries: 0 });
      const request = preparePrompt(notebook(ai('p', 'First question')), 0, { settings: DEFAULT_SETTINGS, docs: big }).request;
      const { usage } = await streamReply(provider, request);
      expect(usage.cacheRead).toBeGreaterThan(4000);
    } finally {
      await fake.close();
    }
  });
});
