/**
 * Replies with tool calls, sent again: the `{.tool}` blocks of earlier replies become each
 * provider's own tool turns, the tools sit first in the body, and the strict fakes accept
 * the result (and refuse what the real APIs refuse).
 */
import { FakeAnthropic, startFakeAnthropic } from '../../../fakes/anthropic/server';
import { FakeOpenAI, startFakeOpenAI } from '../../../fakes/openai/server';
import { appendToolBlock } from '../context/tool-blocks';
import { preparePrompt } from '../request/assemble';
import { streamReply } from '../reply/reply';
import { DEFAULT_SETTINGS } from '../settings';
import { ai, code, notebook, stdout } from '../testing/notebooks';
import { ChatRequest, ToolSpec } from '../types';
import { AnthropicProvider } from './anthropic';
import { toAnthropicBody } from './anthropic-body';
import { OpenAIProvider } from './openai';
import { toOpenAIBody } from './openai-body';

const TOOLS: ToolSpec[] = [
  { name: 'add', description: 'Add two numbers.', parameters: { type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } }, required: ['a', 'b'] } },
  { name: 'shout', description: '', parameters: { type: 'object', properties: { s: { type: 'string' } } } }
];

/** An earlier reply that called both tools (one failed), then answered. */
const REPLY =
  appendToolBlock(appendToolBlock('Let me compute.', { id: 'toolu_A1', name: 'add', args: { a: 1, b: 2 }, result: '3' }), {
    id: 'toolu_A2',
    name: 'shout',
    args: { s: 'hi' },
    result: 'TypeError: boom',
    isError: true
  }) + 'The sum is 3.';

/** A reply that ended on a call (step limit), so the next prompt carries its result first. */
const ENDS_ON_CALL = appendToolBlock('Once more.', { id: 'toolu_B1', name: 'add', args: { a: 3, b: 4 }, result: '7' });

function request(provider = 'anthropic', model = DEFAULT_SETTINGS.model, reply2 = 'OK.'): ChatRequest {
  const nb = notebook(
    code('c', 'def add(a, b): return a + b', [stdout('')], 1),
    ai('1', 'Use &`add` and &`shout`.', REPLY),
    ai('2', 'Again with &`add`.', reply2),
    ai('3', 'And now?')
  );
  return preparePrompt(nb, 3, { settings: { ...DEFAULT_SETTINGS, provider, model }, tools: TOOLS }).request;
}

describe('Anthropic tool turns', () => {
  let fake: FakeAnthropic;
  beforeAll(async () => (fake = await startFakeAnthropic({ deltaDelayMs: 0 })));
  afterAll(() => fake.close());
  beforeEach(() => fake.reset());

  it('sends tools first and the calls as tool_use / tool_result blocks', () => {
    const body = toAnthropicBody(request('anthropic', DEFAULT_SETTINGS.model, ENDS_ON_CALL));
    expect(Object.keys(body).slice(0, 4)).toEqual(['model', 'max_tokens', 'tools', 'system']);
    expect(body.tools).toEqual([
      { name: 'add', description: 'Add two numbers.', input_schema: TOOLS[0].parameters },
      { name: 'shout', input_schema: TOOLS[1].parameters }
    ]);
    const messages = body.messages as Array<{ role: string; content: Array<Record<string, unknown>> }>;
    expect(messages.map(m => [m.role, m.content.map(b => b.type)])).toEqual([
      ['user', ['text']],
      ['assistant', ['text', 'tool_use', 'tool_use']],
      ['user', ['tool_result', 'tool_result']],
      ['assistant', ['text']],
      ['user', ['text']],
      ['assistant', ['text', 'tool_use']],
      ['user', ['tool_result', 'text']]
    ]);
    expect(messages[1].content[1]).toEqual({ type: 'tool_use', id: 'toolu_A1', name: 'add', input: { a: 1, b: 2 } });
    expect(messages[2].content[1]).toEqual({ type: 'tool_result', tool_use_id: 'toolu_A2', content: 'TypeError: boom', is_error: true });
    expect(messages[6].content[0]).toEqual({ type: 'tool_result', tool_use_id: 'toolu_B1', content: '7' });
  });

  it('the fake accepts the request', async () => {
    fake.queueReplies('Fine.');
    const provider = new AnthropicProvider({ apiKey: 'test-key', baseURL: fake.url, maxRetries: 0 });
    const result = await streamReply(provider, request('anthropic', DEFAULT_SETTINGS.model, ENDS_ON_CALL));
    expect(result.error).toBeUndefined();
    expect(result.text).toBe('Fine.');
  });

  it.each<[string, (body: Record<string, unknown>) => void, RegExp]>([
    ['a missing result', b => (msgs(b)[2].content as unknown[]).pop(), /tool_use` ids were found without `tool_result` blocks immediately after: toolu_A2/],
    ['an orphan result', b => ((msgs(b)[2].content as Array<Record<string, unknown>>)[0].tool_use_id = 'toolu_ZZ'), /unexpected `tool_use_id` found in `tool_result` blocks: toolu_ZZ/],
    ['text before the results', b => (msgs(b)[2].content as unknown[]).unshift({ type: 'text', text: 'x' }), /must come before any other content/],
    ['no tools defined', b => delete b.tools, /must define tools/],
    ['a bad tool schema', b => ((b.tools as Array<Record<string, unknown>>)[0].input_schema = { type: 'string' }), /input_schema.type: Input should be 'object'/]
  ])('the fake refuses %s with a 400, as the API does', async (_name, spoil, message) => {
    const body = toAnthropicBody(request());
    spoil(body);
    const res = await fetch(`${fake.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': 'test-key', 'anthropic-version': '2026-10-21' },
      body: JSON.stringify(body)
    });
    expect(res.status).toBe(400);
    const answer = (await res.json()) as { type: string; error: { type: string; message: string } };
    expect(answer.type).toBe('error');
    expect(answer.error.type).toBe('invalid_request_error');
    expect(answer.error.message).toMatch(message);
  });
});

describe('OpenAI tool turns', () => {
  let fake: FakeOpenAI;
  beforeAll(async () => (fake = await startFakeOpenAI({ deltaDelayMs: 0 })));
  afterAll(() => fake.close());
  beforeEach(() => fake.reset());

  it('sends tools first and the calls as tool_calls and tool messages', () => {
    const body = toOpenAIBody(request('openai', 'gpt-5.1-mini', ENDS_ON_CALL));
    expect(Object.keys(body).slice(0, 3)).toEqual(['model', 'tools', 'messages']);
    expect((body.tools as unknown[])[0]).toEqual({ type: 'function', function: { name: 'add', description: 'Add two numbers.', parameters: TOOLS[0].parameters } });
    const messages = body.messages as Array<Record<string, unknown>>;
    expect(messages.map(m => m.role)).toEqual(['system', 'user', 'assistant', 'tool', 'tool', 'assistant', 'user', 'assistant', 'tool', 'user']);
    expect(messages[2]).toEqual({
      role: 'assistant',
      content: 'Let me compute.',
      tool_calls: [
        { id: 'toolu_A1', type: 'function', function: { name: 'add', arguments: '{"a":1,"b":2}' } },
        { id: 'toolu_A2', type: 'function', function: { name: 'shout', arguments: '{"s":"hi"}' } }
      ]
    });
    expect(messages[4]).toEqual({ role: 'tool', tool_call_id: 'toolu_A2', content: 'TypeError: boom' });
  });

  it('the fake accepts the request', async () => {
    fake.queueReplies('Fine.');
    const provider = new OpenAIProvider({ apiKey: 'test-key', baseURL: fake.url, maxRetries: 0 });
    const result = await streamReply(provider, request('openai', 'gpt-5.1-mini', ENDS_ON_CALL));
    expect(result.error).toBeUndefined();
    expect(result.text).toBe('Fine.');
  });

  it.each<[string, (body: Record<string, unknown>) => void, RegExp]>([
    ['a missing tool message', b => (b.messages as unknown[]).splice(4, 1), /did not have response messages: toolu_A2/],
    ['an orphan tool message', b => ((b.messages as Array<Record<string, unknown>>)[3].tool_call_id = 'nope'), /must be a response to a preceeding message with 'tool_calls'/],
    ['a bad function name', b => ((b.tools as Array<{ function: Record<string, unknown> }>)[0].function.name = 'a b'), /does not match pattern/]
  ])('the fake refuses %s with a 400, as the API does', async (_name, spoil, message) => {
    const body = toOpenAIBody(request('openai', 'gpt-5.1-mini'));
    spoil(body);
    const res = await fetch(`${fake.url}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer test-key' },
      body: JSON.stringify(body)
    });
    expect(res.status).toBe(400);
    const answer = (await res.json()) as { error: { type: string; message: string } };
    expect(answer.error.type).toBe('invalid_request_error');
    expect(answer.error.message).toMatch(message);
  });

  it('a server without tool support gets a clear message', async () => {
    const local = await startFakeOpenAI({ deltaDelayMs: 0, apiKeys: [], llama: { slotSavePath: '/tmp', alias: 'smollm2' }, without: { tools: true } });
    try {
      const provider = new OpenAIProvider({ id: 'local', label: 'The local server', apiKey: 'none', baseURL: local.url, maxRetries: 0, dialect: 'compatible' });
      const result = await streamReply(provider, request('local', 'smollm2'));
      expect(result.error?.kind).toBe('unsupported');
      expect(result.error?.message).toMatch(/does not take tools with model smollm2.*&`add`, &`shout`.*--jinja.*tools param requires --jinja flag/);
    } finally {
      await local.close();
    }
  });
});

function msgs(body: Record<string, unknown>): Array<Record<string, unknown>> {
  return body.messages as Array<Record<string, unknown>>;
}
