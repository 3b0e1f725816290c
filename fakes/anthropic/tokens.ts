/**
 * The fake's tokenizer: deterministic and approximate, so tests can predict counts.
 *
 *   text                     ceil(UTF-16 length / 4)
 *   message                  +4 (role header), charged to the message's first block
 *   image                    1600 (about the API's largest image)
 *   document                 10 + text of title, context and data; a PDF ceil(bytes / 16);
 *                            a URL or file reference 1600
 *   tool definition          ceil(JSON length / 4) (cache_control left out)
 *   tool_use                 4 + name + ceil(JSON(input) length / 4)
 *   tool_result              4 + its content
 *   thinking / redacted      the text of `thinking` / `data`
 *   end of prompt            +3 (the assistant header the reply starts from); never cached
 *
 * Output tokens are counted the same way over the reply's thinking and text.
 */
import { Block } from './blocks';
import { Json, isObject } from './json';
import { decodedLength } from './media';

/** The constants of the table above. */
export const TOKENS = {
  charsPerToken: 4,
  messageOverhead: 4,
  image: 1600,
  documentOverhead: 10,
  pdfBytesPerToken: 16,
  referencedMedia: 1600,
  toolUseOverhead: 4,
  toolResultOverhead: 4,
  promptEnd: 3
} as const;

/**
 * Tokens of a text.
 *
 * @param text - The text.
 */
export function textTokens(text: string): number {
  return Math.ceil(text.length / TOKENS.charsPerToken);
}

/**
 * JSON of a value without its `cache_control` fields: what a breakpoint marks, not part of it.
 *
 * @param value - A block or tool.
 */
export function withoutCacheControl(value: unknown): string {
  return JSON.stringify(value, (key, v) => (key === 'cache_control' ? undefined : v));
}

/**
 * Tokens of a tool definition.
 *
 * @param tool - The tool as sent.
 */
export function toolTokens(tool: Json): number {
  return textTokens(withoutCacheControl(tool));
}

/**
 * Tokens of a validated content block.
 *
 * @param block - The block.
 */
export function blockTokens(block: Block): number {
  return Private.jsonTokens(block.json);
}

namespace Private {
  /** Tokens of a block's JSON (nested tool-result content is not a validated `Block`). */
  export function jsonTokens(json: Json): number {
    const str = (v: unknown): string => (typeof v === 'string' ? v : '');
    switch (json.type) {
      case 'text':
        return textTokens(str(json.text));
      case 'image':
        return TOKENS.image;
      case 'document':
        return TOKENS.documentOverhead + textTokens(str(json.title)) + textTokens(str(json.context)) + sourceTokens(json.source);
      case 'thinking':
        return textTokens(str(json.thinking));
      case 'redacted_thinking':
        return textTokens(str(json.data));
      case 'tool_use':
        return TOKENS.toolUseOverhead + textTokens(str(json.name)) + textTokens(JSON.stringify(json.input ?? {}));
      case 'tool_result': {
        const content = json.content;
        const inner = Array.isArray(content)
          ? content.reduce<number>((sum, b) => sum + (isObject(b) ? jsonTokens(b) : 0), 0)
          : textTokens(str(content));
        return TOKENS.toolResultOverhead + inner;
      }
      default:
        return 0;
    }
  }

  /** Tokens of a document source. */
  function sourceTokens(source: unknown): number {
    if (!isObject(source)) {
      return 0;
    }
    if (source.type === 'text') {
      return textTokens(typeof source.data === 'string' ? source.data : '');
    }
    if (source.type === 'base64' && typeof source.data === 'string') {
      return Math.ceil(decodedLength(source.data) / TOKENS.pdfBytesPerToken);
    }
    return TOKENS.referencedMedia;
  }
}
