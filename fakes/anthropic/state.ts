/**
 * Options of a fake server and the mutable state its handlers share.
 */
import { PromptCache } from './cache';
import { FaultQueue } from './faults';
import { LoggedRequest } from './log';
import { ScriptedReply } from './tool-use';

/** Options of `startFakeAnthropic`. */
export interface FakeAnthropicOptions {
  /** Port to listen on; 0 (the default) picks a free one. */
  port?: number;
  /** Interface to listen on; default 127.0.0.1. */
  host?: string;
  /** Accepted API keys; default `['test-key']`. */
  apiKeys?: string[];
  /** Clock in ms for cache expiry and the log; default `Date.now`. */
  now?: () => number;
  /** Delay between stream deltas in ms; default 5. */
  deltaDelayMs?: number;
  /** Words per text delta; default 3. */
  wordsPerDelta?: number;
  /** Largest request body in bytes before a 413; default 32 MB. */
  maxBodyBytes?: number;
  /** Minimum cacheable prefix per model id, replacing the table in models.ts. */
  minCacheTokens?: Record<string, number>;
}

/** Options with their defaults filled in. */
export type ResolvedOptions = Required<Omit<FakeAnthropicOptions, 'port' | 'host' | 'apiKeys'>> & {
  apiKeys: readonly string[];
};

/** Everything the handlers of one server share. */
export interface FakeState {
  readonly options: ResolvedOptions;
  /** Accepted keys (replaceable through the control API). */
  keys: Set<string>;
  readonly log: LoggedRequest[];
  readonly faults: FaultQueue;
  /** Canned replies (text, or text and tool calls), used before the default reply. */
  readonly replies: ScriptedReply[];
  readonly cache: PromptCache;
  /** Number of replies generated so far (the N of "Fake reply #N"). */
  replyCount: number;
}

/**
 * Fill in defaults.
 *
 * @param options - Options as given.
 */
export function resolveOptions(options: FakeAnthropicOptions): ResolvedOptions {
  return {
    apiKeys: options.apiKeys ?? ['test-key'],
    now: options.now ?? Date.now,
    deltaDelayMs: options.deltaDelayMs ?? 5,
    wordsPerDelta: options.wordsPerDelta ?? 3,
    maxBodyBytes: options.maxBodyBytes ?? 32 * 1024 * 1024,
    minCacheTokens: options.minCacheTokens ?? {}
  };
}

/**
 * A fresh state.
 *
 * @param options - Resolved options.
 */
export function createState(options: ResolvedOptions): FakeState {
  return {
    options,
    keys: new Set(options.apiKeys),
    log: [],
    faults: new FaultQueue(),
    replies: [],
    cache: new PromptCache(options.now),
    replyCount: 0
  };
}

/**
 * Back to the state of a fresh server: log, faults, replies, cache, counters and keys.
 *
 * @param state - The state to reset in place (handlers hold references to it).
 */
export function resetState(state: FakeState): void {
  state.keys = new Set(state.options.apiKeys);
  state.log.length = 0;
  state.faults.clear();
  state.replies.length = 0;
  state.cache.clear();
  state.replyCount = 0;
}
