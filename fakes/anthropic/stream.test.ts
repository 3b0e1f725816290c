/**
 * Replies through the real SDK: streamed (`messages.stream`, raw events, SSE framing) and
 * not, default and canned texts, and the ways a reply is cut short.
 */
import Anthropic from '@anthropic-ai/sdk';
import { defaultReplyText } from './reply';
import { FakeAnthropic, startFakeAnthropic } from './server';
import { rawRequest, sdkClient } from './testing';
import { textTokens } from './tokens';

const MODEL = 'claude-sonnet-4-6';

let fake: FakeAnthropic;
let client: Anthropic;
beforeAll(async () => {
  fake = await startFakeAnthropic({ deltaDelayMs: 1 });
  client = sdkClient(fake);
});
beforeEach(() => fake.reset());
afterAll(() => fake.close());

/** A one-turn request. */
function ask(prompt: string, extra: Partial<Anthropic.MessageCreateParamsNonStreaming> = {}): Anthropic.MessageCreateParamsNonStreaming {
  return { model: MODEL, max_tokens: 1024, messages: [{ role: 'user', content: prompt }], ...extra };
}

describe('streaming through messages.stream()', () => {
  it('streams the default reply as text events and a final message with usage', async () => {
    const prompt = 'Plot a sine wave with matplotlib, please, with a title and labelled axes.';
    const stream = client.messages.stream(ask(prompt));
    const deltas: string[] = [];
    stream.on('text', delta => deltas.push(delta));
    const message = await stream.finalMessage();

    const expected = defaultReplyText(1, prompt);
    expect(deltas.join('')).toBe(expected);
    expect(deltas.length).toBeGreaterThan(3);
    expect(message.content).toEqual([{ type: 'text', text: expected, citations: null }]);
    expect(message.stop_reason).toBe('end_turn');
    const { input_tokens } = await client.messages.countTokens({ model: MODEL, messages: [{ role: 'user', content: prompt }] });
    expect(message.usage).toMatchObject({
      input_tokens,
      output_tokens: textTokens(expected),
      cache_read_input_tokens: 0,
      cache_creation_input_tokens: 0
    });
  });

  it('numbers default replies per server, from 1 again after a reset', async () => {
    const texts = [];
    for (const prompt of ['one', 'two']) {
      texts.push(await client.messages.stream(ask(prompt)).finalText());
    }
    fake.reset();
    texts.push(await client.messages.stream(ask('three')).finalText());
    expect(texts).toEqual([defaultReplyText(1, 'one'), defaultReplyText(2, 'two'), defaultReplyText(1, 'three')]);
  });

  it('quotes the last user text block, whitespace collapsed, cut at 80 characters', async () => {
    const long = 'word\n'.repeat(40);
    const request = ask('', {
      messages: [
        { role: 'user', content: 'first turn' },
        { role: 'assistant', content: 'ok' },
        { role: 'user', content: [{ type: 'text', text: 'ignored' }, { type: 'text', text: long }] }
      ]
    });
    const text = await client.messages.stream(request).finalText();
    expect(text.split('\n')[0]).toBe(`Fake reply #1 to: "${'word '.repeat(16).slice(0, 80)}"`);
  });

  it.each([
    ['a short one', 'Done.'],
    ['one with a fenced code block', 'Here:\n\n```python\nimport numpy as np\nprint(np.arange(3))\n```\n\nThat prints `[0 1 2]`.'],
    ['one with a nested fence', '````markdown\n```js\nconsole.log(1)\n```\n````\n'],
    ['one with unicode and odd spacing', 'Ünïcödé 🤖  two  spaces\ttab\n\n\nthree newlines '],
    ['a long one', Array.from({ length: 3000 }, (_, i) => `w${i}`).join(' ')]
  ])('returns canned replies exactly: %s', async (_name, reply) => {
    fake.queueReplies(reply, reply);
    const request = ask('q', { max_tokens: 16_000 });
    expect(await client.messages.stream(request).finalText()).toBe(reply);
    const message = await client.messages.create(request);
    expect(message.content).toEqual([{ type: 'text', text: reply, citations: null }]);
  });

  it('delivers deltas over time, not all at once', async () => {
    const slow = await startFakeAnthropic({ deltaDelayMs: 25 });
    try {
      slow.queueReplies(Array.from({ length: 30 }, (_, i) => `w${i}`).join(' '));
      const times: number[] = [];
      const stream = sdkClient(slow).messages.stream(ask('q'));
      stream.on('text', () => times.push(Date.now()));
      await stream.finalMessage();
      expect(times.length).toBe(10);
      // Nine gaps of 25 ms: allow for timer slack, but not for a burst.
      expect(times[times.length - 1] - times[0]).toBeGreaterThanOrEqual(9 * 20);
    } finally {
      await slow.close();
    }
  });
});

describe('cutting a reply short', () => {
  const long = Array.from({ length: 200 }, (_, i) => `word${i}`).join(' ');
  it.each<[string, Partial<Anthropic.MessageCreateParamsNonStreaming>, string, Anthropic.StopReason, string | null]>([
    ['max_tokens', { max_tokens: 10 }, long.slice(0, 40), 'max_tokens', null],
    ['a stop sequence', { stop_sequences: ['word3 ', 'word7'] }, 'word0 word1 word2 ', 'stop_sequence', 'word3 '],
    ['a stop sequence that is not there', { stop_sequences: ['zzz'] }, long, 'end_turn', null]
  ])('by %s', async (_name, extra, text, stopReason, stopSequence) => {
    fake.queueReplies(long, long);
    for (const message of [await client.messages.stream(ask('q', extra)).finalMessage(), await client.messages.create(ask('q', extra))]) {
      expect(message.content).toEqual([{ type: 'text', text, citations: null }]);
      expect(message.stop_reason).toBe(stopReason);
      expect(message.stop_sequence).toBe(stopSequence);
      expect(message.usage.output_tokens).toBe(textTokens(text));
    }
  });
});

describe('raw events', () => {
  it('come in the documented order', async () => {
    const stream = await client.messages.create({ ...ask('q'), stream: true });
    const types: string[] = [];
    for await (const event of stream) {
      types.push(event.type === 'content_block_delta' ? `delta:${event.delta.type}` : event.type);
    }
    expect(types.join(' ')).toMatch(
      /^message_start content_block_start (delta:text_delta ){2,}content_block_stop message_delta message_stop$/
    );
  });

  it('are SSE frames whose event name is their data type, pings included', async () => {
    const answer = await fetch(`${fake.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': 'test-key', 'anthropic-version': '2026-10-21' },
      body: JSON.stringify({ ...ask('q'), stream: true })
    });
    expect(answer.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(answer.headers.get('request-id')).toMatch(/^req_/);
    const frames = (await answer.text()).split('\n\n').filter(Boolean);
    for (const frame of frames) {
      const [, event, data] = /^event: (\w+)\ndata: (.*)$/.exec(frame) ?? [];
      expect(JSON.parse(data).type).toBe(event);
    }
    const events = frames.map(f => f.split('\n')[0].slice('event: '.length));
    expect(events.slice(0, 2)).toEqual(['message_start', 'ping']);
    expect(events.filter(e => e === 'ping').length).toBe(2);
    const start = JSON.parse(frames[0].split('data: ')[1]).message;
    expect(start).toMatchObject({ content: [], stop_reason: null, usage: { output_tokens: 1 } });
    expect(start.id).toMatch(/^msg_/);
  });

  it('include thinking and signature deltas when thinking is enabled', async () => {
    const request = ask('think first', { max_tokens: 4096, thinking: { type: 'enabled', budget_tokens: 2048 } });
    const stream = client.messages.stream(request);
    const thinking: string[] = [];
    const signatures: string[] = [];
    stream.on('thinking', delta => thinking.push(delta));
    stream.on('signature', signature => signatures.push(signature));
    const message = await stream.finalMessage();

    expect(message.content.map(b => b.type)).toEqual(['thinking', 'text']);
    const block = message.content[0] as Anthropic.ThinkingBlock;
    expect(thinking.join('')).toBe(block.thinking);
    expect(signatures).toEqual([block.signature]);
    expect(message.usage.output_tokens_details?.thinking_tokens).toBe(textTokens(block.thinking));
    expect(message.usage.output_tokens).toBe(textTokens(block.thinking) + textTokens(defaultReplyText(1, 'think first')));

    // Passed back unmodified, the block is accepted.
    const next = await client.messages.create({
      ...request,
      messages: [...request.messages, { role: 'assistant', content: message.content }, { role: 'user', content: 'go on' }]
    });
    expect(next.stop_reason).toBe('end_turn');
  });
});

describe('without streaming', () => {
  it('returns the whole message', async () => {
    const message = await client.messages.create(ask('hello'));
    expect(message).toMatchObject({
      type: 'message',
      role: 'assistant',
      model: MODEL,
      stop_reason: 'end_turn',
      stop_sequence: null,
      content: [{ type: 'text', text: defaultReplyText(1, 'hello') }]
    });
    expect(message.id).toMatch(/^msg_[0-9A-Za-z]{24}$/);
  });

  it('pre-warms with max_tokens 0: no content, no output, no reply number used', async () => {
    const message = await client.messages.create(ask('warm', { max_tokens: 0 }));
    expect(message.content).toEqual([]);
    expect(message.stop_reason).toBe('max_tokens');
    expect(message.usage.output_tokens).toBe(0);
    expect(await client.messages.stream(ask('next')).finalText()).toBe(defaultReplyText(1, 'next'));
  });
});

describe('aborting', () => {
  it('stops the stream and logs the request as aborted', async () => {
    fake.queueReplies(Array.from({ length: 3000 }, (_, i) => `w${i}`).join(' '));
    const stream = client.messages.stream(ask('q'));
    await new Promise<void>(resolve => stream.on('text', () => resolve()));
    stream.abort();
    await expect(stream.finalMessage()).rejects.toThrow(Anthropic.APIUserAbortError);
    await new Promise(resolve => setTimeout(resolve, 50));
    expect(fake.log[fake.log.length - 1]).toMatchObject({ path: '/v1/messages', stream: true, status: 200, outcome: 'aborted' });
  });
});

describe('count_tokens and the log', () => {
  it('counts through the SDK and logs usage, body and redacted headers', async () => {
    const count = await client.messages.countTokens({ model: MODEL, system: 'sys', messages: [{ role: 'user', content: 'hello' }] });
    expect(count).toEqual({ input_tokens: textTokens('sys') + 4 + textTokens('hello') + 3 });
    const entry = fake.log[fake.log.length - 1];
    expect(entry).toMatchObject({
      method: 'POST',
      path: '/v1/messages/count_tokens',
      status: 200,
      usage: count,
      body: { model: MODEL, system: 'sys' },
      headers: { authorization: 'Bearer REDACTED', 'anthropic-version': '2026-10-21' }
    });
    expect(JSON.stringify(fake.log)).not.toContain('test-key');
    const viaHttp = await rawRequest(fake, '/_fake/log');
    expect(viaHttp.body).toEqual(JSON.parse(JSON.stringify(fake.log)));
  });
});
