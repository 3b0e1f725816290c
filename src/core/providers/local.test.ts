/**
 * The local provider's docs prefix that outlives the server, against the fake playing
 * llama.cpp's server (slots saved as files under a directory, as `--slot-save-path` does):
 * computed once and saved, kept while the server holds it, restored after a restart.
 */
import { mkdtempSync, readdirSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { FakeOpenAI, startFakeOpenAI } from '../../../fakes/openai/server';
import { streamReply } from '../reply/reply';
import { ChatRequest } from '../types';
import { LlamaSlotCache, slotFileName } from './llama-slots';
import { LocalProvider, RESTORE_NOT_REUSED } from './local';

let dir: string;
let fake: FakeOpenAI;

/** Start the fake llama server on the shared slot directory. */
const start = (more: { loadingMs?: number; restoreIgnored?: boolean; templateTools?: boolean } = {}) =>
  startFakeOpenAI({ deltaDelayMs: 0, apiKeys: [], llama: { slotSavePath: dir, alias: 'smollm2', ...more } });

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'aimagic-slots-'));
  LlamaSlotCache.forget();
  fake = await start();
});

afterEach(async () => {
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
});

const DOCS = [{ title: 'Guide', source: 'guide.md', text: 'The guide explains the library in detail. '.repeat(200) }];

/** A request with the docs and a question. */
function request(question: string, docs = DOCS): ChatRequest {
  return { model: 'smollm2', maxTokens: 64, system: 'You are helpful.', docs, turns: [{ role: 'user', parts: [{ type: 'text', text: question }] }] };
}

/** Send and wait for the save that may follow. */
async function ask(provider: LocalProvider, req: ChatRequest) {
  const result = await streamReply(provider, req);
  await provider.idle();
  return { result, state: provider.lastPrefixState };
}

describe('LocalProvider with llama.cpp slots', () => {
  it('saves a computed prefix, keeps it warm, and restores it after a restart', async () => {
    const first = await ask(new LocalProvider({ rootURL: fake.root }), request('What is it?'));
    expect(first.result.error).toBeUndefined();
    expect(first.state).toBe('cold');
    expect(first.result.usage.cacheRead).toBe(0);
    expect(readdirSync(dir)).toEqual([slotFileName(request('x'))]);

    const warm = await ask(new LocalProvider({ rootURL: fake.root }), request('And then?'));
    expect(warm.state).toBe('warm');
    expect(warm.result.usage.cacheRead).toBeGreaterThan(2000);
    expect(fake.log.filter(r => r.path.includes('action=restore'))).toHaveLength(1); // only the cold one tried

    await fake.close();
    fake = await start();
    const restored = await ask(new LocalProvider({ rootURL: fake.root }), request('Once more?'));
    expect(restored.state).toBe('restored');
    expect(restored.result.usage.cacheRead).toBe(warm.result.usage.cacheRead);
    expect(restored.result.notice).toBe('prefix restored from disk');
    expect(warm.result.notice).toBeUndefined();
  });

  it('restores when another request took the slot in between', async () => {
    const provider = new LocalProvider({ rootURL: fake.root });
    await ask(provider, request('First'));
    await ask(provider, request('Other docs', [{ title: 'Other', source: 'o.md', text: 'Something else entirely. '.repeat(100) }]));
    const back = await ask(provider, request('Back to the guide'));
    expect(back.state).toBe('restored');
    expect(back.result.usage.cacheRead).toBeGreaterThan(2000);
  });

  it.each([
    ['a server without slot endpoints (not llama.cpp)', { apiKeys: [] }],
    ['slots turned off in the provider', null]
  ])('%s: replies as usual', async (_name, options) => {
    const plain = options ? await startFakeOpenAI({ ...options, deltaDelayMs: 0 }) : fake;
    try {
      const provider = new LocalProvider({ rootURL: plain.root, slotCache: options !== null });
      const { result, state } = await ask(provider, { ...request('Hi'), model: 'gpt-4.1' });
      expect(result.error).toBeUndefined();
      expect(state).toBe('unsupported');
      expect(readdirSync(dir)).toEqual([]);
    } finally {
      if (plain !== fake) {
        await plain.close();
      }
    }
  });

  it('a restore answered with success but not used: the footer says so, and the prefix is saved again', async () => {
    await ask(new LocalProvider({ rootURL: fake.root }), request('What is it?'));
    await fake.close();
    LlamaSlotCache.forget();
    fake = await start({ restoreIgnored: true });
    const provider = new LocalProvider({ rootURL: fake.root });
    const after = await ask(provider, request('Once more?'));
    expect(after.result.error).toBeUndefined();
    expect(after.result.usage.cacheRead).toBe(0);
    expect(after.result.notice).toBe(RESTORE_NOT_REUSED);
    expect(after.state).toBe('cold');
    expect(fake.log.map(r => r.path.replace(/^\/slots\/0\?action=/, '')).filter(p => p === 'restore' || p === 'save')).toEqual(['restore', 'save']);
  });

  it('a server still loading its model: the cell hears so, then the reply comes', async () => {
    await fake.close();
    fake = await start({ loadingMs: 1500 });
    const statuses: string[] = [];
    const result = await streamReply(new LocalProvider({ rootURL: fake.root }), request('Hi'), { onStatus: text => statuses.push(text) });
    expect(result.error).toBeUndefined();
    expect(result.text).not.toBe('');
    expect(statuses[0]).toBe('Loading model');
    expect(statuses[statuses.length - 1]).toBe('Waiting for the reply…');
    expect(fake.log.filter(r => r.path === '/health' && r.status === 503).length).toBeGreaterThanOrEqual(1);
  });

  it('a local server that is down: a message naming it and what to do', async () => {
    const root = fake.root;
    await fake.close();
    const result = await streamReply(new LocalProvider({ rootURL: root, endpoint: root }), request('Hi'));
    expect(result.error?.kind).toBe('network');
    expect(result.error?.message).toMatch(new RegExp(`Could not connect to The local model server at ${root}.*server is running.*jupyter aimagic engine start`));
    fake = await start();
  });
});

describe('LocalProvider and tools', () => {
  const ADD = { name: 'add', description: 'Add two numbers.', parameters: { type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } }, required: ['a', 'b'] } };
  const withTools = (): ChatRequest => ({ ...request('What is 1 + 2?', []), tools: [ADD] });

  it('refuses to send tools that the model\'s chat template would drop, and says so', async () => {
    await fake.close();
    fake = await start({ templateTools: false });
    const result = await streamReply(new LocalProvider({ rootURL: fake.root }), withTools());
    expect(result.error?.kind).toBe('unsupported');
    expect(result.error?.message).toMatch(/serves smollm2, whose chat template takes no tools.*&`add`.*Anthropic or OpenAI/);
    expect(fake.log.filter(r => r.path === '/v1/chat/completions')).toHaveLength(0);
  });

  it('sends tools to a model whose template takes them, asking /props once', async () => {
    const provider = new LocalProvider({ rootURL: fake.root });
    fake.queueReplies({ tool_calls: [{ name: 'add', arguments: { a: 1, b: 2 } }] }, 'Three.');
    const first = await streamReply(provider, withTools());
    expect(first.error).toBeUndefined();
    expect(first.stopReason).toBe('tool_use');
    const second = await streamReply(provider, { ...withTools(), turns: [...withTools().turns] });
    expect(second.error).toBeUndefined();
    expect(fake.log.filter(r => r.path === '/props')).toHaveLength(1);
  });

  it('sends a request without tools without asking /props', async () => {
    const result = await streamReply(new LocalProvider({ rootURL: fake.root }), request('Hi?', []));
    expect(result.error).toBeUndefined();
    expect(fake.log.filter(r => r.path === '/props')).toHaveLength(0);
  });
});
