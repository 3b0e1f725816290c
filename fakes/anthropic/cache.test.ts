/**
 * Prompt-cache accounting (see cache.ts for the rules), observed through the SDK's usage.
 */
import Anthropic from '@anthropic-ai/sdk';
import { LOOKBACK_BLOCKS } from './cache';
import { findModel } from './models';
import { FakeAnthropic, startFakeAnthropic } from './server';
import { IMAGES, expectApiError, rawRequest, sdkClient, textOfTokens } from './testing';
import { TOKENS, textTokens, toolTokens } from './tokens';

type Params = Anthropic.MessageCreateParamsNonStreaming;
type Block = Anthropic.TextBlockParam;

const MODEL = 'claude-sonnet-4-6';
const MIN = findModel(MODEL)!.minCacheTokens;
const DOCS = textOfTokens(1500, 'docs');
const MORE_DOCS = textOfTokens(1500, 'more');
const MINUTE = 60_000;
const TOOL_A: Anthropic.Tool = { name: 'a', input_schema: { type: 'object' } };
const TOOL_B: Anthropic.Tool = { name: 'b', input_schema: { type: 'object' } };

/** A text block, with a breakpoint if a TTL is given ('5m' is sent as the default). */
function text(t: string, ttl?: '5m' | '1h'): Block {
  if (!ttl) {
    return { type: 'text', text: t };
  }
  return { type: 'text', text: t, cache_control: ttl === '1h' ? { type: 'ephemeral', ttl } : { type: 'ephemeral' } };
}

/** A request with this system prompt and these turns (a last user turn 'q' by default). */
function req(system: Block[], messages: Anthropic.MessageParam[] = [{ role: 'user', content: 'q' }], extra: Partial<Params> = {}): Params {
  return { model: MODEL, max_tokens: 100, system, messages, ...extra };
}

/** The cache-relevant part of a usage. */
interface Seen {
  read: number;
  write: number;
  w5: number;
  w1: number;
  input: number;
}

/** Tokens of a one-block user turn ('q' unless given): header plus text. */
const turn = (t = 'q') => TOKENS.messageOverhead + textTokens(t);
/** The uncached tail of a request whose last turn is `t`. */
const tail = (t = 'q') => turn(t) + TOKENS.promptEnd;
const write5 = (n: number, input: number): Seen => ({ read: 0, write: n, w5: n, w1: 0, input });
const read = (n: number, input: number): Seen => ({ read: n, write: 0, w5: 0, w1: 0, input });
const none = (input: number): Seen => ({ read: 0, write: 0, w5: 0, w1: 0, input });

let clock = 0;
let fake: FakeAnthropic;
let client: Anthropic;
beforeAll(async () => {
  fake = await startFakeAnthropic({ now: () => clock, deltaDelayMs: 0 });
  client = sdkClient(fake);
});
beforeEach(() => {
  fake.reset();
  clock = 1_700_000_000_000;
});
afterAll(() => fake.close());

/** Send a request (streamed, so usage comes the way the app reads it) and return its cache usage. */
async function send(params: Params): Promise<Seen> {
  const { usage } = await client.messages.stream(params).finalMessage();
  return {
    read: usage.cache_read_input_tokens ?? -1,
    write: usage.cache_creation_input_tokens ?? -1,
    w5: usage.cache_creation?.ephemeral_5m_input_tokens ?? -1,
    w1: usage.cache_creation?.ephemeral_1h_input_tokens ?? -1,
    input: usage.input_tokens
  };
}

/** One request of a scenario: how long after the previous one, what, and the usage expected. */
type Step = [advanceMs: number, params: Params, expected: Seen];

/** A user turn of `n` small blocks, the last one a breakpoint. */
function smallBlocks(n: number): Anthropic.MessageParam {
  return { role: 'user', content: Array.from({ length: n }, (_, i) => text(`x${i}`, i === n - 1 ? '5m' : undefined)) };
}

/** Turns for the lookback rows: the cached first turn, an answer, then `n` small blocks. */
function lookback(n: number, keepFirstBreakpoint = false): Anthropic.MessageParam[] {
  return [
    { role: 'user', content: [text('m0', keepFirstBreakpoint ? '5m' : undefined)] },
    { role: 'assistant', content: 'a' },
    smallBlocks(n)
  ];
}
/** Tokens up to the first turn's block; and of the answer plus `n` small blocks. */
const FIRST_TURN = textTokens(DOCS) + turn('m0');
const after = (n: number) => turn('a') + TOKENS.messageOverhead + n * textTokens('x0');

describe('cache accounting', () => {
  it.each<[string, Step[]]>([
    [
      '(a) a breakpoint after a long enough prefix writes it; the same prefix then reads it',
      [
        [0, req([text(DOCS, '5m')]), write5(textTokens(DOCS), tail())],
        [MINUTE, req([text(DOCS, '5m')], [{ role: 'user', content: 'another question' }]), read(textTokens(DOCS), tail('another question'))]
      ]
    ],
    [
      '(b) below the minimum nothing is cached and every field reads 0',
      [
        [0, req([text(textOfTokens(MIN - 1), '5m')]), none(MIN - 1 + tail())],
        [0, req([text(textOfTokens(MIN - 1), '5m')]), none(MIN - 1 + tail())]
      ]
    ],
    ['(b) exactly the minimum is cached', [[0, req([text(textOfTokens(MIN), '5m')]), write5(MIN, tail())]]],
    [
      '(b) a short first breakpoint is not written, a long enough later one is',
      [
        [0, req([text(textOfTokens(100), '5m'), text(DOCS, '5m')]), write5(100 + textTokens(DOCS), tail())],
        [0, req([text(textOfTokens(100), '5m')]), none(100 + tail())]
      ]
    ],
    [
      '(c) a change in the system text misses',
      [
        [0, req([text(DOCS, '5m')]), write5(textTokens(DOCS), tail())],
        [0, req([text('X' + DOCS.slice(1), '5m')]), write5(textTokens(DOCS), tail())]
      ]
    ],
    [
      '(c) a change after the breakpoint still hits',
      [
        [0, req([text(DOCS, '5m'), text('volatile 1')]), write5(textTokens(DOCS), textTokens('volatile 1') + tail())],
        [0, req([text(DOCS, '5m'), text('volatile 2')]), read(textTokens(DOCS), textTokens('volatile 2') + tail())]
      ]
    ],
    [
      '(c) another model misses',
      [
        [0, req([text(DOCS, '5m')]), write5(textTokens(DOCS), tail())],
        [0, req([text(DOCS, '5m')], undefined, { model: 'claude-opus-4-8' }), write5(textTokens(DOCS), tail())]
      ]
    ],
    [
      `(d) a breakpoint ${LOOKBACK_BLOCKS} blocks after the cached one still finds it`,
      [
        [0, req([text(DOCS)], [{ role: 'user', content: [text('m0', '5m')] }]), write5(FIRST_TURN, TOKENS.promptEnd)],
        // 1 answer block + 19 small blocks: the new breakpoint is 20 blocks after the cached one.
        [0, req([text(DOCS)], lookback(LOOKBACK_BLOCKS - 1)), { ...write5(after(LOOKBACK_BLOCKS - 1), TOKENS.promptEnd), read: FIRST_TURN }]
      ]
    ],
    [
      `(d) a breakpoint ${LOOKBACK_BLOCKS + 1} blocks after the cached one misses`,
      [
        [0, req([text(DOCS)], [{ role: 'user', content: [text('m0', '5m')] }]), write5(FIRST_TURN, TOKENS.promptEnd)],
        [0, req([text(DOCS)], lookback(LOOKBACK_BLOCKS)), write5(FIRST_TURN + after(LOOKBACK_BLOCKS), TOKENS.promptEnd)]
      ]
    ],
    [
      '(d) keeping a breakpoint at the end of the previous turn rescues the long run',
      [
        [0, req([text(DOCS)], [{ role: 'user', content: [text('m0', '5m')] }]), write5(FIRST_TURN, TOKENS.promptEnd)],
        [0, req([text(DOCS)], lookback(LOOKBACK_BLOCKS, true)), { ...write5(after(LOOKBACK_BLOCKS), TOKENS.promptEnd), read: FIRST_TURN }]
      ]
    ],
    [
      '(e) a 5m entry is read within 5 minutes, and each read extends it',
      [
        [0, req([text(DOCS, '5m')]), write5(textTokens(DOCS), tail())],
        [5 * MINUTE - 1, req([text(DOCS, '5m')]), read(textTokens(DOCS), tail())],
        [5 * MINUTE - 1, req([text(DOCS, '5m')]), read(textTokens(DOCS), tail())]
      ]
    ],
    [
      '(e) a read found by looking back refreshes that entry too',
      [
        [0, req([text(DOCS)], [{ role: 'user', content: [text('m0', '5m')] }]), write5(FIRST_TURN, TOKENS.promptEnd)],
        [4 * MINUTE, req([text(DOCS)], lookback(5)), { ...write5(after(5), TOKENS.promptEnd), read: FIRST_TURN }],
        // 8 minutes after it was written, the first entry lives on thanks to the read at 4.
        [4 * MINUTE, req([text(DOCS)], [{ role: 'user', content: [text('m0', '5m')] }]), read(FIRST_TURN, TOKENS.promptEnd)]
      ]
    ],
    [
      '(e) a 5m entry expires 5 minutes after its last use',
      [
        [0, req([text(DOCS, '5m')]), write5(textTokens(DOCS), tail())],
        [5 * MINUTE, req([text(DOCS, '5m')]), write5(textTokens(DOCS), tail())]
      ]
    ],
    [
      '(e) a 1h entry lives an hour',
      [
        [0, req([text(DOCS, '1h')]), { read: 0, write: textTokens(DOCS), w5: 0, w1: textTokens(DOCS), input: tail() }],
        [59 * MINUTE, req([text(DOCS, '1h')]), read(textTokens(DOCS), tail())],
        [60 * MINUTE, req([text(DOCS, '1h')]), { read: 0, write: textTokens(DOCS), w5: 0, w1: textTokens(DOCS), input: tail() }]
      ]
    ],
    [
      '(f) writes are split by the TTL of the breakpoint that ends them',
      [
        [0, req([text(DOCS, '1h'), text(MORE_DOCS, '5m')]), { read: 0, write: 3000, w5: 1500, w1: 1500, input: tail() }],
        // Ten minutes on, only the 1h entry is left: it is read, the rest written again.
        [10 * MINUTE, req([text(DOCS, '1h'), text(MORE_DOCS, '5m')]), { read: 1500, write: 1500, w5: 1500, w1: 0, input: tail() }]
      ]
    ],
    [
      '(f) a top-level 1h cache_control marks the last block',
      [[0, req([text(DOCS)], undefined, { cache_control: { type: 'ephemeral', ttl: '1h' } }), { read: 0, write: 1500 + turn(), w5: 0, w1: 1500 + turn(), input: TOKENS.promptEnd }]]
    ],
    [
      'tools come first: changing them misses the system entry',
      [
        [0, req([text(DOCS, '5m')], undefined, { tools: [TOOL_A] }), write5(toolTokens({ ...TOOL_A }) + 1500, tail())],
        [0, req([text(DOCS, '5m')], undefined, { tools: [TOOL_B] }), write5(toolTokens({ ...TOOL_B }) + 1500, tail())]
      ]
    ],
    [
      'tool_choice shapes the messages: changing it misses message entries, not system ones',
      [
        [0, req([text(DOCS, '5m')], [{ role: 'user', content: [text('m0', '5m')] }], { tool_choice: { type: 'auto' } }), write5(FIRST_TURN, TOKENS.promptEnd)],
        [0, req([text(DOCS, '5m')], [{ role: 'user', content: [text('m0', '5m')] }], { tool_choice: { type: 'none' } }), { ...write5(turn('m0'), TOKENS.promptEnd), read: textTokens(DOCS) }]
      ]
    ]
  ])('%s', async (_name, steps) => {
    for (const [i, [advance, params, expected]] of steps.entries()) {
      clock += advance;
      // The step number makes a failure say which request of the scenario went wrong.
      expect([i, await send(params)]).toEqual([i, expected]);
    }
  });

  it('(g) more than 4 breakpoints is a 400', async () => {
    const body = req([1, 2, 3].map(i => text(`${i} ${DOCS}`, '5m')), [{ role: 'user', content: [text('a', '5m'), text('b', '5m')] }]);
    const message = expectApiError(await rawRequest(fake, '/v1/messages', { body }), 400, 'invalid_request_error');
    expect(message).toMatch(/Found 5/);
  });

  it.each<[string, Params]>([
    ['a plain question', req([], [{ role: 'user', content: 'How do I read a CSV?' }])],
    ['cached docs', req([text(DOCS, '1h'), text(MORE_DOCS, '5m')])],
    ['a dialogue with a rolling breakpoint', req([text(DOCS, '5m')], [{ role: 'user', content: 'a' }, { role: 'assistant', content: [text('b', '5m')] }, { role: 'user', content: 'c' }])],
    ['an image and a document', req([], [{ role: 'user', content: [{ type: 'image', source: { type: 'base64', media_type: 'image/png', data: IMAGES['image/png'] } }, { type: 'document', source: { type: 'text', media_type: 'text/plain', data: DOCS }, title: 'docs', cache_control: { type: 'ephemeral' } }, text('explain')] }])],
    ['tools and thinking', req([text(DOCS, '5m')], undefined, { tools: [{ name: 'f', description: 'does f', input_schema: { type: 'object' } }], max_tokens: 2048, thinking: { type: 'enabled', budget_tokens: 1024 } })],
    ['a top-level breakpoint', req([text(DOCS)], undefined, { cache_control: { type: 'ephemeral' } })]
  ])('(h) count_tokens equals input + cache read + cache write, cold and warm: %s', async (_name, params) => {
    const { max_tokens: _max, ...countable } = params;
    const { input_tokens: counted } = await client.messages.countTokens(countable);
    for (const pass of ['cold', 'warm']) {
      const seen = await send(params);
      expect([pass, seen.input + seen.read + seen.write]).toEqual([pass, counted]);
    }
  });
});

describe('when entries become readable', () => {
  it('at the start of the response: a request that overlaps the first one misses', async () => {
    const params = req([text(DOCS, '5m')]);
    fake.queueFaults({ kind: 'delay-first-byte', ms: 1000 });
    const first = send(params);
    // The fake logs a request in the same tick as it looks the prompt up in the cache.
    while (fake.log.length === 0) {
      await new Promise(resolve => setTimeout(resolve, 5));
    }
    const overlapping = await send(params);
    expect([await first, overlapping]).toEqual([write5(1500, tail()), write5(1500, tail())]);
    expect(await send(params)).toEqual(read(1500, tail()));
  });

  it('message_start already carries the final input usage', async () => {
    await send(req([text(DOCS, '5m')]));
    const stream = await client.messages.create({ ...req([text(DOCS, '5m')]), stream: true });
    const usages: Array<Record<string, unknown>> = [];
    for await (const event of stream) {
      if (event.type === 'message_start') {
        usages.push({ ...event.message.usage });
      } else if (event.type === 'message_delta') {
        usages.push({ ...event.usage });
      }
    }
    const pick = ({ input_tokens, cache_read_input_tokens, cache_creation_input_tokens }: Record<string, unknown>) => ({
      input_tokens,
      cache_read_input_tokens,
      cache_creation_input_tokens
    });
    const warm = { input_tokens: tail(), cache_read_input_tokens: 1500, cache_creation_input_tokens: 0 };
    expect(usages.map(pick)).toEqual([warm, warm]);
  });

  it('pre-warming (max_tokens 0) writes the cache for the next request', async () => {
    const warm = await client.messages.create(req([text(DOCS, '5m')], undefined, { max_tokens: 0 }));
    expect(warm.usage).toMatchObject({ cache_creation_input_tokens: 1500, output_tokens: 0 });
    expect(await send(req([text(DOCS, '5m')]))).toEqual(read(1500, tail()));
  });
});
