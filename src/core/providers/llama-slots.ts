/**
 * A docs prefix that outlives llama.cpp's server: the KV cache of a request's system message
 * (instructions + docs) is saved to disk once computed (`POST /slots/0?action=save`) and
 * restored before the next request with the same prefix (`action=restore`), also after the
 * server was restarted. Needs `llama-server --slot-save-path DIR`; without it, or on any other
 * server, every call here quietly does nothing.
 */
import { hashText } from '../hash';
import { ChatRequest } from '../types';
import { systemText } from './openai-body';

/** How the prefix came to be in the server's cache for one request. */
export type PrefixState =
  /** The slot already held it (same server, earlier prompt). */
  | 'warm'
  /** It was read back from disk. */
  | 'restored'
  /** Nothing saved yet: the server computes it, and it is saved after the reply. */
  | 'cold'
  /** The server has no slot endpoints (not llama.cpp, or no `--slot-save-path`). */
  | 'unsupported';

/** Where the slot endpoints are. */
export interface SlotCacheOptions {
  /** The server's root (where `/slots` lives), without `/v1`. */
  rootURL: string;
  /** The fetch to use (the Jupyter proxy's, or the global one). */
  fetch?: typeof fetch;
  /** Slot id; the project's engine runs one slot. */
  slot?: number;
}

/** One slot as `GET /slots` describes it (the fields read here; all optional). */
interface SlotInfo {
  id?: number;
  /** The last task the slot ran; absent on a fresh server. */
  id_task?: number;
  /** Tokens the slot holds. */
  n_prompt_tokens?: number;
}

/**
 * What the slot held after our last reply, by server root. Module-wide because a provider
 * is made per run. llama.cpp does not show a slot's text (only in debug mode), so "the slot
 * still holds our prefix" is judged by its last task id and token count being unchanged;
 * a restart or another client's request changes them.
 */
const LAST_SAVED = new Map<string, { file: string; idTask?: number; tokens?: number }>();

/**
 * The file name a request's prefix is saved under: model and system text, hashed.
 * llama.cpp accepts only plain file names (no directories) under its `--slot-save-path`.
 *
 * @param request - The neutral request.
 */
export function slotFileName(request: ChatRequest): string {
  return `aimagic-${hashText(`${request.model}\n${systemText(request)}`)}.bin`;
}

/** Saves and restores llama.cpp slots keyed by a request's prefix. */
export class LlamaSlotCache {
  /**
   * @param options - Root URL, fetch, slot.
   */
  constructor(options: SlotCacheOptions) {
    this._root = options.rootURL.replace(/\/+$/, '');
    this._fetch = options.fetch ?? ((input, init) => fetch(input, init));
    this._slot = options.slot ?? 0;
  }

  /**
   * Make sure the server holds the request's prefix: keep it if the slot has it, else
   * restore it from disk if it was saved. Never throws: a failure means "cold".
   *
   * @param request - The request about to be sent.
   * @param signal - Aborts the checks.
   */
  async prepare(request: ChatRequest, signal?: AbortSignal): Promise<PrefixState> {
    await this._pending;
    if (this._unsupported) {
      return 'unsupported';
    }
    const slot = await this._slotInfo(signal);
    if (slot === 'unsupported') {
      this._unsupported = true;
      return 'unsupported';
    }
    const file = slotFileName(request);
    const last = LAST_SAVED.get(this._root);
    if (slot && last?.file === file && slot.id_task === last.idTask && slot.n_prompt_tokens === last.tokens) {
      return 'warm';
    }
    // A failed restore empties the slot, so it is tried only when the slot is not ours.
    const restored = await this._call('POST', `/slots/${this._slot}?action=restore`, { filename: file }, signal);
    if (restored.status === 501) {
      this._unsupported = true;
      return 'unsupported';
    }
    return restored.ok ? 'restored' : 'cold';
  }

  /**
   * After a reply: save the slot under the request's prefix when it had to be computed, and
   * remember what the slot holds now. Later calls wait for it. Never throws.
   *
   * @param request - The request just answered.
   * @param state - How its prefix got into the cache.
   * @returns Whether the server saved it (false when no save was needed or it failed).
   */
  afterReply(request: ChatRequest, state: PrefixState): Promise<boolean> {
    if (state === 'unsupported') {
      return Promise.resolve(false);
    }
    const file = slotFileName(request);
    const work = (async () => {
      const saved = state === 'cold' ? (await this._call('POST', `/slots/${this._slot}?action=save`, { filename: file })).ok : false;
      const slot = await this._slotInfo();
      if (slot && slot !== 'unsupported' && (saved || state !== 'cold')) {
        LAST_SAVED.set(this._root, { file, idTask: slot.id_task, tokens: slot.n_prompt_tokens });
      } else {
        LAST_SAVED.delete(this._root);
      }
      return saved;
    })();
    this._pending = work.then(() => undefined);
    return work;
  }

  /** Forget what the slots held (tests). */
  static forget(): void {
    LAST_SAVED.clear();
  }

  /** The slot's description; undefined when unknown, `unsupported` without slot endpoints. */
  private async _slotInfo(signal?: AbortSignal): Promise<SlotInfo | 'unsupported' | undefined> {
    const slots = await this._call<SlotInfo[]>('GET', '/slots', undefined, signal);
    if (slots.status === 404 || slots.status === 501) {
      return 'unsupported';
    }
    if (!slots.ok || !Array.isArray(slots.body)) {
      return undefined;
    }
    return slots.body.find(s => s.id === this._slot) ?? slots.body[0];
  }

  /** Settles when the last save has finished. */
  idle(): Promise<void> {
    return this._pending;
  }

  /** One call; network failures and non-JSON answers become `ok: false`. */
  private async _call<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<{ ok: boolean; status: number; body?: T }> {
    try {
      const response = await this._fetch(`${this._root}${path}`, {
        method,
        headers: body === undefined ? undefined : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal
      });
      const text = await response.text();
      let parsed: T | undefined;
      try {
        parsed = JSON.parse(text) as T;
      } catch {
        parsed = undefined;
      }
      return { ok: response.ok, status: response.status, body: parsed };
    } catch {
      return { ok: false, status: 0 };
    }
  }

  private _root: string;
  private _fetch: typeof fetch;
  private _slot: number;
  private _unsupported = false;
  private _pending: Promise<void> = Promise.resolve();
}
