/**
 * Validation of `POST /v1/chat/completions` bodies, as strict as OpenAI: unknown fields,
 * wrong types, misplaced images, `stream_options` without `stream`, and `max_tokens` on
 * reasoning models are refused with the API's messages, `param` and `code`.
 */
import { OpenAIError, invalid } from './errors';
import { MODELS } from './models';
import { checkToolMessages, checkTools } from './tools';

/** Top-level fields of Chat Completions the fake accepts (OpenAI's documented set). */
const KNOWN_FIELDS = new Set([
  'model', 'messages', 'stream', 'stream_options', 'max_tokens', 'max_completion_tokens', 'temperature', 'top_p',
  'n', 'stop', 'presence_penalty', 'frequency_penalty', 'logit_bias', 'logprobs', 'top_logprobs', 'user', 'seed',
  'prompt_cache_key', 'prompt_cache_retention', 'safety_identifier', 'response_format', 'tools', 'tool_choice',
  'parallel_tool_calls', 'reasoning_effort', 'verbosity', 'store', 'metadata', 'service_tier', 'modalities',
  'prediction', 'audio', 'web_search_options'
]);

/** A message's content as the fake sees it: its text, and one marker per image. */
export interface CheckedMessage {
  role: string;
  /** Text with `\u0000image:<n>\u0000` markers where images were. */
  text: string;
  images: number;
}

/** A valid request, reduced to what the fake uses. */
export interface CheckedRequest {
  model: string;
  messages: CheckedMessage[];
  stream: boolean;
  includeUsage: boolean;
  maxTokens?: number;
  promptCacheKey?: string;
  /** The tools as sent ('' when none): rendered before the messages, so part of the cached prefix. */
  tools: string;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const IMAGE_URL = /^data:image\/(png|jpeg|gif|webp);base64,([A-Za-z0-9+/]+={0,2})$/;

/**
 * Check a request body.
 *
 * @param body - The parsed JSON.
 * @param options - `lenient`: accept unknown fields (llama.cpp's server takes its own extras).
 * @throws OpenAIError as the API would answer.
 */
export function checkChatRequest(body: unknown, options: { lenient?: boolean } = {}): CheckedRequest {
  if (!isObject(body)) {
    throw invalid('We could not parse the JSON body of your request. The body must be a JSON object.');
  }
  if (!options.lenient) {
    for (const key of Object.keys(body)) {
      if (!KNOWN_FIELDS.has(key)) {
        throw invalid(`Unrecognized request argument supplied: ${key}`);
      }
    }
  }
  for (const key of ['model', 'messages']) {
    if (body[key] === undefined) {
      throw invalid(`Missing required parameter: '${key}'.`, key, 'missing_required_parameter');
    }
  }
  if (typeof body.model !== 'string') {
    throw invalid(`Invalid type for 'model': expected a string, but got ${typeof body.model} instead.`, 'model', 'invalid_type');
  }
  // A local server serves whatever it loaded, whatever the name: no OpenAI model rules.
  const model = options.lenient ? undefined : MODELS.find(m => m.id === body.model);
  if (!model && !options.lenient) {
    throw new OpenAIError(404, 'invalid_request_error', `The model \`${body.model}\` does not exist or you do not have access to it.`, null, 'model_not_found');
  }
  if (!Array.isArray(body.messages) || body.messages.length === 0) {
    throw invalid(
      Array.isArray(body.messages) ? "Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead." : "Invalid type for 'messages': expected an array of objects.",
      'messages',
      Array.isArray(body.messages) ? 'empty_array' : 'invalid_type'
    );
  }
  const messages = body.messages.map((m, i) => Private.message(m, i));
  const toolCount = checkTools(body.tools);
  checkToolMessages(body.messages as Record<string, unknown>[]);
  const stream = body.stream === true;
  if (body.stream !== undefined && typeof body.stream !== 'boolean') {
    throw invalid("Invalid type for 'stream': expected a boolean.", 'stream', 'invalid_type');
  }
  if (body.stream_options !== undefined && body.stream_options !== null) {
    if (!stream) {
      throw invalid("The 'stream_options' parameter is only allowed when 'stream' is enabled.", 'stream_options');
    }
    if (!isObject(body.stream_options) || Object.keys(body.stream_options).some(k => k !== 'include_usage' && k !== 'include_obfuscation')) {
      throw invalid("Invalid 'stream_options': only 'include_usage' and 'include_obfuscation' are accepted.", 'stream_options');
    }
  }
  for (const key of ['max_tokens', 'max_completion_tokens']) {
    const v = body[key];
    if (v !== undefined && v !== null && (!Number.isInteger(v) || (v as number) < 1)) {
      throw invalid(`Invalid '${key}': integer below minimum value. Expected a value >= 1, but got ${JSON.stringify(v)} instead.`, key, 'integer_below_min_value');
    }
  }
  if (body.max_tokens != null && model?.reasoning) {
    throw invalid(
      "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.",
      'max_tokens',
      'unsupported_parameter'
    );
  }
  if (body.max_tokens != null && body.max_completion_tokens != null) {
    throw invalid("Set either 'max_tokens' or 'max_completion_tokens', not both.", 'max_tokens');
  }
  if (body.temperature != null && (typeof body.temperature !== 'number' || body.temperature < 0 || body.temperature > 2)) {
    throw invalid("Invalid 'temperature': expected a number between 0 and 2.", 'temperature', 'decimal_above_max_value');
  }
  if (body.n != null && body.n !== 1) {
    throw invalid("The fake serves one choice only: 'n' must be 1.", 'n');
  }
  if (body.prompt_cache_key != null && typeof body.prompt_cache_key !== 'string') {
    throw invalid("Invalid type for 'prompt_cache_key': expected a string.", 'prompt_cache_key', 'invalid_type');
  }
  const streamOptions = isObject(body.stream_options) ? body.stream_options : {};
  return {
    model: body.model,
    messages,
    stream,
    includeUsage: stream && streamOptions.include_usage === true,
    maxTokens: (body.max_completion_tokens ?? body.max_tokens ?? undefined) as number | undefined,
    promptCacheKey: typeof body.prompt_cache_key === 'string' ? body.prompt_cache_key : undefined,
    tools: toolCount ? JSON.stringify(body.tools) : ''
  };
}

namespace Private {
  /** Check one message. */
  export function message(value: unknown, i: number): CheckedMessage {
    const where = `messages.[${i}]`;
    if (!isObject(value)) {
      throw invalid(`Invalid type for '${where}': expected an object.`, where, 'invalid_type');
    }
    const role = value.role;
    if (role !== 'system' && role !== 'developer' && role !== 'user' && role !== 'assistant' && role !== 'tool') {
      throw invalid(
        `Invalid value: '${String(role)}'. Supported values are: 'system', 'assistant', 'user', 'tool', 'function' and 'developer'.`,
        `${where}.role`,
        'invalid_value'
      );
    }
    const content = value.content;
    // Calls and the id a result answers are part of the prompt the cache sees.
    const calls = role === 'assistant' && Array.isArray(value.tool_calls) ? JSON.stringify(value.tool_calls) : '';
    const answers = role === 'tool' ? `[${String(value.tool_call_id)}]` : '';
    if (typeof content === 'string') {
      return { role, text: answers + content + calls, images: 0 };
    }
    if ((content === null || content === undefined) && calls) {
      return { role, text: calls, images: 0 };
    }
    if (!Array.isArray(content)) {
      throw invalid(`Invalid type for '${where}.content': expected one of a string or array of objects.`, `${where}.content`, 'invalid_type');
    }
    let text = '';
    let images = 0;
    content.forEach((part, j) => {
      const at = `${where}.content.[${j}]`;
      if (!isObject(part)) {
        throw invalid(`Invalid type for '${at}': expected an object.`, at, 'invalid_type');
      }
      if (part.type === 'text') {
        if (typeof part.text !== 'string') {
          throw invalid(`Missing required parameter: '${at}.text'.`, `${at}.text`, 'missing_required_parameter');
        }
        text += part.text;
      } else if (part.type === 'image_url') {
        if (role !== 'user') {
          throw invalid(
            `Invalid 'messages[${i}]'. Image URLs are only allowed for messages with role 'user', but this message with role '${role}' contains an image URL.`,
            at,
            'invalid_value'
          );
        }
        const url = isObject(part.image_url) ? part.image_url.url : undefined;
        if (typeof url !== 'string' || !(IMAGE_URL.test(url) || url.startsWith('https://'))) {
          throw invalid(
            "Invalid 'image_url'. Expected a base64-encoded data URL with an image MIME type (e.g. 'data:image/png;base64,aW1nIGJ5dGVzIGhlcmU='), but got a value without the 'data:' prefix.",
            `${at}.image_url.url`,
            'invalid_image_url'
          );
        }
        images++;
        text += `\u0000image:${url.length}:${url.slice(-16)}\u0000`;
      } else {
        throw invalid(
          `Invalid value: '${String(part.type)}'. Supported values are: 'text', 'image_url', 'input_audio', 'refusal', and 'file'.`,
          `${at}.type`,
          'invalid_value'
        );
      }
    });
    return { role, text, images };
  }
}
