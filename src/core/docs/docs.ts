/**
 * A notebook's context docs (`aimagic.docs`): where each one is read from, loading them all
 * through a loader the surroundings provide (Jupyter's contents API and the server's fetch
 * route in the extension, the file system and Node's fetch in the dry run), and what the
 * user sees about each. The extension and the dry run share this, so both send the same docs.
 */
import { dirname, joinPath, normalizePath } from './paths';
import { expandLlmsTxt, isLlmsTxtSource, linksToExpand, parseLlmsTxt } from './llms-txt';
import { docText } from './doc-text';
import { estimateTokens } from '../context/dialogue';
import { DocRef, readNotebookOverrides } from '../settings';
import { DocPart } from '../types';

/** Longest doc accepted, in characters (about a million tokens). */
export const DOC_MAX_CHARS = 4_000_000;

/** A doc's text as a loader returns it. */
export interface LoadedText {
  text: string;
  /** Set when the text is an older copy because the source could not be checked: why. */
  stale?: string;
}

/** Reads docs for {@link loadDocs}. Each method throws an Error whose message says why. */
export interface DocLoader {
  /**
   * Read a workspace file.
   *
   * @param path - Path from the server root, no leading slash.
   */
  readFile(path: string): Promise<LoadedText>;
  /**
   * Fetch a URL.
   *
   * @param url - An absolute http(s) URL.
   * @param refresh - Revalidate even a fresh cached copy.
   */
  fetchURL(url: string, refresh: boolean): Promise<LoadedText>;
}

/** What the docs list shows about one doc. */
export interface DocStatus {
  /** Position in `aimagic.docs`. */
  index: number;
  source: string;
  title: string;
  enabled: boolean;
  /**
   * `disabled` docs are not loaded; `unfetched` URL docs wait for the user to act in the
   * notebook (see {@link LoadOptions.fetchURLs}).
   */
  state: 'loaded' | 'stale' | 'failed' | 'disabled' | 'unfetched';
  /** Estimated tokens of the doc as sent (0 unless loaded). */
  tokens: number;
  /** Why it failed, or why it is stale. */
  reason?: string;
  /** The text sent (loaded and stale docs). */
  text?: string;
}

/** Options of {@link loadDocs}. */
export interface LoadOptions {
  /** The notebook's path from the server root: relative doc paths start from its folder. */
  notebookPath: string;
  loader: DocLoader;
  /** Revalidate cached URLs. */
  refresh?: boolean;
  /**
   * Fetch URL docs (default true). False when nobody acted in the notebook yet: a notebook
   * from someone else must not make the server fetch just by being opened.
   */
  fetchURLs?: boolean;
}

/** Why a URL doc was not fetched, as the docs list shows it. */
export const UNFETCHED_REASON = 'Not fetched yet: URLs are fetched when you run an AI cell of this notebook or refresh its docs.';

/** Where a doc source points. */
export type SourceKind = { kind: 'url'; url: string } | { kind: 'file'; path: string } | { kind: 'invalid'; reason: string };

/**
 * Classify and resolve a doc source.
 *
 * @param source - A URL, or a workspace path relative to `base` (or to the root with a leading `/`).
 * @param base - The path (or URL) the source is relative to: the notebook, or an llms.txt.
 */
export function resolveSource(source: string, base: string): SourceKind {
  const s = source.trim();
  if (/^https?:\/\//i.test(s)) {
    try {
      return { kind: 'url', url: new URL(s).href };
    } catch {
      return { kind: 'invalid', reason: `"${s}" is not a valid URL.` };
    }
  }
  if (/^[a-z][a-z0-9+.-]*:/i.test(s)) {
    return { kind: 'invalid', reason: `only http and https URLs can be fetched, not "${s.split(':')[0]}:".` };
  }
  if (/^https?:\/\//i.test(base)) {
    return { kind: 'url', url: new URL(s, base).href };
  }
  const path = normalizePath(s.startsWith('/') ? s : joinPath(dirname(base), s));
  if (path === null) {
    return { kind: 'invalid', reason: `"${s}" points outside the Jupyter server's root.` };
  }
  return { kind: 'file', path };
}

/**
 * The title a doc is sent with: the one given, else an llms.txt or markdown H1, else the
 * last segment of its source.
 *
 * @param ref - The doc entry.
 * @param text - Its text, when loaded.
 */
export function docTitle(ref: DocRef, text?: string): string {
  if (ref.title?.trim()) {
    return ref.title.trim();
  }
  const h1 = text ? /^\s*#\s+(.+?)\s*#*\s*$/m.exec(text.slice(0, 4000)) : null;
  if (h1) {
    return h1[1];
  }
  const last = ref.source.replace(/[?#].*$/, '').replace(/\/+$/, '').split('/').pop();
  return last || ref.source;
}

/**
 * Estimated tokens of a doc as it is sent.
 *
 * @param doc - Title, source and text.
 */
export function docTokens(doc: Omit<DocPart, 'cache'>): number {
  return estimateTokens(docText(doc));
}

/**
 * Load every doc of a notebook, in order: the enabled ones are read (an llms.txt with
 * `expand` fetches its pages), disabled ones are listed without reading.
 *
 * Never throws: a doc that cannot be had is `failed` with its reason.
 *
 * @param refs - The notebook's docs.
 * @param options - Notebook path, loader, refresh.
 */
export async function loadDocs(refs: DocRef[], options: LoadOptions): Promise<DocStatus[]> {
  return Promise.all(refs.map((ref, index) => Private.loadOne(ref, index, options)));
}

/**
 * The docs to send, or the message that stops the prompt when an enabled doc failed.
 *
 * A prompt is never sent without a doc the notebook asks for: the user would not know the
 * model answered without it.
 *
 * @param statuses - From {@link loadDocs}.
 */
export function docsToSend(statuses: DocStatus[]): { docs: Omit<DocPart, 'cache'>[]; error?: string } {
  // A doc not fetched is as missing as a failed one: never send the prompt without it.
  const failed = statuses.filter(s => s.state === 'failed' || s.state === 'unfetched');
  if (failed.length) {
    const lines = failed.map(s => `"${s.title}" (${s.source}): ${s.reason}`);
    const what = failed.length === 1 ? 'A context doc of this notebook' : `${failed.length} context docs of this notebook`;
    return {
      docs: [],
      error:
        `${what} could not be loaded, so the prompt was not sent:\n${lines.join('\n')}\n` +
        'Fix the source, or disable the doc in "Manage Context Docs…", and run the cell again.'
    };
  }
  const docs = statuses
    .filter(s => s.state === 'loaded' || s.state === 'stale')
    .map(s => ({ title: s.title, source: s.source, text: s.text ?? '' }));
  return { docs };
}

/**
 * Why a notebook's docs metadata would drop a doc the user meant to send (an entry without a
 * source, a docs value that is not a list): the prompt is stopped with this message rather
 * than sent without it. Problems that drop nothing (a bad title) are not listed.
 *
 * @param metadata - The notebook's metadata.
 * @returns The message, or undefined when nothing would be dropped.
 */
export function droppedDocsError(metadata: Record<string, unknown> | undefined): string | undefined {
  const dropped = readNotebookOverrides(metadata).problems.filter(p => /^aimagic\.docs(\[\d+\] needs a "source"| must be a list)/.test(p));
  if (!dropped.length) {
    return undefined;
  }
  return (
    `The notebook's context docs metadata (aimagic.docs) has entries that cannot be used, so the prompt was not sent:\n${dropped.join('\n')}\n` +
    'Fix them in the notebook metadata, or use "Manage Context Docs…", and run the cell again.'
  );
}

namespace Private {
  /** A URL that is not to be fetched now. */
  export class Unfetched extends Error {}

  /** Read one source, checking that it is usable text. */
  export async function read(kind: SourceKind, options: LoadOptions): Promise<LoadedText> {
    if (kind.kind === 'invalid') {
      throw new Error(kind.reason);
    }
    if (kind.kind === 'url' && options.fetchURLs === false) {
      throw new Unfetched(UNFETCHED_REASON);
    }
    const loaded = kind.kind === 'url' ? await options.loader.fetchURL(kind.url, !!options.refresh) : await options.loader.readFile(kind.path);
    if (loaded.text.indexOf('\u0000') >= 0) {
      throw new Error('not a text file (it holds binary data).');
    }
    if (loaded.text.length > DOC_MAX_CHARS) {
      throw new Error(`too large: ${loaded.text.length.toLocaleString('en')} characters; the limit is ${DOC_MAX_CHARS.toLocaleString('en')}.`);
    }
    return loaded;
  }

  /** Load one doc entry. */
  export async function loadOne(ref: DocRef, index: number, options: LoadOptions): Promise<DocStatus> {
    const enabled = ref.enabled !== false;
    const base: DocStatus = { index, source: ref.source, title: docTitle(ref), enabled, state: 'disabled', tokens: 0 };
    if (!enabled) {
      return base;
    }
    const kind = resolveSource(ref.source, options.notebookPath);
    try {
      const loaded = await read(kind, options);
      let text = loaded.text;
      let stale = loaded.stale;
      const parsed = isLlmsTxtSource(ref.source) ? parseLlmsTxt(text) : null;
      if (ref.expand && isLlmsTxtSource(ref.source)) {
        if (!parsed) {
          throw new Error('it is not an llms.txt (no "# Title" line), so it cannot be expanded.');
        }
        const where = kind.kind === 'url' ? kind.url : kind.kind === 'file' ? kind.path : '';
        const links = linksToExpand(parsed, !!ref.optional);
        const pages = await Promise.all(
          links.map(async ({ section, link }) => {
            const target = resolveSource(link.href, where);
            try {
              const page = await read(target, options);
              stale = stale ?? (page.stale ? `page "${link.title}": ${page.stale}` : undefined);
              return { section, link, source: target.kind === 'url' ? target.url : link.href, text: page.text };
            } catch (e) {
              if (e instanceof Unfetched) {
                throw e;
              }
              throw new Error(`its page "${link.title}" (${link.href}) could not be loaded: ${(e as Error).message}`);
            }
          })
        );
        text = expandLlmsTxt(parsed, pages);
      }
      const title = docTitle(ref, parsed ? `# ${parsed.title}` : text);
      const tokens = docTokens({ title, source: ref.source, text });
      return { ...base, title, state: stale ? 'stale' : 'loaded', tokens, text, ...(stale ? { reason: stale } : {}) };
    } catch (e) {
      return { ...base, state: e instanceof Unfetched ? 'unfetched' : 'failed', reason: (e as Error).message };
    }
  }
}
