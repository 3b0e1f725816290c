/**
 * Neutral request -> Anthropic Messages API body.
 */
import { docText } from '../docs/doc-text';
import { CacheMark, ChatRequest, Part } from '../types';

/** Anthropic's cache_control for a mark: 5m is the default and is left implicit. */
function cacheControl(mark: CacheMark | undefined): Record<string, unknown> {
  if (!mark) {
    return {};
  }
  return { cache_control: mark.ttl === '1h' ? { type: 'ephemeral', ttl: '1h' } : { type: 'ephemeral' } };
}

/**
 * One content block.
 */
function block(part: Part): Record<string, unknown> {
  if (part.type === 'image') {
    return {
      type: 'image',
      source: { type: 'base64', media_type: part.mediaType, data: part.data },
      ...cacheControl(part.cache)
    };
  }
  if (part.type === 'thinking') {
    return { type: 'thinking', thinking: part.text, signature: part.signature };
  }
  if (part.type === 'tool_use') {
    return { type: 'tool_use', id: part.id, name: part.name, input: part.args, ...cacheControl(part.cache) };
  }
  if (part.type === 'tool_result') {
    // An empty result is sent as no content: the API refuses empty text blocks.
    return {
      type: 'tool_result',
      tool_use_id: part.id,
      ...(part.result ? { content: part.result } : {}),
      ...(part.isError ? { is_error: true } : {}),
      ...cacheControl(part.cache)
    };
  }
  return { type: 'text', text: part.text, ...cacheControl(part.cache) };
}

/**
 * The body of `POST /v1/messages` for a request, streamed.
 *
 * Key order is fixed so the serialised prefix is byte-identical from one prompt to the next.
 *
 * @param request - The neutral request.
 */
export function toAnthropicBody(request: ChatRequest): Record<string, unknown> {
  const system: Record<string, unknown>[] = [
    { type: 'text', text: request.system, ...cacheControl(request.docs.length ? undefined : request.systemCache) }
  ];
  for (const doc of request.docs) {
    system.push({ type: 'text', text: docText(doc), ...cacheControl(doc.cache) });
  }
  const body: Record<string, unknown> = {
    model: request.model,
    max_tokens: request.maxTokens
  };
  if (request.tools?.length) {
    // First in the cached prefix (tools → system → messages); the docs breakpoint covers them.
    body.tools = request.tools.map(t => ({ name: t.name, ...(t.description ? { description: t.description } : {}), input_schema: t.parameters }));
  }
  Object.assign(body, {
    system,
    messages: request.turns.map(turn => ({ role: turn.role, content: turn.parts.map(block) }))
  });
  if (request.thinkingBudget) {
    body.thinking = { type: 'enabled', budget_tokens: request.thinkingBudget };
    body.max_tokens = Math.max(request.maxTokens, request.thinkingBudget + 1024);
  }
  body.stream = true;
  return body;
}
