/**
 * Prompt-cache accounting, exactly as follows (units are the prompt's blocks in tools →
 * system → messages order, see prefix.ts; P(i) is the tokens of units 0..i):
 *
 * 1. Lookup. For each breakpoint b, the units b, b-1, …, b-20 (the breakpoint and at most
 *    20 blocks before it) are tried from the longest down; the first whose prefix is an
 *    entry that has not expired is that breakpoint's hit. The request's hit h is the longest
 *    hit of any breakpoint; cache_read_input_tokens = P(h), or 0 without a hit.
 * 2. Write. Only breakpoints whose prefix reaches the model's minimum cacheable length are
 *    written. If the last such breakpoint L lies after h, cache_creation_input_tokens =
 *    P(L) - P(h): the tokens from the hit to L. Each stretch between consecutive
 *    breakpoints is billed to the TTL of the breakpoint that ends it (ephemeral_5m_… or
 *    ephemeral_1h_…).
 * 3. input_tokens = total - read - written: only the uncached remainder.
 * 4. Commit. When the response starts (headers of a JSON answer, `message_start` of a
 *    stream) every written breakpoint becomes an entry (or is refreshed) expiring TTL from
 *    then, and the hit entry's expiry is refreshed. Before that, concurrent requests miss.
 *    An entry keeps the longer TTL it has been given.
 *
 * Entries are keyed by model and prefix hash (the hash is seeded with the model id).
 */
import { Ttl } from './blocks';
import { FakeModel } from './models';
import { RenderedPrompt } from './prefix';

/** How far back a breakpoint looks for an entry, in blocks. */
export const LOOKBACK_BLOCKS = 20;

/** Lifetime of each TTL, in ms. */
export const TTL_MS: Readonly<Record<Ttl, number>> = { '5m': 5 * 60_000, '1h': 60 * 60_000 };

/** The input side of a response's usage. */
export interface InputUsage {
  input_tokens: number;
  cache_read_input_tokens: number;
  cache_creation_input_tokens: number;
  cache_creation: { ephemeral_5m_input_tokens: number; ephemeral_1h_input_tokens: number };
}

/** The outcome of accounting for one request. */
export interface CacheAccount {
  usage: InputUsage;
  /** Make the written entries readable and refresh the hit; call when the response starts. */
  commit(): void;
}

/** One cache entry. */
interface Entry {
  ttl: Ttl;
  expiresAt: number;
}

/** The fake's prompt cache, shared by all requests to one server. */
export class PromptCache {
  /**
   * @param now - Clock in ms (injectable so tests can expire entries).
   */
  constructor(private readonly now: () => number) {}

  /** Number of live entries. */
  get size(): number {
    this._prune();
    return this._entries.size;
  }

  /** Forget every entry. */
  clear(): void {
    this._entries.clear();
  }

  /**
   * Account for a request's prompt (see the file comment for the rules).
   *
   * @param model - The request's model (its minimum cacheable length applies).
   * @param prompt - The rendered prompt.
   */
  account(model: FakeModel, prompt: RenderedPrompt): CacheAccount {
    this._prune();
    const { units, totalTokens } = prompt;
    const prefix: number[] = [];
    units.reduce((sum, u, i) => (prefix[i] = sum + u.tokens), 0);
    const key = (i: number): string => `${model.id}:${units[i].hash}`;
    const breakpoints = units.flatMap((u, i) => (u.ttl ? [i] : []));

    let hit = -1;
    for (const b of breakpoints) {
      for (let j = b; j >= Math.max(0, b - LOOKBACK_BLOCKS); j--) {
        if (this._entries.has(key(j))) {
          hit = Math.max(hit, j);
          break;
        }
      }
    }
    const read = hit >= 0 ? prefix[hit] : 0;

    const written = breakpoints.filter(b => prefix[b] >= model.minCacheTokens);
    const last = written.length ? written[written.length - 1] : -1;
    const creation = { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 };
    let from = read;
    for (const b of breakpoints) {
      if (b > hit && b <= last) {
        const ttl = units[b].ttl as Ttl;
        creation[ttl === '1h' ? 'ephemeral_1h_input_tokens' : 'ephemeral_5m_input_tokens'] += prefix[b] - from;
        from = prefix[b];
      }
    }
    const create = creation.ephemeral_5m_input_tokens + creation.ephemeral_1h_input_tokens;

    const commit = (): void => {
      const at = this.now();
      for (const b of written) {
        this._put(key(b), units[b].ttl as Ttl, at);
      }
      if (hit >= 0) {
        const entry = this._entries.get(key(hit));
        if (entry) {
          this._put(key(hit), entry.ttl, at);
        }
      }
    };
    return {
      usage: {
        input_tokens: totalTokens - read - create,
        cache_read_input_tokens: read,
        cache_creation_input_tokens: create,
        cache_creation: creation
      },
      commit
    };
  }

  /** Create or refresh an entry, keeping the longer TTL and the later expiry. */
  private _put(key: string, ttl: Ttl, at: number): void {
    const old = this._entries.get(key);
    const longer: Ttl = old?.ttl === '1h' || ttl === '1h' ? '1h' : '5m';
    const expiresAt = Math.max(old?.expiresAt ?? 0, at + TTL_MS[ttl]);
    this._entries.set(key, { ttl: longer, expiresAt });
  }

  /** Drop expired entries: an entry is readable while now < expiresAt. */
  private _prune(): void {
    const now = this.now();
    for (const [key, entry] of this._entries) {
      if (entry.expiresAt <= now) {
        this._entries.delete(key);
      }
    }
  }

  private _entries = new Map<string, Entry>();
}
