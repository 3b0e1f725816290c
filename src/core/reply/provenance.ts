/**
 * What a reply records about itself in `metadata.aimagic` of its AI cell, and the footer
 * line shown under it. Never a key.
 */
import { formatCount as n } from '../format';
import { hashText } from '../hash';
import { formatCost } from './pricing';
import { ReplyResult } from './reply';
import { Usage } from '../types';

/** `metadata.aimagic` of an AI cell. */
export interface Provenance {
  provider: string;
  model: string;
  usage: Usage;
  /** Estimated cost in USD at the prices known when the reply finished; absent for unknown models. */
  cost?: number;
  durationMs: number;
  stopReason: string;
  /** Hash of the request body that produced the reply. */
  requestHash: string;
  /** Cells left out of the context for the budget. */
  omitted?: string[];
  /** What the provider said about the reply (e.g. no usage reported, prefix restored from disk). */
  notice?: string;
  /** The failure that ended the reply early, if any. */
  error?: { kind: string; message: string };
  /** When the reply finished (ISO time); metadata only, never sent to the model. */
  finishedAt?: string;
  /** Tool calls the reply made, when any. */
  toolCalls?: number;
  /** Model requests of the tool loop, when more than one. */
  steps?: number;
}

/**
 * The provenance of a finished reply.
 *
 * @param provider - Provider id.
 * @param result - The reply.
 * @param body - The request body sent.
 * @param omitted - Cells left out for the budget.
 */
export function provenanceOf(provider: string, result: ReplyResult, body: unknown, omitted: string[] = []): Provenance {
  const p: Provenance = {
    provider,
    model: result.model,
    usage: result.usage,
    durationMs: Math.round(result.durationMs),
    stopReason: result.stopReason,
    requestHash: hashText(JSON.stringify(body))
  };
  if (omitted.length) {
    p.omitted = omitted;
  }
  if (result.error) {
    p.error = result.error;
  }
  if (result.notice) {
    p.notice = result.notice;
  }
  if (result.toolCalls?.length) {
    p.toolCalls = result.toolCalls.length;
  }
  if ((result.steps ?? 1) > 1) {
    p.steps = result.steps;
  }
  return p;
}


/**
 * The footer line of a reply: model, tokens (cache read, cache write and uncached input
 * when the cache was used), output, time, cost when the model's price is known, and how it
 * ended when not normally.
 *
 * @param p - The reply's provenance.
 */
export function footerText(p: Provenance): string {
  const u = p.usage;
  const parts = [p.model];
  const input = u.input + u.cacheRead + u.cacheWrite;
  parts.push(`${n(input)} in`);
  if (u.cacheRead || u.cacheWrite) {
    parts.push(`${n(u.cacheRead)} cache read`, `${n(u.cacheWrite)} cache write`, `${n(u.input)} uncached`);
  }
  parts.push(`${n(u.output)} out`, `${(p.durationMs / 1000).toFixed(1)} s`);
  if (p.toolCalls) {
    // Usage and cost above are the sums over the loop's steps.
    parts.push(`${p.toolCalls} tool call${p.toolCalls > 1 ? 's' : ''}${p.steps ? ` in ${p.steps} steps` : ''}`);
  }
  if (typeof p.cost === 'number' && Number.isFinite(p.cost)) {
    parts.push(formatCost(p.cost));
  }
  if (p.stopReason === 'stopped') {
    parts.push('stopped');
  } else if (p.stopReason === 'max_tokens') {
    parts.push('cut at max tokens');
  } else if (p.stopReason === 'error') {
    parts.push('interrupted');
  } else if (p.stopReason === 'step_limit') {
    parts.push('stopped at the step limit');
  }
  if (p.omitted?.length) {
    parts.push(`${p.omitted.length} cell${p.omitted.length > 1 ? 's' : ''} left out for the budget`);
  }
  if (typeof p.notice === 'string' && p.notice) {
    parts.push(p.notice);
  }
  return parts.join(' · ');
}
