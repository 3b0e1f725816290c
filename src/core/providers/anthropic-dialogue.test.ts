/**
 * Requests with the dialogue features (pinned cells, images, variables) against the strict
 * fake Anthropic server, and token counting through its counting endpoint.
 */
import { FakeAnthropic, startFakeAnthropic } from '../../../fakes/anthropic/server';
import { preparePrompt } from '../request/assemble';
import { streamReply } from '../reply/reply';
import { DEFAULT_SETTINGS } from '../settings';
import { ai, code, note, notebook } from '../testing/notebooks';
import { AnthropicProvider } from './anthropic';

/** A real 1×1 PNG, as a notebook stores it (with a line break). */
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwAD\nhgGAWjR9awAAAABJRU5ErkJggg==\n';

let fake: FakeAnthropic;
beforeAll(async () => {
  fake = await startFakeAnthropic({ deltaDelayMs: 1 });
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => fake.reset());

const provider = () => new AnthropicProvider({ apiKey: 'test-key', baseURL: fake.url, maxRetries: 0, keyEnv: 'ANTHROPIC_API_KEY' });

const dialog = notebook(
  note('intro', 'A plot of the data.'),
  code('plot', 'plt.plot(xs)', [{ output_type: 'display_data', data: { 'image/png': PNG, 'text/plain': '<Figure>' } }], 1),
  note('rules', 'Always use numpy.', { pinned: true }),
  code('noise', 'print("debug")', [], 2, { skipped: true }),
  ai('q1', 'What does it show?', 'A line.'),
  ai('q2', 'And $`n`?')
);

describe('requests with flags, images and variables', () => {
  it.each([
    ['with images', true],
    ['without images', false]
  ])('the fake accepts the request %s and the reply streams', async (_name, images) => {
    const { request } = preparePrompt(dialog, 5, { settings: DEFAULT_SETTINGS, images, variables: { n: '3' } });
    const result = await streamReply(provider(), request);
    expect(result.error).toBeUndefined();
    const body = fake.log.find(r => r.path === '/v1/messages')?.body as { messages: { content: { type: string; text?: string }[] }[] };
    const blocks = body.messages[0].content;
    expect(blocks.map(b => b.type)).toEqual(images ? ['text', 'text', 'image', 'text'] : ['text', 'text']);
    expect(blocks[0].text).toContain('Always use numpy.');
    expect(JSON.stringify(body)).not.toContain('debug');
    expect(JSON.stringify(body.messages[2])).toContain('<variable name=\\"n\\">\\n3\\n</variable>');
  });

  it('counts the tokens of the exact request', async () => {
    const { request } = preparePrompt(dialog, 5, { settings: DEFAULT_SETTINGS, images: true, variables: { n: '3' } });
    const count = await provider().countTokens(request);
    expect(count).toBeGreaterThan(10);
    const logged = fake.log.find(r => r.path === '/v1/messages/count_tokens');
    expect(logged?.status).toBe(200);
    expect(logged?.usage).toEqual({ input_tokens: count });
    const { max_tokens: _m, stream: _s, ...expected } = provider().body(request);
    expect(logged?.body).toEqual(expected);
  });

  it('says why counting failed', async () => {
    fake.queueFaults({ kind: 'status', status: 401, type: 'authentication_error', message: 'bad key' });
    await expect(provider().countTokens(preparePrompt(dialog, 4, { settings: DEFAULT_SETTINGS }).request)).rejects.toThrow(/401/);
  });
});
