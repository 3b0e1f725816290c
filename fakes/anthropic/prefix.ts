/**
 * Renders a validated request into the sequence of cacheable units the cache accounting
 * works on: tools, then system blocks, then message blocks, one unit per block.
 *
 * Each unit carries the hash of the whole prefix up to and including it, seeded with the
 * model id, over the blocks' JSON as sent minus `cache_control` (so moving a breakpoint does
 * not change the prefix, but any other byte does, key order included). Two things that are
 * not blocks also shape the prompt, and go into the first message unit: `tool_choice` and
 * the thinking configuration. Changing them therefore misses message entries while tool and
 * system entries still hit, as PROVIDERS.md describes.
 */
import { createHash } from 'crypto';
import { Ttl } from './blocks';
import { TOKENS, blockTokens, toolTokens, withoutCacheControl } from './tokens';
import { ValidRequest } from './validate';

/** One cacheable block of the prompt. */
export interface PromptUnit {
  /** Where it came from, e.g. `system.1` or `messages.2.content.0`. */
  where: string;
  /** Its tokens (a message's first block includes the role header). */
  tokens: number;
  /** Hash of the prefix up to and including this unit. */
  hash: string;
  /** TTL of a breakpoint on this unit, if any. */
  ttl?: Ttl;
}

/** A request's prompt as the cache sees it. */
export interface RenderedPrompt {
  units: PromptUnit[];
  /** All input tokens: the units plus what follows the last block (never cacheable). */
  totalTokens: number;
}

/**
 * Render a request's prompt.
 *
 * @param request - A validated request.
 */
export function renderPrompt(request: ValidRequest): RenderedPrompt {
  const units: PromptUnit[] = [];
  let hash = createHash('sha256').update(`model:${request.model.id}`).digest('hex');
  const push = (where: string, bytes: string, tokens: number, ttl: Ttl | undefined): void => {
    hash = createHash('sha256').update(hash).update(bytes).digest('hex');
    units.push({ where, tokens, hash, ttl });
  };

  request.tools.forEach((tool, i) => push(`tools.${i}`, `tool:${withoutCacheControl(tool)}`, toolTokens(tool), request.toolTtls[i]));
  request.system.forEach((block, i) =>
    push(`system.${i}`, `system:${withoutCacheControl(block.json)}`, blockTokens(block), block.ttl)
  );

  let context = `context:${JSON.stringify({ tool_choice: request.toolChoice ?? null, thinking: request.thinking ?? null })}`;
  let trailing: number = TOKENS.promptEnd;
  request.messages.forEach((message, m) => {
    if (message.content.length === 0) {
      // An empty final assistant message adds its header after the last block.
      trailing += TOKENS.messageOverhead;
      return;
    }
    message.content.forEach((block, b) => {
      const header = b === 0 ? `${context}\n${message.role}:` : '\n';
      context = '';
      const tokens = blockTokens(block) + (b === 0 ? TOKENS.messageOverhead : 0);
      push(`messages.${m}.content.${b}`, header + withoutCacheControl(block.json), tokens, block.ttl);
    });
  });

  // A top-level cache_control marks the last cacheable block, unless it already has a breakpoint.
  const last = units[units.length - 1];
  if (request.topLevelTtl && last && !last.ttl) {
    last.ttl = request.topLevelTtl;
  }
  const totalTokens = units.reduce<number>((sum, u) => sum + u.tokens, trailing);
  return { units, totalTokens };
}
