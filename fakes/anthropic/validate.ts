/**
 * Validation of `POST /v1/messages` and `POST /v1/messages/count_tokens` bodies under API
 * version 2026-10-21. A request that passes is returned in a normalised form; one that does
 * not throws the `ApiError` the API would answer with.
 */
import { Block, Breakpoint, Role, Ttl, cacheControl, validateBlock, validateContent } from './blocks';
import { ApiError, invalid } from './errors';
import {
  Thinking,
  validateOtherFields,
  validateStopSequences,
  validateThinking,
  validateToolChoice,
  validateTools
} from './fields';
import { Json, checkKeys, join, requireObject, requireString } from './json';
import { FakeModel, findModel } from './models';
import { checkThinkingBeforeTools, checkToolTurns } from './tool-use';

/** Which endpoint a body was sent to. */
export type Endpoint = 'messages' | 'count_tokens';

/** Most breakpoints a request may carry, the top-level one included. */
export const MAX_BREAKPOINTS = 4;

/** A message after validation; string content is normalised to one text block. */
export interface ValidMessage {
  role: Role;
  content: Block[];
}

/** A request that passed validation. */
export interface ValidRequest {
  model: FakeModel;
  /** `max_tokens`, or undefined for count_tokens. */
  maxTokens?: number;
  stream: boolean;
  tools: Json[];
  /** Breakpoint TTL per tool, by index. */
  toolTtls: Array<Ttl | undefined>;
  system: Block[];
  messages: ValidMessage[];
  /** TTL of the top-level `cache_control`, if any. */
  topLevelTtl?: Ttl;
  toolChoice?: Json;
  thinking?: Thinking;
  stopSequences: string[];
  speed: 'standard' | 'fast';
}

/**
 * Top-level fields per endpoint (the SDK's `MessageCreateParamsBase` and
 * `MessageCountTokensParams`; `user_profile_id` and `workspace_id` travel as headers).
 */
const FIELDS: Readonly<Record<Endpoint, readonly string[]>> = {
  messages: [
    'model', 'max_tokens', 'messages', 'cache_control', 'container', 'diagnostics', 'inference_geo', 'metadata',
    'output_config', 'service_tier', 'speed', 'stop_sequences', 'stream', 'system', 'thinking', 'tool_choice', 'tools'
  ],
  count_tokens: ['model', 'messages', 'cache_control', 'output_config', 'speed', 'system', 'thinking', 'tool_choice', 'tools']
};

/** Sampling parameters removed by API version 2026-10-21. */
const SAMPLING = ['temperature', 'top_p', 'top_k'];

/**
 * Validate a request body.
 *
 * @param body - The parsed JSON body.
 * @param endpoint - Which endpoint received it.
 * @param minCacheOverrides - Per-model minimum cacheable prefix overrides.
 */
export function validateRequest(
  body: unknown,
  endpoint: Endpoint,
  minCacheOverrides: Record<string, number> = {}
): ValidRequest {
  const json = requireObject(body, '');
  for (const key of Object.keys(json)) {
    if (SAMPLING.includes(key)) {
      throw invalid(`${key}: Extra inputs are not permitted (sampling parameters are not accepted with anthropic-version 2026-10-21)`);
    }
  }
  checkKeys(json, '', FIELDS[endpoint]);
  const modelId = requireString(json, 'model', '');
  const breakpoints: Breakpoint[] = [];

  const stream = Private.stream(json.stream);
  const maxTokens = endpoint === 'messages' ? Private.maxTokens(json.max_tokens, stream) : undefined;
  const { tools, toolTtls } = validateTools(json.tools, breakpoints);
  const system = Private.system(json.system, breakpoints);
  const messages = Private.messages(json.messages, breakpoints);
  checkToolTurns(messages, tools.length);
  const topLevelTtl = cacheControl(json.cache_control, '', breakpoints);
  const toolChoice = validateToolChoice(json.tool_choice);
  const thinking = validateThinking(json.thinking);
  const stopSequences = validateStopSequences(json.stop_sequences);
  validateOtherFields(json);

  // Only a well-formed request is looked up: the API answers shape errors before a 404.
  const model = findModel(modelId, minCacheOverrides);
  if (!model) {
    throw new ApiError(404, 'not_found_error', `model: ${modelId}`);
  }
  if (maxTokens !== undefined && maxTokens > model.maxOutputTokens) {
    throw invalid(
      `max_tokens: ${maxTokens} > ${model.maxOutputTokens}, which is the maximum allowed number of output tokens for ${model.id}`
    );
  }
  if (thinking?.budgetTokens !== undefined && maxTokens !== undefined && thinking.budgetTokens >= maxTokens) {
    throw invalid('thinking.budget_tokens: `max_tokens` must be greater than `thinking.budget_tokens`');
  }
  Private.prefill(messages, model);
  if (thinking && thinking.type !== 'between_tools') {
    checkThinkingBeforeTools(messages);
  }
  Private.breakpoints(breakpoints);

  const speed = json.speed === 'fast' ? 'fast' : 'standard';
  return { model, maxTokens, stream, tools, toolTtls, system, messages, topLevelTtl, toolChoice, thinking, stopSequences, speed };
}

namespace Private {
  /** `stream`: an optional boolean. */
  export function stream(value: unknown): boolean {
    if (value !== undefined && typeof value !== 'boolean') {
      throw invalid('stream: Input should be a valid boolean');
    }
    return value === true;
  }

  /** `max_tokens`: an integer ≥ 1, or 0 to pre-warm the cache (not streamed). */
  export function maxTokens(value: unknown, stream: boolean): number {
    if (value === undefined) {
      throw invalid('max_tokens: Field required');
    }
    if (typeof value !== 'number' || !Number.isInteger(value)) {
      throw invalid('max_tokens: Input should be a valid integer');
    }
    if (value < 0) {
      throw invalid('max_tokens: Input should be greater than or equal to 0');
    }
    if (value === 0 && stream) {
      throw invalid('max_tokens: 0 (cache pre-warming) is not supported with streaming');
    }
    return value;
  }

  /** `system`: a string or a list of text blocks. */
  export function system(value: unknown, breakpoints: Breakpoint[]): Block[] {
    if (value === undefined || value === '') {
      return [];
    }
    if (typeof value === 'string') {
      return [validateBlock({ type: 'text', text: value }, 'system', 'system', breakpoints)];
    }
    if (!Array.isArray(value)) {
      throw invalid('system: Input should be a valid string or a valid list');
    }
    return value.map((b, i) => validateBlock(b, `system.${i}`, 'system', breakpoints));
  }

  /** `messages`: non-empty, starting with user, user and assistant alternating. */
  export function messages(value: unknown, breakpoints: Breakpoint[]): ValidMessage[] {
    if (value === undefined) {
      throw invalid('messages: Field required');
    }
    if (!Array.isArray(value)) {
      throw invalid('messages: Input should be a valid list');
    }
    if (value.length === 0) {
      throw invalid('messages: at least one message is required');
    }
    if (value.length > 100_000) {
      throw invalid('messages: at most 100000 messages are allowed');
    }
    let previous: Role | undefined;
    return value.map((m, i) => {
      const path = `messages.${i}`;
      const json = requireObject(m, path);
      checkKeys(json, path, ['role', 'content']);
      const role = json.role;
      if (role !== 'user' && role !== 'assistant' && role !== 'system') {
        throw invalid(`${path}.role: Input should be 'user', 'assistant' or 'system'`);
      }
      if (i === 0 && role !== 'user') {
        throw invalid(`${path}.role: first message must use the "user" role`);
      }
      if (role !== 'system') {
        // Mid-conversation system messages (SDK's SystemMessageParam) sit between turns.
        if (role === previous) {
          throw invalid(`messages: roles must alternate between "user" and "assistant", but found multiple "${role}" roles in a row`);
        }
        previous = role;
      }
      if (json.content === undefined) {
        throw invalid(`${path}.content: Field required`);
      }
      const finalAssistant = role === 'assistant' && i === value.length - 1;
      return { role, content: validateContent(json.content, `${path}.content`, role, finalAssistant, breakpoints) };
    });
  }

  /** A final assistant message: refused by some models; must not end in whitespace. */
  export function prefill(messages: ValidMessage[], model: FakeModel): void {
    const last = messages[messages.length - 1];
    if (last.role !== 'assistant') {
      return;
    }
    if (!model.prefill) {
      throw invalid(
        `This model does not support assistant message prefill. The conversation must end with a user message. (${model.id})`
      );
    }
    const tail = last.content[last.content.length - 1];
    if (tail?.type === 'text' && /\s$/.test(tail.json.text as string)) {
      throw invalid('messages: final assistant content cannot end with trailing whitespace');
    }
  }

  /** At most 4 breakpoints; no 1h breakpoint after a 5m one (in tools → system → messages order). */
  export function breakpoints(found: Breakpoint[]): void {
    if (found.length > MAX_BREAKPOINTS) {
      throw invalid(`A maximum of ${MAX_BREAKPOINTS} blocks with cache_control may be provided. Found ${found.length}.`);
    }
    // Validation visits tools, system, messages, then the top-level field: request order.
    const first5m = found.findIndex(b => b.ttl === '5m');
    const late1h = found.find((b, i) => b.ttl === '1h' && first5m >= 0 && i > first5m);
    if (late1h) {
      throw invalid(
        `${join(late1h.path, 'cache_control')}: a ttl='1h' cache_control block must not come after a ttl='5m' ` +
          `cache_control block (${join(found[first5m].path, 'cache_control')})`
      );
    }
  }
}
