/**
 * The tool loop against the strict fakes, with real executors: calls run in order, their
 * results go back as tool turns the fakes accept, each step reads the one before from the
 * cache, and the step limit, a stop, a failing tool and a lost kernel each end as they should.
 */
import { FakeOpenAI, startFakeOpenAI } from '../../../fakes/openai/server';
import { parseReply } from '../context/tool-blocks';
import { OpenAIProvider } from '../providers/openai';
import { preparePrompt } from '../request/assemble';
import { DEFAULT_SETTINGS } from '../settings';
import { ai, code, notebook, stdout } from '../testing/notebooks';
import { useFakeAnthropic } from '../testing/fakes';
import { ChatRequest, ToolCall, ToolOutcome, ToolSpec } from '../types';
import { ChatProvider } from '../providers/provider';
import { ToolExecutor, runToolLoop } from './loop';

const TOOLS: ToolSpec[] = [
  { name: 'add', description: 'Add.', parameters: { type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } } } },
  { name: 'shout', description: 'Upper-case.', parameters: { type: 'object', properties: { s: { type: 'string' } } } }
];

/** Real functions, run in order; each call is recorded. */
function executor(ran: string[]): ToolExecutor {
  return async (call: ToolCall): Promise<ToolOutcome> => {
    ran.push(call.name);
    if (call.name === 'add') {
      return { result: String((call.args.a as number) + (call.args.b as number)), isError: false };
    }
    if (typeof call.args.s !== 'string') {
      return { result: "TypeError: 'NoneType' object has no attribute 'upper'", isError: true };
    }
    return { result: call.args.s.toUpperCase(), isError: false };
  };
}

/** A prompt long enough to be cached, offering both tools. */
function request(provider: string, model: string): ChatRequest {
  const long = 'x = 1  # padding for a cacheable prefix\n'.repeat(400);
  const nb = notebook(code('c', long, [stdout('ok\n')], 1), ai('1', 'Q1', 'R1'), ai('2', 'Use &`add` and &`shout`.'));
  return preparePrompt(nb, 2, { settings: { ...DEFAULT_SETTINGS, provider, model }, tools: TOOLS }).request;
}

const calls = (text: string) => parseReply(text).flatMap(s => (s.type === 'tool' ? [s.block] : []));

describe('runToolLoop with Anthropic', () => {
  const the = useFakeAnthropic();

  it('runs one call, then two in one step, in order, then answers', async () => {
    the.fake.queueReplies(
      { text: 'Adding first.', tool_calls: [{ name: 'add', input: { a: 1, b: 2 } }] },
      { tool_calls: [{ name: 'shout', input: { s: 'three' } }, { name: 'add', input: { a: 3, b: 4 } }] },
      'Sum 3, then THREE and 7.'
    );
    const ran: string[] = [];
    const shown: string[] = [];
    const result = await runToolLoop(the.provider, request('anthropic', DEFAULT_SETTINGS.model), {
      maxSteps: 10,
      pinnedParts: 0,
      execute: executor(ran),
      onText: t => shown.push(t)
    });
    expect(result.error).toBeUndefined();
    expect(result.stopReason).toBe('end_turn');
    expect(result.steps).toBe(3);
    expect(ran).toEqual(['add', 'shout', 'add']);
    expect(calls(result.text).map(c => [c.name, c.args, c.result])).toEqual([
      ['add', { a: 1, b: 2 }, '3'],
      ['shout', { s: 'three' }, 'THREE'],
      ['add', { a: 3, b: 4 }, '7']
    ]);
    expect(result.text.startsWith('Adding first.')).toBe(true);
    expect(result.text.endsWith('Sum 3, then THREE and 7.')).toBe(true);
    // While a call runs, the reply shows it without a result.
    expect(shown.some(t => /"name": "shout"[^`]*\n}\n```\s*$/.test(t) && !/"result": "THREE"/.test(t))).toBe(true);

    const bodies = the.fake.log.filter(r => r.path === '/v1/messages').map(r => r.body as { messages: Array<{ role: string; content: Array<Record<string, unknown>> }> });
    expect(bodies).toHaveLength(3);
    const last = bodies[2].messages;
    expect(last[last.length - 1].content.map(b => [b.type, b.content])).toEqual([
      ['tool_result', 'THREE'],
      ['tool_result', '7']
    ]);
    // Each step's messages start with the previous step's, byte for byte (marks aside).
    const strip = (v: unknown) => JSON.stringify(v, (k, x) => (k === 'cache_control' ? undefined : x));
    expect(strip(bodies[2].messages.slice(0, bodies[1].messages.length))).toBe(strip(bodies[1].messages));
    // Usage is summed over the steps; steps 2 and 3 read the earlier prefix from the cache.
    expect(result.stepUsage[1].cacheRead).toBeGreaterThan(0.9 * (result.stepUsage[1].cacheRead + result.stepUsage[1].input + result.stepUsage[1].cacheWrite));
    expect(result.usage.output).toBe(result.stepUsage.reduce((n, u) => n + u.output, 0));
    expect(result.usage.cacheRead).toBe(result.stepUsage.reduce((n, u) => n + u.cacheRead, 0));
  });

  it('sends the model a long result whole, and keeps 2,000 characters of it in the reply', async () => {
    the.fake.queueReplies({ tool_calls: [{ name: 'shout', input: { s: 'a'.repeat(5000) } }] }, 'Long.');
    const result = await runToolLoop(the.provider, request('anthropic', DEFAULT_SETTINGS.model), { maxSteps: 10, pinnedParts: 0, execute: executor([]) });
    const body = the.fake.log[1].body as { messages: Array<{ content: Array<Record<string, unknown>> }> };
    expect(body.messages[body.messages.length - 1].content[0].content).toBe('A'.repeat(5000));
    expect(calls(result.text)[0].result).toMatch(/^A{1000}\n… \[3000 characters cut\] …\nA{1000}$/);
  });

  it('keeps a reply without calls exactly as the model sent it, trailing space included', async () => {
    the.fake.queueReplies('Just text, ending in spaces.  \n');
    const result = await runToolLoop(the.provider, request('anthropic', DEFAULT_SETTINGS.model), { maxSteps: 10, pinnedParts: 0, execute: executor([]) });
    expect(result.text).toBe('Just text, ending in spaces.  \n');
    expect(result.steps).toBe(1);
  });

  it("with thinking on, sends each step's signed thinking back before its calls, and keeps it folded in the reply, not as text", async () => {
    the.fake.queueReplies({ text: 'Adding.', tool_calls: [{ name: 'add', input: { a: 1, b: 1 } }] }, 'Two.');
    const thinking = { ...request('anthropic', DEFAULT_SETTINGS.model), thinkingBudget: 2048 };
    const result = await runToolLoop(the.provider, thinking, { maxSteps: 10, pinnedParts: 0, execute: executor([]) });
    expect(result.error).toBeUndefined();
    expect(result.text).toMatch(/^<!--think_start-->\n<details><summary>Thinking<\/summary>\n\nFake thinking #1[^]*<!--think_end-->\n\nAdding\./);
    const body = the.fake.log[1].body as { messages: Array<{ role: string; content: Array<Record<string, unknown>> }> };
    const step = body.messages[body.messages.length - 2];
    expect(step.content.map(b => b.type)).toEqual(['thinking', 'text', 'tool_use']);
    expect(step.content[0].signature).toMatch(/^fakesig_/);
    // The reply read back for the next prompt sends no thinking at all.
    expect(JSON.stringify(body.messages.slice(0, -2))).not.toContain('Fake thinking');
  });

  it('the fake refuses a thinking tool loop whose step lost its thinking, as the API does', async () => {
    the.fake.queueReplies({ tool_calls: [{ name: 'add', input: { a: 1, b: 1 } }] });
    const thinking = { ...request('anthropic', DEFAULT_SETTINGS.model), thinkingBudget: 2048 };
    // A provider that loses the signature on the way: the step's thinking cannot go back.
    const real = the.provider;
    const stripped: ChatProvider = {
      id: real.id,
      label: real.label,
      body: r => real.body(r),
      listModels: () => real.listModels(),
      async *stream(r, o) {
        for await (const part of real.stream(r, o)) {
          yield part.type === 'thinking' ? { type: 'thinking', text: part.text } : part;
        }
      }
    };
    const result = await runToolLoop(stripped, thinking, { maxSteps: 10, pinnedParts: 0, execute: executor([]) });
    expect(result.error?.kind).toBe('invalid_request');
    expect(result.error?.message).toMatch(/must start with a thinking block/);
  });

  it('sends an error result back as is_error and goes on', async () => {
    the.fake.queueReplies({ tool_calls: [{ name: 'shout', input: {} }] }, 'It failed.');
    const result = await runToolLoop(the.provider, request('anthropic', DEFAULT_SETTINGS.model), { maxSteps: 10, pinnedParts: 0, execute: executor([]) });
    expect(result.stopReason).toBe('end_turn');
    expect(calls(result.text)[0]).toMatchObject({ name: 'shout', isError: true, result: expect.stringContaining('TypeError') });
    const body = the.fake.log[1].body as { messages: Array<{ content: Array<Record<string, unknown>> }> };
    expect(body.messages[body.messages.length - 1].content[0]).toMatchObject({ type: 'tool_result', is_error: true });
  });

  it('stops at the step limit with every call answered', async () => {
    the.fake.queueReplies(...Array.from({ length: 5 }, (_, i) => ({ tool_calls: [{ name: 'add', input: { a: i, b: 1 } }] })));
    const result = await runToolLoop(the.provider, request('anthropic', DEFAULT_SETTINGS.model), { maxSteps: 3, pinnedParts: 0, execute: executor([]) });
    expect(result.stopReason).toBe('step_limit');
    expect(result.steps).toBe(3);
    expect(calls(result.text).map(c => c.result)).toEqual(['1', '2', '3']);
    expect(result.notice).toMatch(/limit of 3 steps/);
    expect(the.fake.log.filter(r => r.path === '/v1/messages')).toHaveLength(3);
  });

  it('a stop during a tool ends the loop at once, the call kept with its interrupted result', async () => {
    the.fake.queueReplies({ text: 'Slow one.', tool_calls: [{ name: 'add', input: { a: 1, b: 1 } }, { name: 'shout', input: { s: 'never' } }] }, 'unused');
    const stop = new AbortController();
    const ran: string[] = [];
    const slow: ToolExecutor = (call, signal) =>
      new Promise(resolve => {
        ran.push(call.name);
        signal?.addEventListener('abort', () => resolve({ result: 'KeyboardInterrupt: stopped by the user', isError: true }), { once: true });
        setTimeout(() => stop.abort(), 20);
      });
    const result = await runToolLoop(the.provider, request('anthropic', DEFAULT_SETTINGS.model), { maxSteps: 10, pinnedParts: 0, execute: slow, signal: stop.signal });
    expect(result.stopReason).toBe('stopped');
    expect(ran).toEqual(['add']);
    expect(calls(result.text)).toEqual([{ id: expect.any(String), name: 'add', args: { a: 1, b: 1 }, result: 'KeyboardInterrupt: stopped by the user', isError: true }]);
    expect(the.fake.log.filter(r => r.path === '/v1/messages')).toHaveLength(1);
  });

  it('a lost kernel ends the loop with a message, the reply so far kept', async () => {
    the.fake.queueReplies({ text: 'Trying.', tool_calls: [{ name: 'add', input: { a: 1, b: 1 } }] });
    const dead: ToolExecutor = () => Promise.reject(new Error('the kernel died'));
    const result = await runToolLoop(the.provider, request('anthropic', DEFAULT_SETTINGS.model), { maxSteps: 10, pinnedParts: 0, execute: dead });
    expect(result.stopReason).toBe('error');
    expect(result.error?.message).toMatch(/add could not be run: the kernel died/);
    expect(result.text.startsWith('Trying.')).toBe(true);
    expect(calls(result.text)[0]).toMatchObject({ name: 'add', isError: true });
  });

  it('a provider error mid-loop keeps the calls made', async () => {
    the.fake.queueReplies({ text: 'First.', tool_calls: [{ name: 'add', input: { a: 2, b: 2 } }] });
    the.fake.queueFaults({ kind: 'slow', deltaDelayMs: 0 }, { kind: 'error-event-after', deltas: 0 });
    const result = await runToolLoop(the.provider, request('anthropic', DEFAULT_SETTINGS.model), { maxSteps: 10, pinnedParts: 0, execute: executor([]) });
    expect(result.stopReason).toBe('error');
    expect(result.error?.kind).toBe('overloaded');
    expect(calls(result.text).map(c => c.result)).toEqual(['4']);
  });
});

describe('runToolLoop with OpenAI', () => {
  let fake: FakeOpenAI;
  beforeAll(async () => (fake = await startFakeOpenAI({ deltaDelayMs: 0 })));
  afterAll(() => fake.close());
  beforeEach(() => fake.reset());

  it('streams tool_calls, runs them in order and answers', async () => {
    fake.queueReplies({ text: 'Both.', tool_calls: [{ name: 'add', arguments: { a: 5, b: 6 } }, { name: 'shout', arguments: { s: 'ok' } }] }, 'Eleven and OK.');
    const provider = new OpenAIProvider({ apiKey: 'test-key', baseURL: fake.url, maxRetries: 0 });
    const ran: string[] = [];
    const result = await runToolLoop(provider, request('openai', 'gpt-5.1-mini'), { maxSteps: 10, pinnedParts: 0, execute: executor(ran) });
    expect(result.error).toBeUndefined();
    expect(ran).toEqual(['add', 'shout']);
    expect(calls(result.text).map(c => c.result)).toEqual(['11', 'OK']);
    expect(result.text.endsWith('Eleven and OK.')).toBe(true);
    const body = fake.log.filter(r => r.path === '/v1/chat/completions')[1].body as { messages: Array<Record<string, unknown>> };
    expect(body.messages.slice(-3).map(m => [m.role, m.tool_call_id ?? null, m.content])).toEqual([
      ['assistant', null, 'Both.'],
      ['tool', 'call_1_0_fake', '11'],
      ['tool', 'call_1_1_fake', 'OK']
    ]);
  });
});
