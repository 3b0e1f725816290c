/**
 * The Anthropic provider and the reply stream against the project's strict fake server:
 * the request the core builds is accepted, the reply streams, and every failure becomes a
 * ProviderError with a message that says what to do.
 */
import { FakeAnthropic, startFakeAnthropic } from '../../../fakes/anthropic/server';
import { preparePrompt } from '../request/assemble';
import { streamReply } from '../reply/reply';
import { DEFAULT_SETTINGS } from '../settings';
import { ai, code, notebook, stdout } from '../testing/notebooks';
import { ChatRequest, Usage } from '../types';
import { AnthropicProvider } from './anthropic';
import { ProviderErrorKind } from './provider';

let fake: FakeAnthropic;

beforeAll(async () => {
  fake = await startFakeAnthropic({ deltaDelayMs: 1 });
});

afterAll(async () => {
  await fake.close();
});

beforeEach(() => fake.reset());

/** A provider talking to the fake. */
function provider(apiKey = 'test-key'): AnthropicProvider {
  return new AnthropicProvider({ apiKey, baseURL: fake.url, maxRetries: 0, keyEnv: 'ANTHROPIC_API_KEY' });
}

/** All the input tokens of a usage. */
function inputOf(usage: Usage): number {
  return usage.input + usage.cacheRead + usage.cacheWrite;
}

/** A real request built by the core from a small notebook. */
function request(): ChatRequest {
  const nb = notebook(code('c', 'x = 2', [stdout('2\n')], 1), ai('1', 'Q1', 'R1'), ai('2', 'What is x?'));
  return preparePrompt(nb, 2, { settings: DEFAULT_SETTINGS }).request;
}

describe('AnthropicProvider against the fake', () => {
  it('streams a reply with usage, and the fake accepts the exact body', async () => {
    fake.queueReplies('Hello **there**, x is two.');
    const chunks: string[] = [];
    const result = await streamReply(provider(), request(), { onText: t => chunks.push(t) });
    expect(result.error).toBeUndefined();
    expect(result.text).toBe('Hello **there**, x is two.');
    expect(chunks.length).toBeGreaterThan(1);
    expect(result.stopReason).toBe('end_turn');
    expect(result.usage.input + result.usage.cacheRead + result.usage.cacheWrite).toBeGreaterThan(0);
    expect(result.usage.output).toBeGreaterThan(0);
    const logged = fake.log.find(r => r.path === '/v1/messages');
    expect(logged?.status).toBe(200);
    expect(logged?.body).toEqual(provider().body(request()));
  });

  it('reports max_tokens', async () => {
    fake.queueReplies('word '.repeat(400));
    const result = await streamReply(provider(), { ...request(), maxTokens: 5 });
    expect(result.stopReason).toBe('max_tokens');
  });

  it('lists the models', async () => {
    const models = await provider().listModels();
    expect(models).toContain('claude-sonnet-5-5');
  });

  const status = (s: number, type: string) => ({ kind: 'status' as const, status: s, type: type as never, message: `fake ${type}`, retryAfter: 7 });
  it.each<[string, Parameters<FakeAnthropic['queueFaults']>[0], ProviderErrorKind, RegExp]>([
    ['bad key', status(401, 'authentication_error'), 'auth', /rejected the API key \(401\).*ANTHROPIC_API_KEY/],
    ['permission', status(403, 'permission_error'), 'permission', /refused the request \(403/],
    ['not found', status(404, 'not_found_error'), 'not_found', /404/],
    ['too large', status(413, 'request_too_large'), 'too_large', /too large/],
    ['rate limit', status(429, 'rate_limit_error'), 'rate_limit', /rate limit reached \(429\).*Wait 7 s/],
    ['server error', status(500, 'api_error'), 'server', /server error \(500 api_error\)/],
    ['overloaded', status(529, 'overloaded_error'), 'overloaded', /overloaded \(529\)/],
    ['invalid request', status(400, 'invalid_request_error'), 'invalid_request', /rejected the request \(400 invalid_request_error\).*"fake invalid_request_error"/],
    ['overloaded mid-stream', { kind: 'error-event-after', deltas: 2, type: 'overloaded_error' }, 'overloaded', /in the middle of the reply; the part received is kept/],
    ['dropped mid-stream', { kind: 'drop-after', deltas: 2 }, 'dropped', /dropped in the middle of the reply/],
    ['dropped before any answer', { kind: 'drop-after', deltas: 0 }, 'network', /Could not connect to Anthropic/]
  ])('%s', async (_name, fault, kind, message) => {
    fake.queueReplies('one two three four five six seven eight nine ten eleven twelve thirteen');
    fake.queueFaults(fault);
    const result = await streamReply(provider(), request());
    expect(result.stopReason).toBe('error');
    expect(result.error?.kind).toBe(kind);
    expect(result.error?.message).toMatch(message);
    if (kind === 'dropped' || (kind === 'overloaded' && 'deltas' in fault)) {
      expect(result.text.startsWith('one')).toBe(true);
      // message_start reported the input, which is billed: it is kept, not zeroed.
      expect(inputOf(result.usage)).toBeGreaterThan(0);
    }
  });

  it('a wrong key is refused by the fake itself', async () => {
    const result = await streamReply(provider('sk-wrong'), request());
    expect(result.error?.kind).toBe('auth');
    expect(result.error?.message).not.toContain('sk-wrong');
  });

  it('stops on abort and keeps the part received', async () => {
    fake.queueReplies(Array.from({ length: 300 }, (_, i) => `w${i}`).join(' '));
    fake.queueFaults({ kind: 'slow', deltaDelayMs: 20 });
    const controller = new AbortController();
    const result = await streamReply(provider(), request(), {
      signal: controller.signal,
      onText: text => text.length > 20 && controller.abort()
    });
    expect(result.stopReason).toBe('stopped');
    expect(result.error).toBeUndefined();
    expect(result.text.startsWith('w0 w1')).toBe(true);
    expect(result.text).not.toContain('w299');
    // The input the stream reported at its start, the same as a complete reply's.
    fake.queueReplies('done');
    const whole = await streamReply(provider(), request());
    expect(inputOf(result.usage)).toBe(inputOf(whole.usage));
    expect(result.model).toBe(whole.model);
  });
});
