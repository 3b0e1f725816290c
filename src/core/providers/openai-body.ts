/**
 * Neutral request -> Chat Completions body, for OpenAI and for OpenAI-compatible servers.
 *
 * The system instructions and the docs become one system message, so the start of the
 * serialised request (and of the token sequence a local server caches) never changes from
 * one prompt to the next. Key order is fixed for the same reason.
 */
import { ChatRequest, Part, Turn } from '../types';
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
function contentPart(part: Part): Record<string, unknown> {
  if (part.type === 'image') {
    return { type: 'image_url', image_url: { url: `data:${part.mediaType};base64,${part.data}` } };
  }
  return { type: 'text', text: part.text };
}

/**
 * One message. Text-only turns become a plain string (the form every compatible server
 * reads); a user turn with images becomes a list of parts.
 */
function message(turn: Turn): Record<string, unknown> {
  const hasImage = turn.parts.some(p => p.type === 'image');
  if (hasImage && turn.role === 'user') {
    return { role: 'user', content: turn.parts.map(contentPart) };
  }
  const text = turn.parts
    .filter((p): p is Extract<Part, { type: 'text' }> => p.type === 'text')
    .map(p => p.text)
    .join('\n\n');
  return { role: turn.role, content: text };
}

/**
 * The body of `POST /chat/completions` for a request, streamed with usage.
 *
 * @param request - The neutral request.
 * @param options - Dialect.
 */
export function toChatCompletionsBody(request: ChatRequest, options: OpenAIBodyOptions): Record<string, unknown> {
  const body: Record<string, unknown> = {
    model: request.model,
    messages: [{ role: 'system', content: systemText(request) }, ...request.turns.map(message)]
  };
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
