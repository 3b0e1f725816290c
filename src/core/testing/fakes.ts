/**
 * The fake Anthropic server for a jest file: started once, reset before each test.
 */
import { FakeAnthropic, startFakeAnthropic } from '../../../fakes/anthropic/server';
import { AnthropicProvider } from '../providers/anthropic';

/** The fake and a provider talking to it, filled in by the jest hooks. */
export interface FakeAnthropicHandle {
  fake: FakeAnthropic;
  provider: AnthropicProvider;
}

/**
 * Register jest hooks that start the fake (no stream delay), reset it before each test and
 * close it at the end.
 */
export function useFakeAnthropic(): FakeAnthropicHandle {
  const handle = {} as FakeAnthropicHandle;
  beforeAll(async () => {
    handle.fake = await startFakeAnthropic({ deltaDelayMs: 0 });
    handle.provider = new AnthropicProvider({ apiKey: 'test-key', baseURL: handle.fake.url, maxRetries: 0 });
  });
  afterAll(() => handle.fake.close());
  beforeEach(() => handle.fake.reset());
  return handle;
}
