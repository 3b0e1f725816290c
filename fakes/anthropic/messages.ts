/**
 * `POST /v1/messages` and `POST /v1/messages/count_tokens`.
 */
import type Anthropic from '@anthropic-ai/sdk';
import { CacheAccount, InputUsage } from './cache';
import { invalid, newId } from './errors';
import { Fault } from './faults';
import { renderPrompt } from './prefix';
import { Reply, defaultReplyText, lastUserText, planReply } from './reply';
import { Exchange, applyNonStreamFault, firstByte, sendJson } from './respond';
import { streamReply } from './sse';
import { scriptParts } from './tool-use';
import { ValidRequest, validateRequest } from './validate';

/**
 * Answer a Messages request: validate, account for the cache, reply (streamed or not).
 *
 * @param ex - The exchange.
 * @param body - The parsed body.
 * @param fault - The fault the request took, if any.
 */
export async function handleMessages(ex: Exchange, body: unknown, fault?: Fault): Promise<void> {
  const { state } = ex;
  const request = validateRequest(body, 'messages', state.options.minCacheTokens);
  const prompt = renderPrompt(request);
  if (prompt.totalTokens > request.model.contextWindow) {
    throw invalid(`prompt is too long: ${prompt.totalTokens} tokens > ${request.model.contextWindow} maximum`);
  }
  const account = state.cache.account(request.model, prompt);
  const id = newId('msg_');
  await firstByte(ex);

  if (request.maxTokens === 0) {
    // Pre-warming: the prompt is processed (and cached), nothing is generated.
    const empty: Reply = { text: '', stopReason: 'max_tokens', stopSequence: null, outputTokens: 0, thinkingTokens: 0 };
    return Private.sendMessage(ex, Private.message(id, request, empty, account.usage, []), account, fault);
  }

  const n = ++state.replyCount;
  const { text, calls } = scriptParts(state.replies.shift() ?? defaultReplyText(n, lastUserText(request.messages)));
  const reply = planReply(request, text, n, calls);
  const content: Anthropic.ContentBlock[] = [];
  if (reply.thinking) {
    content.push({ type: 'thinking', thinking: reply.thinking.text, signature: reply.thinking.signature });
  }
  if (reply.text || !reply.toolCalls) {
    content.push({ type: 'text', text: reply.text, citations: null });
  }
  for (const call of reply.toolCalls ?? []) {
    content.push({ type: 'tool_use', id: call.id, name: call.name, input: call.input, caller: { type: 'direct' } } as Anthropic.ContentBlock);
  }
  const message = Private.message(id, request, reply, account.usage, content);

  if (!request.stream) {
    return Private.sendMessage(ex, message, account, fault);
  }
  if (ex.entry) {
    ex.entry.stream = true;
    ex.entry.status = 200;
    ex.entry.usage = { ...message.usage };
  }
  await streamReply(ex, {
    start: { ...message, content: [], stop_reason: null, stop_sequence: null, usage: { ...message.usage, output_tokens: 1 } },
    reply,
    usage: {
      input_tokens: message.usage.input_tokens,
      cache_creation_input_tokens: message.usage.cache_creation_input_tokens,
      cache_read_input_tokens: message.usage.cache_read_input_tokens,
      output_tokens: message.usage.output_tokens,
      output_tokens_details: message.usage.output_tokens_details,
      server_tool_use: null
    },
    deltaDelayMs: state.options.deltaDelayMs,
    wordsPerDelta: state.options.wordsPerDelta,
    fault,
    onStart: account.commit
  });
}

/**
 * Answer a token count: the whole prompt, as input + cache read + cache write would sum to.
 *
 * @param ex - The exchange.
 * @param body - The parsed body.
 */
export function handleCountTokens(ex: Exchange, body: unknown): void {
  const request = validateRequest(body, 'count_tokens', ex.state.options.minCacheTokens);
  const count: Anthropic.MessageTokensCount = { input_tokens: renderPrompt(request).totalTokens };
  if (ex.entry) {
    ex.entry.usage = { ...count };
  }
  sendJson(ex, 200, count);
}

namespace Private {
  /** The complete message (as a non-streamed answer returns it). */
  export function message(
    id: string,
    request: ValidRequest,
    reply: Reply,
    input: InputUsage,
    content: Anthropic.ContentBlock[]
  ): Anthropic.Message {
    return {
      id,
      type: 'message',
      role: 'assistant',
      model: request.model.id,
      content,
      container: null,
      diagnostics: null,
      stop_details: null,
      stop_reason: reply.stopReason,
      stop_sequence: reply.stopSequence,
      usage: {
        input_tokens: input.input_tokens,
        cache_creation_input_tokens: input.cache_creation_input_tokens,
        cache_read_input_tokens: input.cache_read_input_tokens,
        cache_creation: { ...input.cache_creation },
        output_tokens: reply.outputTokens,
        output_tokens_details: reply.thinking ? { thinking_tokens: reply.thinkingTokens } : null,
        server_tool_use: null,
        service_tier: 'standard',
        speed: request.speed,
        inference_geo: null
      }
    };
  }

  /** Send a complete message, unless a stream fault stands in for the answer. */
  export function sendMessage(ex: Exchange, message: Anthropic.Message, account: CacheAccount, fault?: Fault): void {
    if (applyNonStreamFault(ex, fault)) {
      return;
    }
    account.commit();
    if (ex.entry) {
      ex.entry.stream = false;
      ex.entry.usage = { ...message.usage };
    }
    sendJson(ex, 200, message);
  }
}
