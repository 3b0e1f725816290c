/**
 * Docs for the dry run, read the way the extension reads them: workspace paths from a root
 * folder (the Jupyter server's root), URLs fetched with the limits of the server's fetch
 * route (http and https only, size cap, time limit for the whole fetch, redirect cap, text
 * only). There is no on-disk cache here: a dry run is one-off.
 */
import { readFile, stat } from 'fs/promises';
import { join } from 'path';
import { DocLoader, LoadedText } from '../core/docs/docs';

/** The fetch limits; the same defaults as `c.AIMagicDocs` on the server. */
export interface FetchLimits {
  maxBytes: number;
  timeoutMs: number;
  maxRedirects: number;
}

/** Defaults of `jupyterlab_aimagic/docs_fetch.py`. */
export const DEFAULT_LIMITS: FetchLimits = Object.freeze({ maxBytes: 5 * 1024 * 1024, timeoutMs: 20_000, maxRedirects: 5 });

const TEXT_TYPES = new Set([
  'application/json', 'application/xml', 'application/javascript', 'application/x-javascript', 'application/yaml',
  'application/x-yaml', 'application/toml', 'application/x-ipynb+json', 'application/markdown', 'application/x-sh',
  'application/x-python'
]);
const SNIFFED_TYPES = new Set(['', 'application/octet-stream', 'binary/octet-stream']);

/**
 * Decode a fetched body, refusing what is not text (as the server does).
 *
 * @param body - The bytes.
 * @param contentType - The Content-Type header.
 */
export function decodeText(body: Uint8Array, contentType: string): string {
  const [media, ...params] = contentType.split(';').map(s => s.trim().toLowerCase());
  const charset = params.find(p => p.startsWith('charset='))?.slice(8).replace(/"/g, '') || 'utf-8';
  const isText = media.startsWith('text/') || TEXT_TYPES.has(media) || media.endsWith('+json') || media.endsWith('+xml');
  if (!isText && !SNIFFED_TYPES.has(media)) {
    throw new Error(`Not a text document: the server says it is ${media}.`);
  }
  if (body.subarray(0, 8192).includes(0)) {
    throw new Error('Not a text document: it holds binary data.');
  }
  try {
    return new TextDecoder(charset, { fatal: !isText }).decode(body);
  } catch (e) {
    if (e instanceof RangeError) {
      return new TextDecoder('utf-8').decode(body);
    }
    throw new Error('Not a text document: it is not UTF-8 text.');
  }
}

/**
 * Fetch a URL as text within the limits.
 *
 * @param url - An http(s) URL.
 * @param limits - Size, time and redirect limits.
 */
export async function fetchText(url: string, limits: FetchLimits = DEFAULT_LIMITS): Promise<string> {
  const signal = AbortSignal.timeout(limits.timeoutMs);
  let target = url;
  try {
    for (let hop = 0; hop <= limits.maxRedirects; hop++) {
      const scheme = new URL(target).protocol;
      if (scheme !== 'http:' && scheme !== 'https:') {
        throw new Error(`Only http and https URLs can be fetched, not '${scheme}'.`);
      }
      const response = await fetch(target, { redirect: 'manual', signal, headers: { accept: 'text/markdown, text/plain;q=0.9, text/*;q=0.8, */*;q=0.1' } });
      const location = response.headers.get('location');
      if ([301, 302, 303, 307, 308].includes(response.status) && location) {
        target = new URL(location, target).href;
        continue;
      }
      if (response.status !== 200) {
        throw new Error(`The server answered ${response.status} ${response.statusText} for ${target}.`.replace('  ', ' '));
      }
      const tooLarge = new Error(`The doc is larger than the limit of ${limits.maxBytes.toLocaleString('en')} bytes.`);
      if (Number(response.headers.get('content-length') ?? 0) > limits.maxBytes) {
        throw tooLarge;
      }
      const chunks: Uint8Array[] = [];
      let size = 0;
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        size += chunk.length;
        if (size > limits.maxBytes) {
          throw tooLarge;
        }
        chunks.push(chunk);
      }
      return decodeText(Buffer.concat(chunks), response.headers.get('content-type') ?? '');
    }
    throw new Error(`More than ${limits.maxRedirects} redirects (the last to ${target}).`);
  } catch (e) {
    if (signal.aborted) {
      throw new Error(`No complete answer from ${new URL(url).hostname} within ${limits.timeoutMs / 1000} s.`);
    }
    const err = e as Error & { cause?: Error };
    throw err.message === 'fetch failed' ? new Error(`Could not fetch from ${new URL(target).hostname}: ${err.cause?.message ?? err.message}.`) : err;
  }
}

/**
 * A loader over a folder (the server root) and the network.
 *
 * @param root - The folder workspace paths start from.
 * @param limits - Fetch limits.
 */
export function nodeDocLoader(root: string, limits: FetchLimits = DEFAULT_LIMITS): DocLoader {
  return {
    async readFile(path: string): Promise<LoadedText> {
      const file = join(root, path);
      let info;
      try {
        info = await stat(file);
      } catch {
        throw new Error(`no file "${path}".`);
      }
      if (!info.isFile()) {
        throw new Error(`"${path}" is not a file.`);
      }
      if (info.size > limits.maxBytes) {
        throw new Error(`The doc is larger than the limit of ${limits.maxBytes.toLocaleString('en')} bytes.`);
      }
      return { text: decodeText(await readFile(file), '') };
    },
    async fetchURL(url: string): Promise<LoadedText> {
      return { text: await fetchText(url, limits) };
    }
  };
}
