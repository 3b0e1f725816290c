/**
 * Remote images in replies are shown as links, never loaded by themselves.
 *
 * It has to happen before the HTML reaches the page: an `<img>` starts loading as soon as it
 * is parsed into the document, so changing the rendered node afterwards is too late. The
 * sanitizer is the last step before that, so replies get a sanitizer that also rewrites
 * remote images: in AI cells (recognised by the reply separator in their markdown; the
 * prompt above it is the user's own and left alone) and in the streaming view (all reply).
 * The rewrite works on an inert document (DOMParser loads nothing).
 */
import { IRenderMime, RenderedMarkdown } from '@jupyterlab/rendermime';
import { REPLY_MARKER } from '../core/context/aicell';
import { isRemoteSource, srcsetURLs } from '../core/reply/remote-source';

/** The comment that ends the reply heading in an AI cell's markdown. */
const SEPARATOR_COMMENT = /<!--\s*SOLVEIT_SEPARATOR_[0-9a-f]+\s*-->/;
/** The reply heading's text as rendered. */
const REPLY_HEADING = REPLY_MARKER.replace(/^#+\s*/, '').replace(SEPARATOR_COMMENT, '').trim();

/** Class of the link that stands for a blocked image. */
export const BLOCKED_IMAGE_CLASS = 'jp-aimagic-BlockedImage';

/**
 * A sanitizer that also turns remote images of replies into links.
 *
 * @param inner - The sanitizer to wrap (JupyterLab's).
 * @param wholeReply - Every image is a reply's (the streaming view); otherwise only HTML
 *   holding the reply separator is touched, from the reply heading on.
 */
export function replyImageSanitizer(inner: IRenderMime.ISanitizer, wholeReply = false): IRenderMime.ISanitizer {
  const wrapped: IRenderMime.ISanitizer = Object.create(inner);
  wrapped.sanitize = (dirty: string, options?: IRenderMime.ISanitizerOptions) => {
    const clean = inner.sanitize(dirty, options);
    if (!wholeReply && !SEPARATOR_COMMENT.test(dirty)) {
      return clean; // not an AI cell: markdown elsewhere is not ours to change
    }
    return blockRemoteImages(clean, wholeReply ? 'all' : 'after-heading');
  };
  return wrapped;
}

/**
 * A markdown renderer factory (ranked before JupyterLab's own) whose renderers use
 * {@link replyImageSanitizer}: markdown cells create their renderer from it, so AI cells'
 * replies are covered whichever view renders them.
 */
export const replyMarkdownRendererFactory: IRenderMime.IRendererFactory = {
  safe: true,
  mimeTypes: ['text/markdown'],
  defaultRank: 59,
  createRenderer: options => new RenderedMarkdown({ ...options, sanitizer: replyImageSanitizer(options.sanitizer) })
};

/**
 * Replace remote images in sanitized HTML with links to them.
 *
 * @param html - Sanitized HTML.
 * @param scope - `all`, or only what follows the reply heading.
 */
export function blockRemoteImages(html: string, scope: 'all' | 'after-heading'): string {
  if (!/<(img|source|video|audio|input)\b|url\(/i.test(html)) {
    return html;
  }
  const doc = new DOMParser().parseFromString(`<body>${html}</body>`, 'text/html');
  const heading = scope === 'all' ? null : [...doc.querySelectorAll('h5')].find(h => h.textContent?.trim() === REPLY_HEADING);
  if (scope === 'after-heading' && !heading) {
    return html;
  }
  const inScope = (el: Element) => !heading || !!(heading.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING);
  const origin = window.location.origin;
  const remote = (url: string | null) => !!url && isRemoteSource(url, origin);
  let changed = false;
  for (const el of [...doc.body.querySelectorAll('img, input[type="image" i]')].filter(inScope)) {
    const urls = [el.getAttribute('src'), ...srcsetURLs(el.getAttribute('srcset') ?? '')];
    const first = urls.find(remote);
    if (first) {
      el.replaceWith(Private.link(doc, first, el.getAttribute('alt') || el.getAttribute('title') || ''));
      changed = true;
    }
  }
  for (const el of [...doc.body.querySelectorAll('source, video, audio')].filter(inScope)) {
    for (const name of ['src', 'srcset', 'poster']) {
      const value = el.getAttribute(name);
      if (value && (name === 'srcset' ? srcsetURLs(value).some(remote) : remote(value))) {
        el.removeAttribute(name);
        changed = true;
      }
    }
  }
  for (const el of [...doc.body.querySelectorAll('[style*="url(" i]')].filter(inScope)) {
    el.removeAttribute('style'); // a background image loads like an image
    changed = true;
  }
  return changed ? doc.body.innerHTML : html;
}

namespace Private {
  /** The link shown instead of an image: the user decides whether to open it. */
  export function link(doc: Document, url: string, alt: string): HTMLAnchorElement {
    const a = doc.createElement('a');
    a.href = url;
    a.target = '_blank';
    a.rel = 'noopener noreferrer';
    a.className = BLOCKED_IMAGE_CLASS;
    let host = url;
    try {
      host = new URL(url, window.location.href).host;
    } catch {
      // keep the URL as written
    }
    a.title = `Remote image, not loaded (it could send data to ${host}). Click to open it.`;
    a.textContent = `🖼 ${alt ? `${alt} ` : ''}(image from ${host}, not loaded)`;
    return a;
  }
}
