/**
 * Neutral request -> Chat Completions body, for OpenAI and for OpenAI-compatible servers.
 *
 * The system instructions and the docs become one system message, so the start of the
 * serialised request (and of the token sequence a local server caches) never changes from
 * one prompt to the next. Key order is fixed for the same reason.
 */
import { ChatRequest, ImagePart, Part, TextPart, ToolUsePart, Turn } from '../types';
import { docText } from '../docs/doc-text';

/** Which dialect of the Chat Completions body to write. */
export interface OpenAIBodyOptions {
  /**
   * `openai`: `max_completion_tokens` and the per-notebook `prompt_cache_key`.
   * `compatible`: `max_tokens`, which every compatible server (llama.cpp, Ollama, vLLM)
   * reads, and no OpenAI-only fields.
   */
  dialect: 'openai' | 'compatible';
}

/**
 * The text of the system message: instructions, then each doc, separated by blank lines.
 *
 * It is the cached prefix of the request; a local server's saved KV cache is keyed by it.
 *
 * @param request - The neutral request.
 */
export function systemText(request: ChatRequest): string {
  return [request.system, ...request.docs.map(docText)].join('\n\n');
}

/**
 * One content part in the Chat Completions format.
 */
function contentPart(part: TextPart | ImagePart): Record<string, unknown> {
  if (part.type === 'image') {
    return { type: 'image_url', image_url: { url: `data:${part.mediaType};base64,${part.data}` } };
  }
  return { type: 'text', text: part.text };
}

/**
 * The messages of one turn. Text-only turns become a plain string (the form every
 * compatible server reads); a user turn with images becomes a list of parts. Tool results
 * become one `tool` message each, before the rest of their user turn; tool calls ride on
 * the assistant message as `tool_calls`.
 */
function messages(turn: Turn): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  const rest: Part[] = [];
  for (const part of turn.parts) {
    if (part.type === 'tool_result') {
      // Chat Completions has no error flag: the result text says what went wrong.
      out.push({ role: 'tool', tool_call_id: part.id, content: part.result });
    } else if (part.type !== 'thinking') {
      // Thinking is Anthropic's to send back; Chat Completions has no place for it.
      rest.push(part);
    }
  }
  const calls = rest.filter((p): p is ToolUsePart => p.type === 'tool_use');
  const text = rest
    .filter((p): p is Extract<Part, { type: 'text' }> => p.type === 'text')
    .map(p => p.text)
    .join('\n\n');
  if (calls.length) {
    out.push({
      role: 'assistant',
      content: text || null,
      tool_calls: calls.map(c => ({ id: c.id, type: 'function', function: { name: c.name, arguments: JSON.stringify(c.args) } }))
    });
  } else if (turn.role === 'user' && rest.some(p => p.type === 'image')) {
    out.push({ role: 'user', content: rest.filter(p => p.type === 'text' || p.type === 'image').map(contentPart) });
  } else if (rest.length) {
    out.push({ role: turn.role, content: text });
  }
  return out;
}

/**
 * The body of `POST /chat/completions` for a request, streamed with usage.
 *
 * @param request - The neutral request.
 * @param options - Dialect.
 */
export function toChatCompletionsBody(request: ChatRequest, options: OpenAIBodyOptions): Record<string, unknown> {
  const body: Record<string, unknown> = { model: request.model };
  if (request.tools?.length) {
    // Before the messages, as the providers render them into the prompt: part of the cached prefix.
    body.tools = request.tools.map(t => ({
      type: 'function',
      function: { name: t.name, ...(t.description ? { description: t.description } : {}), parameters: t.parameters }
    }));
  }
  body.messages = [{ role: 'system', content: systemText(request) }, ...request.turns.flatMap(messages)];
  if (options.dialect === 'openai') {
    body.max_completion_tokens = request.maxTokens;
    if (request.cacheKey) {
      body.prompt_cache_key = request.cacheKey;
    }
  } else {
    body.max_tokens = request.maxTokens;
  }
  body.stream = true;
  body.stream_options = { include_usage: true };
  return body;
}

/**
 * The OpenAI body.
 *
 * @param request - The neutral request.
 */
export function toOpenAIBody(request: ChatRequest): Record<string, unknown> {
  return toChatCompletionsBody(request, { dialect: 'openai' });
}

/**
 * The body for an OpenAI-compatible server.
 *
 * @param request - The neutral request.
 */
export function toCompatibleBody(request: ChatRequest): Record<string, unknown> {
  return toChatCompletionsBody(request, { dialect: 'compatible' });
}
