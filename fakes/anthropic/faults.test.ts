/**
 * Each fault reaches the SDK as the error it would meet against the real API, and the
 * control API drives the same machinery over HTTP.
 */
import Anthropic, {
  APIConnectionError,
  APIError,
  AnthropicError,
  AuthenticationError,
  BadRequestError,
  ContentTooLargeError,
  InternalServerError,
  NotFoundError,
  OverloadedError,
  PermissionDeniedError,
  RateLimitError
} from '@anthropic-ai/sdk';
import { ErrorType } from './errors';
import { Fault } from './faults';
import { FakeAnthropic, startFakeAnthropic } from './server';
import { TEST_KEY, expectApiError, rawRequest, sdkClient } from './testing';

type ErrorClass = abstract new (...args: never[]) => APIError;

const REQUEST: Anthropic.MessageCreateParamsNonStreaming = {
  model: 'claude-haiku-4-5',
  max_tokens: 1024,
  messages: [{ role: 'user', content: 'hello' }]
};
/** A reply of 30 words: 10 deltas of 3 words. */
const THIRTY_WORDS = Array.from({ length: 30 }, (_, i) => `w${i}`).join(' ');

let fake: FakeAnthropic;
let client: Anthropic;
beforeAll(async () => {
  fake = await startFakeAnthropic({ deltaDelayMs: 1 });
  client = sdkClient(fake);
});
beforeEach(() => fake.reset());
afterAll(() => fake.close());

/** Stream REQUEST, collecting text deltas; resolves with the deltas and the error, if any. */
async function streamCollecting(): Promise<{ deltas: string[]; error?: unknown; ms: number }> {
  const started = Date.now();
  const stream = client.messages.stream(REQUEST);
  const deltas: string[] = [];
  stream.on('text', delta => deltas.push(delta));
  const error = await stream.finalMessage().then(
    () => undefined,
    (e: unknown) => e
  );
  return { deltas, error, ms: Date.now() - started };
}

describe('status faults become the SDK error class of their status', () => {
  it.each<[number, ErrorType, ErrorClass]>([
    [400, 'invalid_request_error', BadRequestError],
    [401, 'authentication_error', AuthenticationError],
    [403, 'permission_error', PermissionDeniedError],
    [403, 'billing_error', PermissionDeniedError],
    [404, 'not_found_error', NotFoundError],
    [413, 'request_too_large', ContentTooLargeError],
    [429, 'rate_limit_error', RateLimitError],
    [500, 'api_error', InternalServerError],
    [529, 'overloaded_error', OverloadedError]
  ])('%i %s', async (status, type, errorClass) => {
    fake.queueFaults({ kind: 'status', status, type, message: `simulated ${type}` });
    const { deltas, error } = await streamCollecting();
    expect(deltas).toEqual([]);
    expect(error).toBeInstanceOf(errorClass);
    expect(error).toMatchObject({ status, type, apiMessage: `simulated ${type}` });
    expect((error as APIError).requestID).toMatch(/^req_/);
    expect(fake.log[0]).toMatchObject({ status, error: { type }, fault: { kind: 'status' } });
  });

  it('429 carries retry-after (1 s unless given)', async () => {
    fake.queueFaults({ kind: 'status', status: 429, type: 'rate_limit_error' }, { kind: 'status', status: 429, type: 'rate_limit_error', retryAfter: 7 });
    const first = (await client.messages.create(REQUEST).catch((e: unknown) => e)) as APIError;
    const second = (await client.messages.create(REQUEST).catch((e: unknown) => e)) as APIError;
    expect([first.headers?.get('retry-after'), second.headers?.get('retry-after')]).toEqual(['1', '7']);
  });

  it('a status type alone implies its documented status', async () => {
    fake.queueFaults({ kind: 'status', type: 'overloaded_error' } as Fault);
    await expect(client.messages.create(REQUEST)).rejects.toBeInstanceOf(OverloadedError);
  });

  it('the SDK retries 529 and 429 (honouring retry-after) and then succeeds', async () => {
    fake.queueFaults(
      { kind: 'status', status: 529, type: 'overloaded_error', retryAfter: 0 },
      { kind: 'status', status: 429, type: 'rate_limit_error', retryAfter: 0 }
    );
    const message = await sdkClient(fake, { maxRetries: 2 }).messages.create(REQUEST);
    expect(message.stop_reason).toBe('end_turn');
    expect(fake.log.map(e => [e.status, e.headers['x-stainless-retry-count']])).toEqual([
      [529, '0'],
      [429, '1'],
      [200, '2']
    ]);
  });
});

describe('stream faults', () => {
  it.each([0, 1, 3])('drop-after %i deltas: the text so far arrives, then the stream fails', async n => {
    fake.queueFaults({ kind: 'drop-after', deltas: n });
    fake.queueReplies(THIRTY_WORDS);
    const { deltas, error } = await streamCollecting();
    expect(deltas.length).toBe(n);
    expect(error).toBeInstanceOf(AnthropicError);
    expect(String(error)).toMatch(/terminated/);
    expect(fake.log[0]).toMatchObject({ status: 200, stream: true, outcome: 'dropped' });
  });

  it('drop-after more deltas than the reply has drops after the last one', async () => {
    fake.queueFaults({ kind: 'drop-after', deltas: 99 });
    fake.queueReplies(THIRTY_WORDS);
    const { deltas, error } = await streamCollecting();
    expect(deltas.join('')).toBe(THIRTY_WORDS);
    expect(error).toBeInstanceOf(AnthropicError);
  });

  it.each<[ErrorType | undefined, number]>([
    [undefined, 2],
    ['overloaded_error', 0],
    ['api_error', 4]
  ])('error-event-after (type %s) after %i deltas: an APIError of that type mid-stream', async (type, n) => {
    fake.queueFaults({ kind: 'error-event-after', deltas: n, ...(type ? { type } : {}) });
    fake.queueReplies(THIRTY_WORDS);
    const { deltas, error } = await streamCollecting();
    expect(deltas.length).toBe(n);
    expect(error).toBeInstanceOf(APIError);
    expect(error).toMatchObject({ status: undefined, type: type ?? 'overloaded_error' });
    expect(fake.log[0]).toMatchObject({ status: 200, outcome: 'error-event' });
  });

  it.each<[string, Fault, number]>([
    ['delay-first-byte 300 ms', { kind: 'delay-first-byte', ms: 300 }, 300],
    ['slow, 40 ms between deltas', { kind: 'slow', deltaDelayMs: 40 }, 9 * 40]
  ])('%s: the reply is whole, only later', async (_name, fault, minMs) => {
    fake.queueFaults(fault);
    fake.queueReplies(THIRTY_WORDS);
    const { deltas, error, ms } = await streamCollecting();
    expect(error).toBeUndefined();
    expect(deltas.join('')).toBe(THIRTY_WORDS);
    expect(ms).toBeGreaterThanOrEqual(minMs * 0.9);
  });
});

describe('faults on requests that do not stream', () => {
  it.each<[string, Fault, ErrorClass]>([
    ['drop-after closes the connection', { kind: 'drop-after', deltas: 2 }, APIConnectionError],
    ['error-event-after answers its HTTP error', { kind: 'error-event-after', deltas: 2 }, OverloadedError]
  ])('%s', async (_name, fault, errorClass) => {
    fake.queueFaults(fault);
    await expect(client.messages.create(REQUEST)).rejects.toBeInstanceOf(errorClass);
  });

  it.each<[string, () => Promise<unknown>]>([
    ['count_tokens', () => client.messages.countTokens({ model: REQUEST.model, messages: REQUEST.messages })],
    ['models.list', () => client.models.list()],
    ['models.retrieve', () => client.models.retrieve('claude-haiku-4-5')]
  ])('%s takes the next fault too', async (_name, call) => {
    fake.queueFaults({ kind: 'status', status: 529, type: 'overloaded_error' });
    await expect(call()).rejects.toBeInstanceOf(OverloadedError);
    await expect(call()).resolves.toBeDefined();
  });
});

describe('the queue', () => {
  it('gives one fault to each request, in order, whatever the request', async () => {
    fake.queueFaults({ kind: 'status', status: 500, type: 'api_error' }, { kind: 'status', status: 529, type: 'overloaded_error' });
    const bad = await rawRequest(fake, '/v1/messages', { body: { model: 'claude-haiku-4-5' } });
    expectApiError(bad, 500, 'api_error');
    await expect(client.messages.create(REQUEST)).rejects.toBeInstanceOf(OverloadedError);
    await expect(client.messages.create(REQUEST)).resolves.toMatchObject({ type: 'message' });
  });
});

describe('control API over HTTP', () => {
  it('queues faults', async () => {
    const answer = await rawRequest(fake, '/_fake/faults', {
      body: [{ kind: 'status', status: 529, type: 'overloaded_error' }, { kind: 'error-event-after', deltas: 1 }],
      headers: { authorization: '' }
    });
    expect(answer).toMatchObject({ status: 200, body: { queued: 2 } });
    await expect(client.messages.create(REQUEST)).rejects.toBeInstanceOf(OverloadedError);
    expect((await streamCollecting()).deltas.length).toBe(1);
  });

  it.each<[string, unknown]>([
    ['not a list', { kind: 'status' }],
    ['an unknown kind', [{ kind: 'explode' }]],
    ['a status without a type', [{ kind: 'status', status: 500 }]],
    ['an unknown error type', [{ kind: 'status', status: 500, type: 'oops_error' }]],
    ['a negative delta count', [{ kind: 'drop-after', deltas: -1 }]]
  ])('refuses a fault list with %s', async (_name, body) => {
    expectApiError(await rawRequest(fake, '/_fake/faults', { body }), 400, 'invalid_request_error');
    expect(fake.log).toEqual([]);
  });

  it('queues replies', async () => {
    const answer = await rawRequest(fake, '/_fake/replies', { body: { replies: ['first', 'second'] } });
    expect(answer.body).toEqual({ queued: 2 });
    const texts = [await client.messages.stream(REQUEST).finalText(), await client.messages.stream(REQUEST).finalText()];
    expect(texts).toEqual(['first', 'second']);
  });

  it('changes keys, and reset restores them', async () => {
    await rawRequest(fake, '/_fake/keys', { body: { keys: ['other-key'] } });
    await expect(client.models.list()).rejects.toBeInstanceOf(AuthenticationError);
    await expect(sdkClient(fake, { apiKey: 'other-key' }).models.list()).resolves.toBeDefined();
    await rawRequest(fake, '/_fake/reset', { body: {} });
    await expect(client.models.list()).resolves.toBeDefined();
    expect(fake.log.map(e => e.status)).toEqual([200]);
  });

  it('redacts keys in the log', async () => {
    await client.messages.create(REQUEST);
    await rawRequest(fake, '/v1/models', { headers: { authorization: '', 'x-api-key': TEST_KEY } });
    const log = (await rawRequest(fake, '/_fake/log')).body as Array<{ headers: Record<string, string> }>;
    expect(log.map(e => e.headers.authorization ?? e.headers['x-api-key'])).toEqual(['Bearer REDACTED', 'REDACTED']);
    expect(JSON.stringify(log)).not.toContain(TEST_KEY);
  });

  it('404s an unknown control route', async () => {
    expectApiError(await rawRequest(fake, '/_fake/explode', { body: {} }), 404, 'not_found_error');
  });
});
