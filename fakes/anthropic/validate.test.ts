/**
 * Each request rule of PROVIDERS.md is refused with the API's status and error type, and
 * requests that follow the rules pass.
 */
import { APIError, AuthenticationError, BadRequestError, NotFoundError } from '@anthropic-ai/sdk';
import { ErrorType } from './errors';
import { FakeAnthropic, startFakeAnthropic } from './server';
import { IMAGES, PDF, TEST_KEY, expectApiError, rawRequest, sdkClient } from './testing';

type Body = Record<string, unknown>;

/** A valid request to mutate: Haiku 4.5 accepts prefill, so prefill rows can isolate rules. */
function base(extra: Body = {}): Body {
  return { model: 'claude-haiku-4-5', max_tokens: 100, messages: [{ role: 'user', content: 'Hello' }], ...extra };
}

/** A user turn with these blocks. */
function user(...content: unknown[]): Body {
  return base({ messages: [{ role: 'user', content }] });
}

const text = (t: string, extra: Body = {}) => ({ type: 'text', text: t, ...extra });
const ephemeral = (ttl?: '5m' | '1h') => ({ cache_control: ttl ? { type: 'ephemeral', ttl } : { type: 'ephemeral' } });
const image = (mediaType: string, data: string) => ({ type: 'image', source: { type: 'base64', media_type: mediaType, data } });
const doc = (source: Body, extra: Body = {}) => ({ type: 'document', source, ...extra });
const prefill = (model: string, assistant: string) =>
  base({ model, messages: [{ role: 'user', content: 'Hi' }, { role: 'assistant', content: assistant }] });

let fake: FakeAnthropic;
beforeAll(async () => {
  fake = await startFakeAnthropic({ deltaDelayMs: 0 });
});
afterAll(() => fake.close());

/** A refused request: name, body, status, error type, message pattern. */
type Refusal = [string, Body | string, number, ErrorType, RegExp];

/** Rows reordered so that test titles read "name → status type". */
function titled<I>(rows: Array<[string, I, number, ErrorType, RegExp]>) {
  return rows.map(([name, input, status, type, message]) => [name, status, type, message, input] as const);
}

describe('invalid requests are refused', () => {
  const refusals: Refusal[] = [
    ['body is not JSON', '{"model":', 400, 'invalid_request_error', /not valid JSON/],
    ['body is a list', '[]', 400, 'invalid_request_error', /should be an object/],
    ['model missing', { max_tokens: 10, messages: [{ role: 'user', content: 'x' }] }, 400, 'invalid_request_error', /^model: Field required/],
    ['model unknown', base({ model: 'claude-nonesuch-9' }), 404, 'not_found_error', /^model: claude-nonesuch-9$/],
    ['max_tokens missing', { model: 'claude-haiku-4-5', messages: [{ role: 'user', content: 'x' }] }, 400, 'invalid_request_error', /^max_tokens: Field required/],
    ['max_tokens not an integer', base({ max_tokens: 1.5 }), 400, 'invalid_request_error', /^max_tokens: .*integer/],
    ['max_tokens a string', base({ max_tokens: '100' }), 400, 'invalid_request_error', /^max_tokens: .*integer/],
    ['max_tokens negative', base({ max_tokens: -1 }), 400, 'invalid_request_error', /^max_tokens: .*greater than or equal to 0/],
    ['max_tokens 0 with streaming', base({ max_tokens: 0, stream: true }), 400, 'invalid_request_error', /^max_tokens: 0 .*streaming/],
    ['max_tokens above the model limit', base({ max_tokens: 64001 }), 400, 'invalid_request_error', /64001 > 64000/],
    ['temperature', base({ temperature: 0.5 }), 400, 'invalid_request_error', /^temperature: .*2026-10-21/],
    ['top_p', base({ top_p: 0.9 }), 400, 'invalid_request_error', /^top_p: /],
    ['top_k', base({ top_k: 5 }), 400, 'invalid_request_error', /^top_k: /],
    ['unknown top-level field', base({ frobnicate: true }), 400, 'invalid_request_error', /^frobnicate: Extra inputs are not permitted/],
    ['messages missing', { model: 'claude-haiku-4-5', max_tokens: 10 }, 400, 'invalid_request_error', /^messages: Field required/],
    ['messages empty', base({ messages: [] }), 400, 'invalid_request_error', /^messages: at least one/],
    ['first message from the assistant', base({ messages: [{ role: 'assistant', content: 'Hi' }] }), 400, 'invalid_request_error', /^messages.0.role: first message/],
    ['two user turns in a row', base({ messages: [{ role: 'user', content: 'a' }, { role: 'user', content: 'b' }] }), 400, 'invalid_request_error', /must alternate.*"user"/],
    ['two assistant turns in a row', base({ messages: [{ role: 'user', content: 'a' }, { role: 'assistant', content: 'b' }, { role: 'assistant', content: 'c' }] }), 400, 'invalid_request_error', /must alternate.*"assistant"/],
    ['unknown role', base({ messages: [{ role: 'robot', content: 'a' }] }), 400, 'invalid_request_error', /^messages.0.role: /],
    ['extra field on a message', base({ messages: [{ role: 'user', content: 'a', name: 'bob' }] }), 400, 'invalid_request_error', /^messages.0.name: Extra inputs/],
    ['content a number', base({ messages: [{ role: 'user', content: 42 }] }), 400, 'invalid_request_error', /^messages.0.content: .*string or a valid list/],
    ['content an empty string', base({ messages: [{ role: 'user', content: '' }] }), 400, 'invalid_request_error', /non-empty content/],
    ['content an empty list', user(), 400, 'invalid_request_error', /non-empty content/],
    ['empty text block', user(text('')), 400, 'invalid_request_error', /^messages.0.content.0.text: .*non-whitespace/],
    ['whitespace-only text block', user(text(' \n\t ')), 400, 'invalid_request_error', /non-whitespace text/],
    ['whitespace-only string content', base({ messages: [{ role: 'user', content: '  ' }] }), 400, 'invalid_request_error', /non-whitespace text/],
    ['cache_control on an empty text block', user(text('a'), text(' ', ephemeral())), 400, 'invalid_request_error', /^messages.0.content.1.cache_control: cache_control cannot be set for empty text blocks/],
    ['extra field on a text block', user(text('a', { lang: 'en' })), 400, 'invalid_request_error', /^messages.0.content.0.lang: Extra inputs/],
    ['unknown block type', user({ type: 'video', url: 'x' }), 400, 'invalid_request_error', /Input tag 'video'/],
    ['system a number', base({ system: 3 }), 400, 'invalid_request_error', /^system: /],
    ['system block not text', base({ system: [image('image/png', IMAGES['image/png'])] }), 400, 'invalid_request_error', /^system.0: image blocks are not allowed/],
    ['system text block empty', base({ system: [text('')] }), 400, 'invalid_request_error', /^system.0.text: .*non-whitespace/],
    ['prefill ending in a space', prefill('claude-haiku-4-5', 'The answer is '), 400, 'invalid_request_error', /final assistant content cannot end with trailing whitespace/],
    ['prefill ending in a newline', prefill('claude-opus-4-5', 'Sure:\n'), 400, 'invalid_request_error', /trailing whitespace/],
    ...['claude-sonnet-4-6', 'claude-sonnet-5', 'claude-sonnet-5-5', 'claude-opus-4-6', 'claude-opus-4-7', 'claude-opus-4-8', 'claude-fable-5', 'claude-fable-5-2'].map(
      (model): [string, Body, number, ErrorType, RegExp] => [`prefill on ${model}`, prefill(model, 'The answer is'), 400, 'invalid_request_error', /does not support assistant message prefill/]
    ),
    ['image in an assistant turn', base({ messages: [{ role: 'user', content: 'a' }, { role: 'assistant', content: [image('image/png', IMAGES['image/png'])] }, { role: 'user', content: 'b' }] }), 400, 'invalid_request_error', /^messages.1.content.0: image blocks are not allowed in assistant messages/],
    ['image media type not accepted', user(image('image/bmp', IMAGES['image/png'])), 400, 'invalid_request_error', /media_type: Input should be 'image\/png'/],
    ['image data not matching its media type', user(image('image/jpeg', IMAGES['image/png'])), 400, 'invalid_request_error', /Image does not match the provided media type image\/jpeg/],
    ['image data with line breaks', user(image('image/png', IMAGES['image/png'].replace(/(.{8})/, '$1\n'))), 400, 'invalid_request_error', /invalid base64/],
    ['image over 5 MB', user(image('image/png', IMAGES['image/png'] + 'A'.repeat(7_000_000))), 400, 'invalid_request_error', /image exceeds 5 MB maximum/],
    ['image with an unknown source type', user({ type: 'image', source: { type: 'path', path: '/x.png' } }), 400, 'invalid_request_error', /source.type/],
    ['document with a wrong media type', user(doc({ type: 'text', media_type: 'text/markdown', data: 'x' })), 400, 'invalid_request_error', /source.media_type: Input should be 'text\/plain'/],
    ['document without data', user(doc({ type: 'text', media_type: 'text/plain' })), 400, 'invalid_request_error', /source.data: Field required/],
    ['document with empty data', user(doc({ type: 'text', media_type: 'text/plain', data: '' })), 400, 'invalid_request_error', /non-empty/],
    ['document title not a string', user(doc({ type: 'text', media_type: 'text/plain', data: 'x' }, { title: 3 })), 400, 'invalid_request_error', /title: Input should be a valid string/],
    ['PDF that is not a PDF', user(doc({ type: 'base64', media_type: 'application/pdf', data: IMAGES['image/png'] })), 400, 'invalid_request_error', /Document does not match/],
    ['cache_control of another type', user(text('a', { cache_control: { type: 'persistent' } })), 400, 'invalid_request_error', /cache_control.type: Input should be 'ephemeral'/],
    ['cache_control with a bad ttl', user(text('a', { cache_control: { type: 'ephemeral', ttl: '10m' } })), 400, 'invalid_request_error', /cache_control.ttl/],
    ['five breakpoints', user(...[1, 2, 3, 4, 5].map(i => text(`b${i}`, ephemeral()))), 400, 'invalid_request_error', /A maximum of 4 blocks with cache_control may be provided. Found 5./],
    ['four breakpoints plus a top-level one', { ...user(...[1, 2, 3, 4].map(i => text(`b${i}`, ephemeral()))), cache_control: { type: 'ephemeral' } }, 400, 'invalid_request_error', /Found 5/],
    ['1h breakpoint after a 5m one', base({ system: [text('a', ephemeral('5m')), text('b', ephemeral('1h'))] }), 400, 'invalid_request_error', /^system.1.cache_control: a ttl='1h' cache_control block must not come after a ttl='5m'/],
    ['1h top-level after a 5m block', { ...base({ system: [text('a', ephemeral())] }), cache_control: { type: 'ephemeral', ttl: '1h' } }, 400, 'invalid_request_error', /ttl='1h'/],
    ['thinking budget below 1024', base({ max_tokens: 4000, thinking: { type: 'enabled', budget_tokens: 1000 } }), 400, 'invalid_request_error', /budget_tokens: .*1024/],
    ['thinking budget not below max_tokens', base({ max_tokens: 2000, thinking: { type: 'enabled', budget_tokens: 2000 } }), 400, 'invalid_request_error', /max_tokens.*greater than.*budget_tokens/],
    ['thinking of an unknown type', base({ thinking: { type: 'deep' } }), 400, 'invalid_request_error', /^thinking.type/],
    ['tool with a bad name', base({ tools: [{ name: 'my tool', input_schema: { type: 'object' } }] }), 400, 'invalid_request_error', /^tools.0.name/],
    ['tool without a schema', base({ tools: [{ name: 'lookup' }] }), 400, 'invalid_request_error', /^tools.0.input_schema/],
    ['tools with the same name', base({ tools: [1, 2].map(() => ({ name: 'a', input_schema: { type: 'object' } })) }), 400, 'invalid_request_error', /unique/],
    ['tool_choice of an unknown type', base({ tool_choice: { type: 'maybe' } }), 400, 'invalid_request_error', /^tool_choice.type/],
    ['stop_sequences with an empty string', base({ stop_sequences: [''] }), 400, 'invalid_request_error', /^stop_sequences/],
    ['thinking block edited before being passed back', base({ messages: [{ role: 'user', content: 'a' }, { role: 'assistant', content: [{ type: 'thinking', thinking: 'edited', signature: 'fakesig_abc' }, text('x')] }, { role: 'user', content: 'b' }] }), 400, 'invalid_request_error', /Invalid `signature`/]
  ];
  it.each(titled(refusals))('%s → %i %s', async (_name, status, type, message, body) => {
    expect(expectApiError(await rawRequest(fake, '/v1/messages', { body }), status, type)).toMatch(message);
  });

  it.each(
    titled<Body>([
      ['max_tokens', base(), 400, 'invalid_request_error', /^max_tokens: Extra inputs/],
      ['stream', { model: 'claude-haiku-4-5', messages: [{ role: 'user', content: 'a' }], stream: true }, 400, 'invalid_request_error', /^stream: Extra inputs/],
      ['an empty text block', { model: 'claude-haiku-4-5', messages: [{ role: 'user', content: [text('')] }] }, 400, 'invalid_request_error', /non-whitespace/],
      ['an unknown model', { model: 'claude-x', messages: [{ role: 'user', content: 'a' }] }, 404, 'not_found_error', /^model: claude-x/]
    ])
  )('count_tokens with %s → %i %s', async (_name, status, type, message, body) => {
    expect(expectApiError(await rawRequest(fake, '/v1/messages/count_tokens', { body }), status, type)).toMatch(message);
  });
});

describe('valid requests pass', () => {
  it.each<[string, Body]>([
    ['string content', base()],
    ['text blocks', user(text('a'), text('b'))],
    ['system string', base({ system: 'You are terse.' })],
    ['system blocks, 1h then 5m breakpoints', base({ system: [text('a', ephemeral('1h')), text('b', ephemeral('5m'))] })],
    ...Object.entries(IMAGES).map(([mediaType, data]): [string, Body] => [`image ${mediaType}`, user(image(mediaType, data), text('what is this?'))]),
    ['text document with a title', user(doc({ type: 'text', media_type: 'text/plain', data: 'Docs.' }, { title: 'numpy' }), text('q'))],
    ['PDF document', user(doc({ type: 'base64', media_type: 'application/pdf', data: PDF }), text('q'))],
    ['prefill on Haiku 4.5', prefill('claude-haiku-4-5', 'The answer is')],
    ['empty final assistant message', base({ messages: [{ role: 'user', content: 'a' }, { role: 'assistant', content: [] }] })],
    ['thinking enabled', base({ max_tokens: 4000, thinking: { type: 'enabled', budget_tokens: 1024 } })],
    ['thinking adaptive', base({ thinking: { type: 'adaptive' } })],
    ['thinking disabled', base({ thinking: { type: 'disabled' } })],
    ['max_tokens 0 (pre-warming)', base({ max_tokens: 0 })],
    ['four breakpoints', user(...[1, 2, 3, 4].map(i => text(`b${i}`, ephemeral())))],
    ['three breakpoints plus a top-level one', { ...user(...[1, 2, 3].map(i => text(`b${i}`, ephemeral()))), cache_control: { type: 'ephemeral' } }],
    ['tools and tool_choice', base({ tools: [{ name: 'lookup', description: 'Look up', input_schema: { type: 'object', properties: {} } }], tool_choice: { type: 'auto' } })],
    ['tool use and result', base({ tools: [{ name: 'f', input_schema: { type: 'object' } }], messages: [{ role: 'user', content: 'a' }, { role: 'assistant', content: [{ type: 'tool_use', id: 't1', name: 'f', input: {} }] }, { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1', content: 'ok' }] }] })],
    ['mid-conversation system message', base({ messages: [{ role: 'user', content: 'a' }, { role: 'assistant', content: 'b' }, { role: 'system', content: 'Be brief.' }, { role: 'user', content: 'c' }] })],
    ['metadata, stop sequences, service tier', base({ metadata: { user_id: 'u1' }, stop_sequences: ['###'], service_tier: 'auto' })]
  ])('%s', async (_name, body) => {
    const answer = await rawRequest(fake, '/v1/messages', { body });
    expect(answer.body).toMatchObject({ type: 'message', role: 'assistant' });
    expect(answer.status).toBe(200);
  });
});

describe('headers and routes', () => {
  it.each(
    titled<[string, Record<string, string>]>([
    ['no key', ['POST', { authorization: '' }], 401, 'authentication_error', /required|invalid/],
    ['unknown bearer key', ['POST', { authorization: 'Bearer nope' }], 401, 'authentication_error', /invalid x-api-key/],
    ['unknown x-api-key', ['POST', { 'x-api-key': 'nope' }], 401, 'authentication_error', /invalid x-api-key/],
    ['no anthropic-version', ['POST', { 'anthropic-version': '' }], 400, 'invalid_request_error', /anthropic-version/],
    ['an older anthropic-version', ['POST', { 'anthropic-version': '2023-06-01' }], 400, 'invalid_request_error', /"2023-06-01" is not supported/],
    ['browser request without the direct-access header', ['POST', { origin: 'http://localhost:8888' }], 401, 'authentication_error', /CORS requests must set/],
    ['GET on the messages route', ['GET', {}], 404, 'not_found_error', /Not Found/]
    ])
  )('%s → %i %s', async (_name, status, type, message, [method, headers]) => {
    const body = method === 'POST' ? base() : undefined;
    expect(expectApiError(await rawRequest(fake, '/v1/messages', { method, body, headers }), status, type)).toMatch(message);
  });

  it.each([
    ['x-api-key', { 'x-api-key': TEST_KEY, authorization: '' }],
    ['browser request with the direct-access header', { origin: 'http://localhost:8888', 'anthropic-dangerous-direct-browser-access': 'true' }]
  ])('accepts %s', async (_name, headers: Record<string, string>) => {
    const answer = await rawRequest(fake, '/v1/messages', { body: base(), headers });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('access-control-allow-origin')).toBe(headers.origin ?? null);
  });

  it.each(['/v1/complete', '/v2/messages', '/'])('unknown route %s → 404 not_found_error', async path => {
    expectApiError(await rawRequest(fake, path, { body: base() }), 404, 'not_found_error');
  });

  it('answers a CORS preflight', async () => {
    const answer = await fetch(`${fake.url}/v1/messages`, {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:8888', 'access-control-request-headers': 'x-api-key, anthropic-version' }
    });
    expect(answer.status).toBe(204);
    expect(answer.headers.get('access-control-allow-headers')).toBe('x-api-key, anthropic-version');
  });

  it('refuses a body over the size cap with 413 request_too_large', async () => {
    const small = await startFakeAnthropic({ maxBodyBytes: 2048 });
    try {
      const answer = await rawRequest(small, '/v1/messages', { body: base({ system: 'x'.repeat(4096) }) });
      expectApiError(answer, 413, 'request_too_large');
    } finally {
      await small.close();
    }
  });
});

describe('through the SDK, refusals are its error classes', () => {
  it.each<[string, () => Promise<unknown>, abstract new (...args: never[]) => APIError, string]>([
    ['bad request', () => sdkClient(fake).messages.create(prefill('claude-sonnet-4-6', 'So') as never), BadRequestError, 'invalid_request_error'],
    ['unknown model', () => sdkClient(fake).messages.create(base({ model: 'claude-x' }) as never), NotFoundError, 'not_found_error'],
    ['wrong key', () => sdkClient(fake, { apiKey: 'wrong' }).models.list(), AuthenticationError, 'authentication_error'],
    ['unknown model id', () => sdkClient(fake).models.retrieve('claude-x'), NotFoundError, 'not_found_error']
  ])('%s', async (_name, call, errorClass, type) => {
    const error = await call().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(errorClass);
    expect((error as APIError).type).toBe(type);
    expect((error as APIError).requestID).toMatch(/^req_/);
  });
});
