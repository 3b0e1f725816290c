/**
 * Token accounting and prompt caching of the fake.
 *
 * Tokens: a prompt is rendered as `<|role|>text<|end|>` per message, then `<|assistant|>`;
 * each 4 characters of that are one token (an image marker counts by its characters). The
 * rendering is deterministic, so tests can predict counts.
 *
 * OpenAI (automatic prompt caching, as documented): a prompt of at least 1024 tokens is cached
 * in 128-token steps from its start; a later request reads the longest cached step that is
 * a prefix of it (1024, 1152, 1280, …). Entries are scoped by model and `prompt_cache_key`
 * (the fake routes strictly by key, so a test can see that a stable key matters) and
 * expire `ttlMs` after their last use.
 *
 * llama.cpp (`LlamaSlot`): one slot holds the last prompt plus reply; the next request reuses
 * the longest common prefix in whole tokens, however short. Slots save to and restore from
 * files under a directory, like `llama-server --slot-save-path`.
 */
import { createHash } from 'crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { CheckedMessage } from './validate';

/** Characters per token. */
export const CHARS_PER_TOKEN = 4;
/** Smallest cacheable prompt, and the step, in tokens. */
export const CACHE_MIN_TOKENS = 1024;
export const CACHE_STEP_TOKENS = 128;

/**
 * The rendered prompt of a request.
 *
 * @param messages - The checked messages.
 */
export function renderPrompt(messages: CheckedMessage[]): string {
  return messages.map(m => `<|${m.role}|>${m.text}<|end|>`).join('') + '<|assistant|>';
}

/**
 * Tokens of a text.
 *
 * @param text - Any text.
 */
export function countTokens(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN);
}

const hash = (text: string) => createHash('sha256').update(text).digest('hex');

/** OpenAI's automatic prefix cache. */
export class PrefixCache {
  /**
   * @param ttlMs - Lifetime of an entry after its last use.
   * @param now - Clock in milliseconds.
   */
  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number
  ) {}

  /**
   * Cached tokens of a prompt, then cache every step of it.
   *
   * @param scope - Model and cache key.
   * @param prompt - The rendered prompt.
   * @returns Tokens read from the cache.
   */
  use(scope: string, prompt: string): number {
    const tokens = countTokens(prompt);
    const time = this.now();
    let cached = 0;
    for (let n = CACHE_MIN_TOKENS; n <= tokens; n += CACHE_STEP_TOKENS) {
      const key = `${scope}\n${hash(prompt.slice(0, n * CHARS_PER_TOKEN))}`;
      const seen = this._entries.get(key);
      if (seen !== undefined && time - seen <= this.ttlMs) {
        cached = n;
      }
      this._entries.set(key, time);
    }
    return cached;
  }

  /** Forget everything. */
  clear(): void {
    this._entries.clear();
  }

  private _entries = new Map<string, number>();
}

/** A llama.cpp slot: what it holds, and its save files. */
export class LlamaSlot {
  /**
   * @param dir - The slot save directory (`--slot-save-path`).
   */
  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  /** The last task id; undefined on a fresh server. */
  idTask: number | undefined;

  /** Tokens held. */
  get tokens(): number {
    return countTokens(this._text);
  }

  /**
   * Run a prompt: tokens reused from the slot, then the slot holds prompt and reply.
   *
   * @param prompt - The rendered prompt.
   * @param reply - The reply text.
   * @returns Cached and computed prompt tokens.
   */
  run(prompt: string, reply: string): { cached: number; computed: number } {
    let common = 0;
    const max = Math.min(prompt.length, this._text.length);
    while (common < max && prompt.charCodeAt(common) === this._text.charCodeAt(common)) {
      common++;
    }
    // Whole tokens only, and never the whole prompt: the last token is always computed.
    const cached = Math.min(Math.floor(common / CHARS_PER_TOKEN), countTokens(prompt) - 1);
    this._text = prompt + reply;
    this.idTask = (this._tasks = (this._tasks ?? -1) + 1);
    return { cached, computed: countTokens(prompt) - cached };
  }

  /**
   * Save the slot to a file.
   *
   * @param filename - Plain file name.
   * @returns Tokens saved and bytes written.
   */
  save(filename: string): { n_saved: number; n_written: number } {
    const data = JSON.stringify({ text: this._text });
    writeFileSync(join(this.dir, filename), data);
    return { n_saved: this.tokens, n_written: Buffer.byteLength(data) };
  }

  /**
   * Restore the slot from a file; like llama.cpp, a failed restore leaves the slot empty.
   *
   * @param filename - Plain file name.
   * @returns Tokens restored and bytes read, or null when the file is missing or unreadable.
   */
  restore(filename: string): { n_restored: number; n_read: number } | null {
    this._text = '';
    try {
      const data = readFileSync(join(this.dir, filename), 'utf8');
      this._text = (JSON.parse(data) as { text: string }).text;
      return { n_restored: this.tokens, n_read: Buffer.byteLength(data) };
    } catch {
      return null;
    }
  }

  /** Empty the slot. */
  erase(): void {
    this._text = '';
  }

  private _text = '';
  private _tasks: number | undefined;
}
