/**
 * Validation of content blocks (message content, system blocks, tool results) and of
 * `cache_control`. Messages name the JSON path, like the API's own errors.
 */
import { invalid } from './errors';
import { Json, checkKeys, join, requireObject, requireString } from './json';
import { checkDocumentSource, checkImageSource } from './media';
import { SIGNATURE_PREFIX, signThinking } from './signature';

export type { Json } from './json';

/** Who a block belongs to: `system` covers the system prompt and mid-conversation system messages. */
export type Role = 'user' | 'assistant' | 'system';

/** Cache lifetime of a breakpoint. */
export type Ttl = '5m' | '1h';

/** A validated content block. */
export interface Block {
  /** The block as sent. */
  json: Json;
  /** Its `type`. */
  type: string;
  /** TTL of a breakpoint on it (or on a block nested in it), if any. */
  ttl?: Ttl;
}

/** A breakpoint found during validation, in request order. */
export interface Breakpoint {
  /** JSON path of the block carrying it ('' for the top-level field). */
  path: string;
  /** Its TTL. */
  ttl: Ttl;
}

/** Which block types each role may send. */
const ALLOWED: Readonly<Record<Role, readonly string[]>> = {
  user: ['text', 'image', 'document', 'tool_result'],
  assistant: ['text', 'thinking', 'redacted_thinking', 'tool_use'],
  system: ['text']
};

const ALL_TYPES = ['text', 'image', 'document', 'thinking', 'redacted_thinking', 'tool_use', 'tool_result'];

/**
 * Validate a `cache_control` value and record its breakpoint.
 *
 * @param value - The `cache_control` value (absent and null mean no breakpoint).
 * @param path - JSON path of its owner ('' for the request's top-level field).
 * @param breakpoints - Receives the breakpoint.
 * @returns Its TTL, or undefined when there is no breakpoint.
 */
export function cacheControl(value: unknown, path: string, breakpoints: Breakpoint[]): Ttl | undefined {
  if (value === undefined || value === null) {
    return undefined;
  }
  const where = join(path, 'cache_control');
  const cc = requireObject(value, where);
  checkKeys(cc, where, ['type', 'ttl']);
  if (cc.type !== 'ephemeral') {
    throw invalid(`${where}.type: Input should be 'ephemeral'`);
  }
  if (cc.ttl !== undefined && cc.ttl !== '5m' && cc.ttl !== '1h') {
    throw invalid(`${where}.ttl: Input should be '5m' or '1h'`);
  }
  const ttl: Ttl = cc.ttl === '1h' ? '1h' : '5m';
  breakpoints.push({ path, ttl });
  return ttl;
}

/**
 * Validate one content block.
 *
 * @param value - The block as sent.
 * @param path - Its JSON path, e.g. `messages.0.content.1`.
 * @param role - The role of the message (or `system`) it belongs to.
 * @param breakpoints - Receives any breakpoint on it or nested in it.
 */
export function validateBlock(value: unknown, path: string, role: Role, breakpoints: Breakpoint[]): Block {
  const json = requireObject(value, path);
  const type = requireString(json, 'type', path);
  if (!ALL_TYPES.includes(type)) {
    throw invalid(
      `${path}: Input tag '${type}' found using 'type' does not match any of the expected tags: ` +
        ALL_TYPES.map(t => `'${t}'`).join(', ')
    );
  }
  if (!ALLOWED[role].includes(type)) {
    throw invalid(`${path}: ${type} blocks are not allowed in ${role === 'system' ? 'system content' : `${role} messages`}`);
  }
  Private.CHECKS[type](json, path);
  let ttl = cacheControl(json.cache_control, path, breakpoints);
  if (type === 'tool_result' && Array.isArray(json.content)) {
    // Blocks nested in a tool result may carry their own breakpoint; the result counts as one block.
    json.content.forEach((inner, i) => {
      const nested = validateBlock(inner, `${path}.content.${i}`, 'user', breakpoints);
      if (nested.type === 'tool_result') {
        throw invalid(`${path}.content.${i}: tool_result blocks cannot be nested`);
      }
      ttl = nested.ttl ?? ttl;
    });
  }
  return { json, type, ttl };
}

/**
 * Validate a message's `content` (a string is shorthand for one text block).
 *
 * @param content - The content as sent.
 * @param path - JSON path of the content.
 * @param role - The message's role.
 * @param finalAssistant - Whether this is the last message and an assistant one (may be empty).
 * @param breakpoints - Receives breakpoints.
 */
export function validateContent(
  content: unknown,
  path: string,
  role: Role,
  finalAssistant: boolean,
  breakpoints: Breakpoint[]
): Block[] {
  const emptyAllowed = (empty: boolean): boolean => {
    if (empty && !finalAssistant) {
      throw invalid(`${path}: all messages must have non-empty content except for the optional final assistant message`);
    }
    return empty;
  };
  if (typeof content === 'string') {
    if (emptyAllowed(content.length === 0)) {
      return [];
    }
    return [validateBlock({ type: 'text', text: content }, path, role, breakpoints)];
  }
  if (!Array.isArray(content)) {
    throw invalid(`${path}: Input should be a valid string or a valid list`);
  }
  emptyAllowed(content.length === 0);
  return content.map((b, i) => validateBlock(b, `${path}.${i}`, role, breakpoints));
}

namespace Private {
  /** Per-type shape checks, run after the type and role are known to fit. */
  export const CHECKS: Readonly<Record<string, (json: Json, path: string) => void>> = {
    text(json, path) {
      checkKeys(json, path, ['type', 'text', 'cache_control', 'citations']);
      const text = requireString(json, 'text', path);
      if (text.trim() === '') {
        // The API names the breakpoint first: it is the more specific mistake.
        if (json.cache_control !== undefined && json.cache_control !== null) {
          throw invalid(`${path}.cache_control: cache_control cannot be set for empty text blocks`);
        }
        throw invalid(`${path}.text: text content blocks must contain non-whitespace text`);
      }
      if (json.citations !== undefined && json.citations !== null && !Array.isArray(json.citations)) {
        throw invalid(`${path}.citations: Input should be a valid list`);
      }
    },
    image(json, path) {
      checkKeys(json, path, ['type', 'source', 'cache_control', 'transformations']);
      checkImageSource(json.source, `${path}.source`);
    },
    document(json, path) {
      checkKeys(json, path, ['type', 'source', 'cache_control', 'citations', 'context', 'title']);
      for (const key of ['title', 'context']) {
        if (json[key] !== undefined && json[key] !== null && typeof json[key] !== 'string') {
          throw invalid(`${path}.${key}: Input should be a valid string`);
        }
      }
      checkDocumentSource(json.source, `${path}.source`);
    },
    thinking(json, path) {
      checkKeys(json, path, ['type', 'thinking', 'signature']);
      const thinking = requireString(json, 'thinking', path);
      const signature = requireString(json, 'signature', path);
      // Blocks the fake signed must come back unmodified, as the API requires.
      if (signature.startsWith(SIGNATURE_PREFIX) && signature !== signThinking(thinking)) {
        throw invalid(`${path}.signature: Invalid \`signature\` in \`thinking\` block`);
      }
    },
    redacted_thinking(json, path) {
      checkKeys(json, path, ['type', 'data']);
      requireString(json, 'data', path);
    },
    tool_use(json, path) {
      checkKeys(json, path, ['type', 'id', 'name', 'input', 'cache_control', 'caller']);
      requireString(json, 'id', path);
      requireString(json, 'name', path);
      requireObject(json.input, `${path}.input`);
    },
    tool_result(json, path) {
      checkKeys(json, path, ['type', 'tool_use_id', 'content', 'is_error', 'cache_control']);
      requireString(json, 'tool_use_id', path);
      const content = json.content;
      if (content !== undefined && typeof content !== 'string' && !Array.isArray(content)) {
        throw invalid(`${path}.content: Input should be a valid string or a valid list`);
      }
      if (json.is_error !== undefined && typeof json.is_error !== 'boolean') {
        throw invalid(`${path}.is_error: Input should be a valid boolean`);
      }
    }
  };
}
