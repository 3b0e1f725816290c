/**
 * A strict fake of OpenAI's Chat Completions API for tests and benchmarks, which can also
 * play llama.cpp's `llama-server` (no key, slot save/restore, `timings`).
 *
 * Routes: `POST /v1/chat/completions` (streamed or not), `GET /v1/models`,
 * `GET /v1/models/{id}`; with `llama`: `GET /health`, `GET /slots`,
 * `POST /slots/{id}?action=save|restore|erase`; control: `GET /_fake/log`,
 * `POST /_fake/faults`, `POST /_fake/replies`, `POST /_fake/reset`.
 *
 * Order of checks for a `/v1` request: route (404), the next queued fault, key (401), JSON
 * (400), then the body (validate.ts). Stream chunks follow OpenAI's documented shapes: a
 * first chunk with the role, one chunk per delta, a chunk with `finish_reason`, with
 * `include_usage` a last chunk with `choices: []` and `usage` (every earlier chunk then has
 * `usage: null`), then `data: [DONE]`.
 */
import { IncomingMessage, ServerResponse, createServer } from 'http';
import type { AddressInfo } from 'net';
import { CACHE_MIN_TOKENS, LlamaSlot, PrefixCache, countTokens, renderPrompt } from './cache';
import { NAMED_ERRORS, OpenAIError, invalid } from './errors';
import { MODELS } from './models';
import { CheckedRequest, checkChatRequest } from './validate';
import { ScriptedReply, isScriptedReply, scriptParts } from './tools';

/** A fault for the next request to a `/v1` route. */
export type Fault =
  /** Answer with one of OpenAI's errors (errors.ts `NAMED_ERRORS`). */
  | { kind: 'error'; error: keyof typeof NAMED_ERRORS; retryAfter?: number }
  /** Destroy the socket after this many text deltas. */
  | { kind: 'drop-after'; deltas: number }
  /** Send a chunk `{"error": …}` after this many deltas, then end the stream. */
  | { kind: 'error-chunk-after'; deltas: number; error?: keyof typeof NAMED_ERRORS }
  /** Wait before the first byte. */
  | { kind: 'delay-first-byte'; ms: number };

/** One request as the fake saw it. */
export interface LoggedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body?: unknown;
  status?: number;
  /** Prompt tokens and cached tokens, for chat requests that were answered. */
  usage?: { prompt: number; cached: number; completion: number };
}

/** Options of the fake. */
export interface FakeOpenAIOptions {
  port?: number;
  host?: string;
  /** Accepted keys; an empty list accepts requests without a key (as local servers do). */
  apiKeys?: string[];
  /** Clock for cache expiry. */
  now?: () => number;
  /** Pause between deltas. */
  deltaDelayMs?: number;
  /** Lifetime of a prefix cache entry after its last use (OpenAI: minutes; default 10 min). */
  cacheTtlMs?: number;
  /**
   * Play llama.cpp's server: slots saved under this directory, model served under `alias`;
   * for `loadingMs` after the start every route answers 503 "Loading model", as while the
   * model loads; `restoreIgnored` plays a reported bug: a restore that answers success but
   * leaves the slot empty, so the next prompt is computed in full. `templateTools: false`
   * plays a model whose chat template renders no tools (SmolLM2's): `/props` says
   * `supports_tools: false` and, like llama.cpp, a request's tools are silently dropped.
   */
  llama?: { slotSavePath: string; alias?: string; loadingMs?: number; restoreIgnored?: boolean; templateTools?: boolean };
  /** Play a partial compatible server: no `/v1/models` route, no usage chunk. */
  without?: { models?: boolean; usage?: boolean; tools?: boolean };
}

/** A running fake. */
export interface FakeOpenAI {
  /** Base URL for the SDK's `baseURL`, with `/v1`. */
  readonly url: string;
  /** The server's root (where llama.cpp's `/slots` live). */
  readonly root: string;
  readonly log: LoggedRequest[];
  queueFaults(...faults: Fault[]): void;
  /** Queue replies: exact texts, or `{text?, tool_calls}` for a model that calls tools (tools.ts). */
  queueReplies(...replies: ScriptedReply[]): void;
  /** Fresh state: log, faults, replies, cache (the slot files stay, as on disk). */
  reset(): void;
  close(): Promise<void>;
}

/**
 * Start the fake.
 *
 * @param options - Port, keys, pacing, llama.cpp mode, missing features.
 */
export async function startFakeOpenAI(options: FakeOpenAIOptions = {}): Promise<FakeOpenAI> {
  const now = options.now ?? (() => Date.now());
  const state = {
    keys: new Set(options.apiKeys ?? ['test-key']),
    log: [] as LoggedRequest[],
    faults: [] as Fault[],
    replies: [] as ScriptedReply[],
    count: 0,
    cache: new PrefixCache(options.cacheTtlMs ?? 600000, now),
    slot: options.llama ? new LlamaSlot(options.llama.slotSavePath) : null,
    startedAt: now()
  };
  const server = createServer((req, res) => {
    Private.handle(req, res, state, options).catch(err => {
      console.error('fake-openai: unexpected error', err);
      if (!res.headersSent) {
        Private.sendError(res, new OpenAIError(500, 'server_error', String(err)));
      } else {
        res.destroy();
      }
    });
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const root = `http://${host}:${(server.address() as AddressInfo).port}`;
  return {
    url: `${root}/v1`,
    root,
    log: state.log,
    queueFaults: (...faults) => void state.faults.push(...faults),
    queueReplies: (...replies) => void state.replies.push(...replies),
    reset: () => {
      state.log.length = 0;
      state.faults.length = 0;
      state.replies.length = 0;
      state.count = 0;
      state.cache.clear();
      state.slot?.erase();
    },
    close: () =>
      new Promise<void>(resolve => {
        server.close(() => resolve());
        server.closeAllConnections();
      })
  };
}

type State = {
  keys: Set<string>;
  log: LoggedRequest[];
  faults: Fault[];
  replies: ScriptedReply[];
  count: number;
  cache: PrefixCache;
  slot: LlamaSlot | null;
  /** When the server started (for `llama.loadingMs`). */
  startedAt: number;
};

namespace Private {
  const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

  /** Read a request body. */
  export async function readBody(req: IncomingMessage): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) {
      chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks).toString('utf8');
  }

  /** Send JSON. */
  export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    res.writeHead(status, { 'content-type': 'application/json', 'x-request-id': `req_${Math.random().toString(36).slice(2)}`, ...headers });
    res.end(JSON.stringify(body));
  }

  /** Send an error. */
  export function sendError(res: ServerResponse, err: OpenAIError): void {
    sendJson(res, err.status, err.body(), err.headers);
  }

  /** Parse JSON or answer 400 as OpenAI does. */
  export function parse(text: string): unknown {
    try {
      return JSON.parse(text);
    } catch {
      throw invalid('We could not parse the JSON body of your request. (HINT: This likely means you aren\'t using your HTTP library correctly.)');
    }
  }

  /** Answer one request. */
  export async function handle(req: IncomingMessage, res: ServerResponse, state: State, options: FakeOpenAIOptions): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const path = url.pathname;
    const text = await readBody(req);
    if (path.startsWith('/_fake/')) {
      return control(res, path, text, state);
    }
    const entry: LoggedRequest = { method: req.method ?? 'GET', path: path + url.search, headers: { ...req.headers } };
    delete entry.headers.authorization; // never keep a key, not even a fake one
    if (text) {
      try {
        entry.body = JSON.parse(text);
      } catch {
        entry.body = text;
      }
    }
    state.log.push(entry);
    res.on('finish', () => (entry.status = res.statusCode));
    try {
      if (options.llama?.loadingMs && (options.now ?? Date.now)() - state.startedAt < options.llama.loadingMs) {
        return sendJson(res, 503, { error: { code: 503, message: 'Loading model', type: 'unavailable_error' } });
      }
      if (options.llama && req.method === 'GET' && path === '/props') {
        const tools = options.llama.templateTools !== false;
        return sendJson(res, 200, {
          total_slots: 1,
          model_alias: options.llama.alias ?? 'local-model',
          chat_template_caps: { supports_tools: tools, supports_tool_calls: tools, supports_system_role: true, supports_parallel_tool_calls: false }
        });
      }
      if (options.llama && (path === '/health' || path === '/slots' || path.startsWith('/slots/'))) {
        return llama(res, req.method ?? 'GET', path, url.searchParams, text, state, !!options.llama.restoreIgnored);
      }
      const route =
        req.method === 'POST' && path === '/v1/chat/completions' ? 'chat'
        : req.method === 'GET' && path === '/v1/models' && !options.without?.models ? 'models'
        : req.method === 'GET' && path.startsWith('/v1/models/') && !options.without?.models ? 'model'
        : undefined;
      if (!route) {
        throw new OpenAIError(404, 'invalid_request_error', `Invalid URL (${req.method} ${path})`);
      }
      const fault = state.faults.shift();
      if (fault?.kind === 'delay-first-byte') {
        await sleep(fault.ms);
      }
      if (fault?.kind === 'error') {
        const e = NAMED_ERRORS[fault.error];
        const retry = fault.retryAfter ?? (e.status === 429 ? 1 : undefined);
        throw new OpenAIError(e.status, e.type, e.message, null, e.code, retry === undefined ? {} : { 'retry-after': String(retry) });
      }
      checkKey(req, state);
      if (route === 'models') {
        return sendJson(res, 200, { object: 'list', data: modelList(options).map(m => ({ id: m.id, object: 'model', created: m.created, owned_by: 'system' })) });
      }
      if (route === 'model') {
        const id = decodeURIComponent(path.slice('/v1/models/'.length));
        const m = modelList(options).find(x => x.id === id);
        if (!m) {
          throw new OpenAIError(404, 'invalid_request_error', `The model '${id}' does not exist`, 'model', 'model_not_found');
        }
        return sendJson(res, 200, { id: m.id, object: 'model', created: m.created, owned_by: 'system' });
      }
      const request = checkChatRequest(parse(text), { lenient: !!options.llama });
      if (options.without?.tools && request.tools) {
        // llama.cpp's answer when started without --jinja (its chat templates then take no tools).
        throw invalid('tools param requires --jinja flag');
      }
      if (options.llama?.templateTools === false && request.tools) {
        // llama.cpp with --jinja and a template that has no tools: accepted, and dropped.
        return chat(res, { ...request, tools: '' }, fault, state, options, entry);
      }
      return chat(res, request, fault, state, options, entry);
    } catch (err) {
      if (err instanceof OpenAIError) {
        return sendError(res, err);
      }
      throw err;
    }
  }

  /** The models served. */
  export function modelList(options: FakeOpenAIOptions): { id: string; created: number }[] {
    return options.llama ? [{ id: options.llama.alias ?? 'local-model', created: 0 }] : [...MODELS];
  }

  /** The key: `Authorization: Bearer <key>`. */
  export function checkKey(req: IncomingMessage, state: State): void {
    if (state.keys.size === 0) {
      return;
    }
    const auth = req.headers.authorization;
    const key = auth ? /^Bearer\s+(\S+)$/i.exec(auth)?.[1] : undefined;
    if (!key) {
      throw new OpenAIError(
        401,
        'invalid_request_error',
        "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
        null,
        null
      );
    }
    if (!state.keys.has(key)) {
      throw new OpenAIError(401, 'invalid_request_error', 'Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.', null, 'invalid_api_key');
    }
  }

  /** Answer a chat request. */
  export async function chat(res: ServerResponse, request: CheckedRequest, fault: Fault | undefined, state: State, options: FakeOpenAIOptions, entry: LoggedRequest): Promise<void> {
    state.count++;
    const lastUser = [...request.messages].reverse().find(m => m.role === 'user')?.text ?? '';
    const scripted = scriptParts(state.replies.shift() ?? `Reply ${state.count} to: ${lastUser.replace(/\s+/g, ' ').trim().slice(0, 60)}`, state.count);
    let reply = scripted.text;
    let calls = scripted.calls;
    let finish = calls.length ? 'tool_calls' : 'stop';
    if (request.maxTokens !== undefined && countTokens(reply) > request.maxTokens) {
      reply = reply.slice(0, request.maxTokens * 4);
      finish = 'length';
      calls = [];
    }
    const prompt = request.tools + renderPrompt(request.messages);
    const promptTokens = countTokens(prompt);
    let cached: number;
    let timings: Record<string, number> | undefined;
    if (state.slot) {
      const run = state.slot.run(prompt, reply);
      cached = run.cached;
      timings = { cache_n: run.cached, prompt_n: run.computed, predicted_n: countTokens(reply) };
    } else {
      cached = state.cache.use(`${request.model}\n${request.promptCacheKey ?? ''}`, prompt);
    }
    const completion = countTokens(reply) + (calls.length ? countTokens(JSON.stringify(calls)) : 0);
    const usage = {
      prompt_tokens: promptTokens,
      completion_tokens: completion,
      total_tokens: promptTokens + completion,
      prompt_tokens_details: { cached_tokens: cached, audio_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 }
    };
    entry.usage = { prompt: promptTokens, cached, completion: usage.completion_tokens };
    const id = `chatcmpl-${state.count}`;
    const created = Math.floor(Date.now() / 1000);
    const model = options.llama?.alias ?? request.model;
    const base = { id, object: 'chat.completion.chunk', created, model, system_fingerprint: 'fp_fake', service_tier: 'default' };
    if (!request.stream) {
      return sendJson(res, 200, {
        id,
        object: 'chat.completion',
        created,
        model,
        choices: [
          {
            index: 0,
            message: {
              role: 'assistant',
              content: reply || (calls.length ? null : ''),
              refusal: null,
              ...(calls.length ? { tool_calls: calls.map(c => ({ id: c.id, type: 'function', function: { name: c.name, arguments: JSON.stringify(c.arguments) } })) } : {})
            },
            finish_reason: finish,
            logprobs: null
          }
        ],
        usage,
        ...(timings ? { timings } : {})
      });
    }
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive' });
    res.socket?.setNoDelay(true);
    const withUsage = request.includeUsage && !options.without?.usage ? { usage: null } : {};
    const send = (data: unknown) => res.write(`data: ${JSON.stringify(data)}\n\n`);
    send({ ...base, choices: [{ index: 0, delta: { role: 'assistant', content: '', refusal: null }, logprobs: null, finish_reason: null }], ...withUsage });
    const deltas = reply.match(/\S+\s*|\s+/g) ?? [];
    const cut = fault?.kind === 'drop-after' || fault?.kind === 'error-chunk-after' ? fault.deltas : Infinity;
    for (let i = 0; i < deltas.length; i++) {
      if (i === cut) {
        break;
      }
      await sleep(options.deltaDelayMs ?? 5);
      send({ ...base, choices: [{ index: 0, delta: { content: deltas[i] }, logprobs: null, finish_reason: null }], ...withUsage });
    }
    if (fault?.kind === 'drop-after') {
      res.destroy();
      return;
    }
    if (fault?.kind === 'error-chunk-after') {
      const e = NAMED_ERRORS[fault.error ?? 'server_error'];
      send({ error: { message: e.message, type: e.type, param: null, code: e.code } });
      res.end();
      return;
    }
    for (const [index, call] of calls.entries()) {
      // Id and name first, then the arguments in fragments, as OpenAI streams them.
      await sleep(options.deltaDelayMs ?? 5);
      const head = { index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } };
      send({ ...base, choices: [{ index: 0, delta: { tool_calls: [head] }, logprobs: null, finish_reason: null }], ...withUsage });
      const json = JSON.stringify(call.arguments);
      for (let at = 0; at < json.length; at += 12) {
        send({ ...base, choices: [{ index: 0, delta: { tool_calls: [{ index, function: { arguments: json.slice(at, at + 12) } }] }, logprobs: null, finish_reason: null }], ...withUsage });
      }
    }
    send({ ...base, choices: [{ index: 0, delta: {}, logprobs: null, finish_reason: finish }], ...withUsage });
    if (request.includeUsage && !options.without?.usage) {
      send({ ...base, choices: [], usage, ...(timings ? { timings } : {}) });
    }
    res.write('data: [DONE]\n\n');
    res.end();
  }

  /** llama.cpp's own routes. */
  export function llama(res: ServerResponse, method: string, path: string, query: URLSearchParams, text: string, state: State, restoreIgnored: boolean): void {
    const slot = state.slot as LlamaSlot;
    const llamaError = (status: number, message: string, type = 'invalid_request_error') => sendJson(res, status, { error: { code: status, message, type } });
    if (method === 'GET' && path === '/health') {
      return sendJson(res, 200, { status: 'ok' });
    }
    if (method === 'GET' && path === '/slots') {
      const info: Record<string, unknown> = { id: 0, n_ctx: 8192, speculative: false, is_processing: false };
      if (slot.idTask !== undefined) {
        Object.assign(info, { id_task: slot.idTask, n_prompt_tokens: slot.tokens });
      }
      return sendJson(res, 200, [info]);
    }
    const match = /^\/slots\/(\d+)$/.exec(path);
    if (method !== 'POST' || !match) {
      return llamaError(404, 'File Not Found', 'not_found_error');
    }
    if (match[1] !== '0') {
      return llamaError(400, 'Invalid slot ID');
    }
    const action = query.get('action');
    if (action === 'erase') {
      slot.erase();
      return sendJson(res, 200, { id_slot: 0, n_erased: 0 });
    }
    let filename: unknown;
    try {
      filename = (JSON.parse(text) as { filename?: unknown }).filename;
    } catch {
      return llamaError(500, '[json.exception.parse_error]');
    }
    if (typeof filename !== 'string' || !/^[A-Za-z0-9._-]+$/.test(filename) || filename.startsWith('.')) {
      return llamaError(400, 'Invalid filename');
    }
    if (action === 'save') {
      return sendJson(res, 200, { id_slot: 0, filename, ...slot.save(filename), timings: { save_ms: 1 } });
    }
    if (action === 'restore') {
      const got = slot.restore(filename);
      if (got && restoreIgnored) {
        slot.erase();
      }
      return got
        ? sendJson(res, 200, { id_slot: 0, filename, ...got, timings: { restore_ms: 1 } })
        : llamaError(400, 'Unable to restore slot: No available space in KV cache or invalid slot save file');
    }
    return llamaError(400, 'Invalid action');
  }

  /** The control routes. */
  export function control(res: ServerResponse, path: string, text: string, state: State): void {
    if (path === '/_fake/log') {
      return sendJson(res, 200, state.log);
    }
    const body = text ? (JSON.parse(text) as unknown) : undefined;
    if (path === '/_fake/faults' && Array.isArray(body)) {
      state.faults.push(...(body as Fault[]));
      return sendJson(res, 200, { queued: state.faults.length });
    }
    if (path === '/_fake/replies' && Array.isArray(body) && body.every(isScriptedReply)) {
      state.replies.push(...body);
      return sendJson(res, 200, { queued: state.replies.length });
    }
    if (path === '/_fake/reset') {
      state.log.length = 0;
      state.faults.length = 0;
      state.replies.length = 0;
      state.count = 0;
      state.cache.clear();
      return sendJson(res, 200, { ok: true });
    }
    return sendJson(res, 404, { error: { message: `no control route ${path}`, type: 'invalid_request_error', param: null, code: null } });
  }
}

/** Smallest prompt OpenAI caches, re-exported for tests. */
export { CACHE_MIN_TOKENS };
