/**
 * The fake OpenAI server itself: it refuses what OpenAI refuses (with OpenAI's status,
 * type, param and code), streams OpenAI's chunk shapes, and accounts for the automatic prompt
 * cache (≥ 1024 tokens, 128-token steps, per model and prompt_cache_key).
 */
import { CACHE_MIN_TOKENS, CACHE_STEP_TOKENS, CHARS_PER_TOKEN } from './cache';
import { FakeOpenAI, startFakeOpenAI } from './server';

let fake: FakeOpenAI;

beforeAll(async () => {
  fake = await startFakeOpenAI({ deltaDelayMs: 0 });
});

afterAll(() => fake.close());

beforeEach(() => fake.reset());

/** POST a chat body with the test key. */
async function post(body: unknown, key: string | null = 'test-key'): Promise<Response> {
  return fetch(`${fake.url}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: typeof body === 'string' ? body : JSON.stringify(body)
  });
}

const ok = { model: 'gpt-4.1', messages: [{ role: 'user', content: 'Hi' }] };

describe('request validation', () => {
  it.each<[string, unknown, number, Record<string, unknown>]>([
    ['no key', ok, 401, { type: 'invalid_request_error', code: null }],
    ['missing messages', { model: 'gpt-4.1' }, 400, { param: 'messages', code: 'missing_required_parameter' }],
    ['empty messages', { ...ok, messages: [] }, 400, { param: 'messages', code: 'empty_array' }],
    ['unknown field', { ...ok, cache_control: {} }, 400, { message: 'Unrecognized request argument supplied: cache_control' }],
    ['unknown model', { ...ok, model: 'gpt-0' }, 404, { code: 'model_not_found' }],
    ['bad role', { ...ok, messages: [{ role: 'robot', content: 'x' }] }, 400, { param: 'messages.[0].role', code: 'invalid_value' }],
    ['image outside a user message', { ...ok, messages: [{ role: 'system', content: [{ type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } }] }] }, 400, { param: 'messages.[0].content.[0]' }],
    ['image that is not a data URL', { ...ok, messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'AAAA' } }] }] }, 400, { code: 'invalid_image_url' }],
    ['stream_options without stream', { ...ok, stream_options: { include_usage: true } }, 400, { param: 'stream_options' }],
    ['max_tokens on a reasoning model', { ...ok, model: 'gpt-5.1', max_tokens: 10 }, 400, { param: 'max_tokens', code: 'unsupported_parameter' }],
    ['temperature out of range', { ...ok, temperature: 3 }, 400, { param: 'temperature' }],
    ['not JSON', '{no', 400, { type: 'invalid_request_error' }]
  ])('%s', async (name, body, status, error) => {
    const response = await post(body, name === 'no key' ? null : 'test-key');
    expect(response.status).toBe(status);
    const json = (await response.json()) as { error: Record<string, unknown> };
    expect(Object.keys(json.error).sort()).toEqual(['code', 'message', 'param', 'type']);
    expect(json.error).toMatchObject(error);
  });
});

describe('streaming', () => {
  it('sends role, deltas, finish, usage chunk (with usage: null before) and [DONE]', async () => {
    fake.queueReplies('one two');
    const response = await post({ ...ok, stream: true, stream_options: { include_usage: true } });
    const lines = (await response.text()).split('\n\n').filter(Boolean);
    expect(lines.at(-1)).toBe('data: [DONE]');
    const chunks = lines.slice(0, -1).map(l => JSON.parse(l.slice(6)));
    expect(chunks[0].choices[0].delta).toEqual({ role: 'assistant', content: '', refusal: null });
    expect(chunks.slice(1, 3).map(c => c.choices[0].delta.content).join('')).toBe('one two');
    expect(chunks[3].choices[0].finish_reason).toBe('stop');
    expect(chunks.slice(0, 4).every(c => c.usage === null && c.object === 'chat.completion.chunk')).toBe(true);
    expect(chunks[4].choices).toEqual([]);
    expect(chunks[4].usage).toMatchObject({ completion_tokens: 2, prompt_tokens_details: { cached_tokens: 0 } });
  });
});

describe('prompt caching', () => {
  /** A prompt of about `tokens` tokens with a fixed start. */
  const long = (tokens: number, tail: string) => ({ ...ok, messages: [{ role: 'system', content: 'x'.repeat(tokens * CHARS_PER_TOKEN) }, { role: 'user', content: tail }] });
  const cached = async (body: unknown) => ((await (await post(body)).json()) as { usage: { prompt_tokens_details: { cached_tokens: number } } }).usage.prompt_tokens_details.cached_tokens;

  it.each([
    ['below 1024 tokens nothing is cached', 900, 0],
    ['a 2000-token prefix is read in 128-token steps', 2000, CACHE_MIN_TOKENS + 7 * CACHE_STEP_TOKENS]
  ])('%s', async (_name, tokens, expected) => {
    await cached(long(tokens, 'first question'));
    expect(await cached(long(tokens, 'second question'))).toBe(expected);
  });

  it('is scoped by prompt_cache_key', async () => {
    await cached({ ...long(2000, 'a'), prompt_cache_key: 'nb-1' });
    expect(await cached({ ...long(2000, 'b'), prompt_cache_key: 'nb-2' })).toBe(0);
    expect(await cached({ ...long(2000, 'c'), prompt_cache_key: 'nb-1' })).toBeGreaterThan(0);
  });
});
