/**
 * The OpenAI-compatible adapter against answers recorded from the real `llama-server`
 * (llama.cpp as built by scripts/local-engine, serving SmolLM2-135M-Instruct): a stream with
 * usage and llama.cpp's `timings`, a stream without usage, and its error bodies. Replayed
 * through a fetch that returns the recorded bytes, so the SDK parses exactly what the
 * server sent.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import { streamReply } from '../reply/reply';
import { ChatRequest } from '../types';
import { OpenAIProvider } from './openai';

const data = (name: string) => readFileSync(join(__dirname, 'testdata', name), 'utf8');
const errors = JSON.parse(data('llama-server-errors.json')) as Record<string, { status: number; body: unknown }>;

/** A provider whose every request gets the given answer. */
function replaying(status: number, body: string, contentType: string): OpenAIProvider {
  const fetch = (async () => new Response(body, { status, headers: { 'content-type': contentType } })) as typeof globalThis.fetch;
  return new OpenAIProvider({ id: 'local', label: 'The local model server', dialect: 'compatible', apiKey: 'none', baseURL: 'http://127.0.0.1:1/v1', fetch, maxRetries: 0 });
}

const REQUEST: ChatRequest = { model: 'smollm2-135m-instruct', maxTokens: 8, system: 'You are a helpful assistant.', docs: [], turns: [{ role: 'user', parts: [{ type: 'text', text: 'Name one colour.' }] }] };

/** The text deltas of a recorded stream, joined. */
function recordedText(sse: string): string {
  return sse
    .split('\n')
    .filter(l => l.startsWith('data: {'))
    .map(l => JSON.parse(l.slice(6)) as { choices: { delta?: { content?: string | null } }[] })
    .map(c => c.choices[0]?.delta?.content ?? '')
    .join('');
}

describe('recorded llama-server answers', () => {
  it.each([
    ['with include_usage', 'llama-server-stream.sse', { input: 24, output: 6, cacheRead: 0, cacheWrite: 0 }],
    ["without include_usage (llama.cpp's own timings)", 'llama-server-stream-no-usage.sse', { input: 1, output: 6, cacheRead: 23, cacheWrite: 0 }]
  ])('a stream %s', async (_name, file, usage) => {
    const sse = data(file);
    const result = await streamReply(replaying(200, sse, 'text/event-stream'), REQUEST);
    expect(result.error).toBeUndefined();
    expect(result.text).toBe(recordedText(sse));
    expect(result.text.length).toBeGreaterThan(0);
    expect(result.model).toBe('smollm2-135m-instruct');
    expect(result.usage).toEqual(usage);
    expect(result.notice).toBeUndefined();
  });

  it.each([
    ['a prompt over the context size', 'over_context_nonstream', 'too_large', /longer than The local model server can take \(400\).*--ctx-size.*exceeds the available context size/],
    ['a request it refuses', 'missing_messages', 'invalid_request', /rejected the request \(400 invalid_request_error\).*'messages' is required/],
    ['an endpoint it lacks', 'unknown_path', 'not_found', /404.*File Not Found/]
  ])('%s', async (_name, key, kind, message) => {
    const { status, body } = errors[key];
    const result = await streamReply(replaying(status, JSON.stringify(body), 'application/json; charset=utf-8'), REQUEST);
    expect(result.stopReason).toBe('error');
    expect(result.error?.kind).toBe(kind);
    expect(result.error?.message).toMatch(message);
  });

  it('lists the served model from the recorded /v1/models', async () => {
    const models = await replaying(200, data('llama-server-models.json'), 'application/json').listModels();
    expect(models).toEqual(['smollm2-135m-instruct']);
  });
});
