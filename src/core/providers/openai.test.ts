/**
 * The OpenAI provider against the strict fake OpenAI server: the body the core builds is
 * accepted, the reply streams with usage, cached tokens come back on a repeated prefix with a
 * stable `prompt_cache_key`, images go in OpenAI's format, and each failure becomes a
 * ProviderError whose message says what to do.
 */
import { FakeOpenAI, Fault, startFakeOpenAI } from '../../../fakes/openai/server';
import { preparePrompt } from '../request/assemble';
import { streamReply } from '../reply/reply';
import { DEFAULT_SETTINGS } from '../settings';
import { ai, code, notebook, stdout } from '../testing/notebooks';
import { ChatRequest } from '../types';
import { toOpenAIBody } from './openai-body';
import { OpenAIProvider } from './openai';
import { ProviderErrorKind } from './provider';

let fake: FakeOpenAI;

beforeAll(async () => {
  fake = await startFakeOpenAI({ deltaDelayMs: 1 });
});

afterAll(async () => {
  await fake.close();
});

beforeEach(() => fake.reset());

/** A provider talking to the fake. */
function provider(apiKey = 'test-key'): OpenAIProvider {
  return new OpenAIProvider({ apiKey, baseURL: fake.url, maxRetries: 0, keyEnv: 'OPENAI_API_KEY' });
}

/** A real request built by the core from a small notebook, for an OpenAI model. */
function request(extra: Partial<ChatRequest> = {}): ChatRequest {
  const nb = notebook(code('c', 'x = 2', [stdout('2\n')], 1), ai('1', 'Q1', 'R1'), ai('2', 'What is x?'));
  const settings = { ...DEFAULT_SETTINGS, provider: 'openai', model: 'gpt-5.1-mini' };
  return { ...preparePrompt(nb, 2, { settings, cacheKey: 'nb-1234' }).request, ...extra };
}

/** A docs prefix long enough for OpenAI's prompt cache (≥ 1024 tokens). */
const DOCS = [{ title: 'Guide', source: 'guide.md', text: 'The guide says many things. '.repeat(400) }];

describe('OpenAIProvider against the fake', () => {
  it('streams a reply with usage, and the fake accepts the exact body', async () => {
    fake.queueReplies('Hello **there**, x is two.');
    const chunks: string[] = [];
    const result = await streamReply(provider(), request(), { onText: t => chunks.push(t) });
    expect(result.error).toBeUndefined();
    expect(result.text).toBe('Hello **there**, x is two.');
    expect(chunks.length).toBeGreaterThan(1);
    expect(result.stopReason).toBe('end_turn');
    expect(result.model).toBe('gpt-5.1-mini');
    const logged = fake.log.find(r => r.path === '/v1/chat/completions');
    expect(logged?.status).toBe(200);
    expect(logged?.body).toEqual(toOpenAIBody(request()));
    expect(logged?.body).toMatchObject({ prompt_cache_key: 'nb-1234', stream_options: { include_usage: true } });
    expect(result.usage).toEqual({ input: logged?.usage?.prompt, output: logged?.usage?.completion, cacheRead: 0, cacheWrite: 0 });
  });

  it('reads cached tokens on the second prompt with the same docs and key', async () => {
    const first = await streamReply(provider(), request({ docs: DOCS }));
    const second = await streamReply(provider(), request({ docs: DOCS, turns: [...request().turns.slice(0, -1), { role: 'user', parts: [{ type: 'text', text: 'Another question' }] }] }));
    expect(first.usage.cacheRead).toBe(0);
    expect(second.usage.cacheRead).toBeGreaterThanOrEqual(1024);
    expect(second.usage.cacheRead % 128).toBe(0);
    expect(second.usage.input).toBe(fake.log[1].usage!.prompt - second.usage.cacheRead);
  });

  it('misses the cache when the prompt_cache_key changes', async () => {
    await streamReply(provider(), request({ docs: DOCS }));
    const other = await streamReply(provider(), request({ docs: DOCS, cacheKey: 'another-notebook' }));
    expect(other.usage.cacheRead).toBe(0);
  });

  it('sends images as data URLs in user messages, and the fake accepts them', async () => {
    const png = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
    const req = request({ turns: [{ role: 'user', parts: [{ type: 'text', text: 'What is this?' }, { type: 'image', mediaType: 'image/png', data: png }] }] });
    const result = await streamReply(provider(), req);
    expect(result.error).toBeUndefined();
    const body = fake.log[0].body as { messages: { content: unknown }[] };
    expect(body.messages[1].content).toEqual([
      { type: 'text', text: 'What is this?' },
      { type: 'image_url', image_url: { url: `data:image/png;base64,${png}` } }
    ]);
  });

  it('reports max_tokens as the stop reason', async () => {
    fake.queueReplies('word '.repeat(400));
    const result = await streamReply(provider(), request({ maxTokens: 5 }));
    expect(result.stopReason).toBe('max_tokens');
  });

  it('lists the models', async () => {
    expect(await provider().listModels()).toContain('gpt-5.1');
  });

  it.each<[string, Fault, ProviderErrorKind, RegExp]>([
    ['bad key', { kind: 'error', error: 'invalid_api_key' }, 'auth', /OpenAI rejected the API key \(401\).*OPENAI_API_KEY/],
    ['unknown model', { kind: 'error', error: 'model_not_found' }, 'not_found', /404.*model.*settings/],
    ['no quota', { kind: 'error', error: 'insufficient_quota' }, 'rate_limit', /429/],
    ['rate limit', { kind: 'error', error: 'rate_limit_exceeded', retryAfter: 7 }, 'rate_limit', /rate limit reached \(429\).*Wait 7 s/],
    ['server error', { kind: 'error', error: 'server_error' }, 'server', /OpenAI had a server error \(500/],
    ['overloaded', { kind: 'error', error: 'overloaded' }, 'server', /503/],
    ['error chunk mid-stream', { kind: 'error-chunk-after', deltas: 2 }, 'server', /server error|answered/],
    ['dropped mid-stream', { kind: 'drop-after', deltas: 2 }, 'dropped', /dropped in the middle of the reply/],
    ['dropped before any answer', { kind: 'drop-after', deltas: 0 }, 'network', /Could not connect to OpenAI/]
  ])('%s', async (_name, fault, kind, message) => {
    fake.queueReplies('one two three four five six seven eight nine ten');
    fake.queueFaults(fault);
    const result = await streamReply(provider(), request());
    expect(result.stopReason).toBe('error');
    expect(result.error?.kind).toBe(kind);
    expect(result.error?.message).toMatch(message);
    if (kind === 'dropped') {
      expect(result.text.startsWith('one')).toBe(true);
    }
  });

  it('a wrong key is refused by the fake itself, and the key is not repeated', async () => {
    const result = await streamReply(provider('sk-wrong'), request());
    expect(result.error?.kind).toBe('auth');
    expect(result.error?.message).not.toContain('sk-wrong');
  });

  it('an unknown model is refused by the fake itself', async () => {
    const result = await streamReply(provider(), request({ model: 'gpt-nonexistent' }));
    expect(result.error?.kind).toBe('not_found');
    expect(result.error?.message).toMatch(/gpt-nonexistent/);
  });

  it('stops on abort and keeps the part received', async () => {
    fake.queueReplies(Array.from({ length: 300 }, (_, i) => `w${i}`).join(' '));
    const controller = new AbortController();
    const result = await streamReply(provider(), request(), { signal: controller.signal, onText: t => t.length > 20 && controller.abort() });
    expect(result.stopReason).toBe('stopped');
    expect(result.text.startsWith('w0 w1')).toBe(true);
    expect(result.text).not.toContain('w299');
  });
});

describe('OpenAI-compatible servers that lack features', () => {
  it.each([
    ['no usage chunk', { usage: true }],
    ['no model list', { models: true }]
  ])('%s: the reply still arrives', async (_name, without) => {
    const partial = await startFakeOpenAI({ deltaDelayMs: 1, apiKeys: [], without, llama: { slotSavePath: `/tmp/aimagic-fake-${process.pid}` } });
    try {
      const p = new OpenAIProvider({ id: 'local', label: 'The local model server', dialect: 'compatible', apiKey: 'none', baseURL: partial.url, maxRetries: 0 });
      const result = await streamReply(p, request());
      expect(result.error).toBeUndefined();
      expect(result.text).toMatch(/^Reply 1/);
      if (without.usage) {
        expect(result.usage).toEqual({ input: 0, output: 0, cacheRead: 0, cacheWrite: 0 });
        expect(result.notice).toBe('The local model server reported no token usage (it ignores stream_options.include_usage), so the counts read 0');
      } else {
        await expect(p.listModels()).rejects.toThrow(/The local model server at .* has no model list \(GET \/models answered 404\)\. Type the model name/);
      }
    } finally {
      await partial.close();
    }
  });

  it('a server that is down gives a message naming it', async () => {
    const down = await startFakeOpenAI();
    const url = down.url;
    await down.close();
    const p = new OpenAIProvider({ id: 'local', label: 'The local model server', dialect: 'compatible', apiKey: 'none', baseURL: url, maxRetries: 0, endpoint: url });
    const result = await streamReply(p, request());
    expect(result.error?.kind).toBe('network');
    expect(result.error?.message).toContain(`Could not connect to The local model server at ${url}`);
  });
});
