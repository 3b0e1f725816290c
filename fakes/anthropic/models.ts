/**
 * The models the fake knows: the ids of the installed SDK's `Model` type, with the facts the
 * fake enforces (prefill, minimum cacheable prefix, output and context limits).
 *
 * Minimum cacheable prefix (tokens). Third-party tables disagree for the newest models; this
 * one follows LiteLLM's table of 2026-10 (the only one whose range matches PROVIDERS.md's
 * "512 to 4096"), extended by family where no source names a model (marked "assumed"):
 *
 *   512   claude-opus-5, -5-5; claude-fable-5, -5-1, -5-2; claude-mythos-5, -5-1, -5-2
 *   1024  claude-sonnet-5, -5-5; claude-opus-4-8; claude-sonnet-4-6; claude-sonnet-4-5;
 *         claude-mythos-preview (assumed)
 *   4096  claude-opus-4-5, -4-6, -4-7; claude-haiku-4-5; claude-haiku-5-5 (assumed)
 *
 * Prefill is refused (400) by Sonnet 4.6 and 5.x, Opus 4.6–4.8 and Fable 5.x (PROVIDERS.md).
 * Release dates are invented but ordered like the SDK's `Model` type (newest first).
 */
import type Anthropic from '@anthropic-ai/sdk';

/** One model as the fake sees it. */
export interface FakeModel {
  /** The API model id. */
  id: string;
  /** Human-readable name, as `/v1/models` reports it. */
  displayName: string;
  /** RFC 3339 release date (invented). */
  createdAt: string;
  /** Model line, as `/v1/models` reports it. */
  line: Anthropic.ModelLine;
  /** Minimum tokens a prefix must reach before a breakpoint caches it. */
  minCacheTokens: number;
  /** Whether a final assistant message (prefill) is accepted. */
  prefill: boolean;
  /** Largest accepted `max_tokens`. */
  maxOutputTokens: number;
  /** Largest accepted prompt, in the fake's tokens. */
  contextWindow: number;
  /** Lifecycle stage (the SDK warns about the deprecated ones). */
  lifecycle: 'active' | 'deprecated';
}

/** One catalogue row, positional so the table above reads as a table. */
function model(
  id: string,
  displayName: string,
  createdAt: string,
  minCacheTokens: number,
  prefill: boolean,
  maxOutputTokens: number,
  contextWindow: number,
  lifecycle: FakeModel['lifecycle'] = 'active'
): FakeModel {
  const line = id.split('-')[1] as Anthropic.ModelLine;
  return { id, displayName, createdAt, line, minCacheTokens, prefill, maxOutputTokens, contextWindow, lifecycle };
}

const K = 1000;
const M = 1_000_000;

/** Every model the fake serves, newest first (the order `/v1/models` lists them in). */
export const MODELS: readonly FakeModel[] = [
  model('claude-fable-5-2', 'Claude Fable 5.2', '2026-11-18T00:00:00Z', 512, false, 128 * K, M),
  model('claude-mythos-5-2', 'Claude Mythos 5.2', '2026-11-18T00:00:00Z', 512, true, 128 * K, M),
  model('claude-haiku-5-5', 'Claude Haiku 5.5', '2026-11-04T00:00:00Z', 4096, true, 64 * K, M),
  model('claude-sonnet-5-5', 'Claude Sonnet 5.5', '2026-10-28T00:00:00Z', 1024, false, 128 * K, M),
  model('claude-fable-5-1', 'Claude Fable 5.1', '2026-10-14T00:00:00Z', 512, false, 128 * K, M),
  model('claude-opus-5-5', 'Claude Opus 5.5', '2026-10-07T00:00:00Z', 512, true, 128 * K, M),
  model('claude-mythos-5-1', 'Claude Mythos 5.1', '2026-09-23T00:00:00Z', 512, true, 128 * K, M),
  model('claude-sonnet-5', 'Claude Sonnet 5', '2026-08-19T00:00:00Z', 1024, false, 128 * K, M),
  model('claude-fable-5', 'Claude Fable 5', '2026-06-10T00:00:00Z', 512, false, 128 * K, M),
  model('claude-mythos-5', 'Claude Mythos 5', '2026-05-27T00:00:00Z', 512, true, 128 * K, M),
  model('claude-opus-5', 'Claude Opus 5', '2026-05-20T00:00:00Z', 512, true, 128 * K, M),
  model('claude-opus-4-8', 'Claude Opus 4.8', '2026-04-15T00:00:00Z', 1024, false, 128 * K, M),
  model('claude-opus-4-7', 'Claude Opus 4.7', '2026-03-11T00:00:00Z', 4096, false, 128 * K, M),
  model('claude-mythos-preview', 'Claude Mythos Preview', '2026-02-25T00:00:00Z', 1024, true, 128 * K, M, 'deprecated'),
  model('claude-sonnet-4-6', 'Claude Sonnet 4.6', '2026-02-17T00:00:00Z', 1024, false, 64 * K, M),
  model('claude-opus-4-6', 'Claude Opus 4.6', '2026-02-05T00:00:00Z', 4096, false, 128 * K, M),
  model('claude-opus-4-5-20251101', 'Claude Opus 4.5', '2025-11-24T00:00:00Z', 4096, true, 64 * K, 200 * K, 'deprecated'),
  model('claude-opus-4-5', 'Claude Opus 4.5', '2025-11-24T00:00:00Z', 4096, true, 64 * K, 200 * K, 'deprecated'),
  model('claude-haiku-4-5-20251001', 'Claude Haiku 4.5', '2025-10-15T00:00:00Z', 4096, true, 64 * K, 200 * K),
  model('claude-haiku-4-5', 'Claude Haiku 4.5', '2025-10-15T00:00:00Z', 4096, true, 64 * K, 200 * K),
  model('claude-sonnet-4-5-20250929', 'Claude Sonnet 4.5', '2025-09-29T00:00:00Z', 1024, true, 64 * K, 200 * K, 'deprecated'),
  model('claude-sonnet-4-5', 'Claude Sonnet 4.5', '2025-09-29T00:00:00Z', 1024, true, 64 * K, 200 * K, 'deprecated')
];

/**
 * Look a model up by id.
 *
 * @param id - The model id from a request or URL.
 * @param minCacheOverrides - Per-id minimum cacheable prefix, replacing the table's value.
 */
export function findModel(id: string, minCacheOverrides: Record<string, number> = {}): FakeModel | undefined {
  const found = MODELS.find(m => m.id === id);
  if (!found || minCacheOverrides[id] === undefined) {
    return found;
  }
  return { ...found, minCacheTokens: minCacheOverrides[id] };
}

/** A capability flag. */
const yes = { supported: true };
const no = { supported: false };

/**
 * The `/v1/models` representation of a model (the SDK's `ModelInfo`).
 *
 * @param m - The model.
 */
export function modelInfo(m: FakeModel): Anthropic.ModelInfo {
  return {
    type: 'model',
    id: m.id,
    display_name: m.displayName,
    created_at: m.createdAt,
    deprecated_at: m.lifecycle === 'deprecated' ? '2026-10-21T00:00:00Z' : null,
    retires_at: null,
    lifecycle: m.lifecycle,
    line: m.line,
    max_input_tokens: m.contextWindow,
    max_tokens: m.maxOutputTokens,
    // Only what the fake actually accepts is claimed: text, images, text/PDF documents,
    // manual and adaptive thinking; no server tools.
    capabilities: {
      batch: no,
      citations: yes,
      code_execution: no,
      context_management: {
        supported: false,
        clear_thinking_20251015: null,
        clear_tool_uses_20250919: null,
        compact_20260112: null
      },
      effort: { supported: false, low: no, medium: no, high: no, max: no, xhigh: null },
      image_input: yes,
      pdf_input: yes,
      server_tools: { supported: false, code_execution: no, web_search: no },
      structured_outputs: no,
      thinking: {
        supported: true,
        types: { adaptive: yes, enabled: yes, disabled: yes, between_tools: yes }
      }
    }
  };
}
