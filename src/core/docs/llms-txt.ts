/**
 * llms.txt (https://llmstxt.org): an H1 title, an optional blockquote summary, optional
 * free text, then H2 sections of links `- [name](url): notes`. Expanded, the linked pages
 * are joined into one document in the spirit of `llms-ctx.txt`, the section named
 * `Optional` left out unless asked for.
 */

/** A link of an llms.txt section. */
export interface LlmsLink {
  title: string;
  /** The link as written (may be relative). */
  href: string;
  /** The notes after the link, if any. */
  notes: string;
}

/** An H2 section. */
export interface LlmsSection {
  name: string;
  links: LlmsLink[];
}

/** A parsed llms.txt. */
export interface LlmsTxt {
  title: string;
  summary: string;
  /** Free text between the summary and the first section. */
  details: string;
  sections: LlmsSection[];
}

/** A fetched page of an expansion. */
export interface LlmsPage {
  section: string;
  link: LlmsLink;
  /** Where it was read from (resolved). */
  source: string;
  text: string;
}

const LINK = /^\s*[-*+]\s*\[([^\]]+)\]\(\s*<?([^)\s>]+)>?\s*\)\s*(?::\s*(.*))?$/;

/**
 * Whether a source names an llms.txt file (by its last path segment).
 *
 * @param source - A path or URL.
 */
export function isLlmsTxtSource(source: string): boolean {
  const path = source.replace(/[?#].*$/, '');
  return /(^|\/)llms\.txt$/i.test(path);
}

/**
 * Parse an llms.txt.
 *
 * Fenced code blocks are skipped when looking for headings and links, so an example in the
 * free text cannot open a section.
 *
 * @param text - The file's text.
 * @returns The parsed file, or null when it has no H1 title (then it is not an llms.txt).
 */
export function parseLlmsTxt(text: string): LlmsTxt | null {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  let i = 0;
  while (i < lines.length && !lines[i].trim()) {
    i++;
  }
  const h1 = /^#\s+(.+?)\s*#*\s*$/.exec(lines[i] ?? '');
  if (!h1) {
    return null;
  }
  const result: LlmsTxt = { title: h1[1], summary: '', details: '', sections: [] };
  i++;
  while (i < lines.length && !lines[i].trim()) {
    i++;
  }
  const quote: string[] = [];
  while (i < lines.length && /^>/.test(lines[i])) {
    quote.push(lines[i].replace(/^>\s?/, ''));
    i++;
  }
  result.summary = quote.join(' ').replace(/\s+/g, ' ').trim();
  const details: string[] = [];
  let section: LlmsSection | null = null;
  let fence: string | null = null;
  for (; i < lines.length; i++) {
    const line = lines[i];
    const f = /^\s*(`{3,}|~{3,})/.exec(line);
    if (f && (fence === null || f[1][0] === fence[0])) {
      fence = fence === null ? f[1] : null;
    } else if (fence === null) {
      const h2 = /^##\s+(.+?)\s*#*\s*$/.exec(line);
      if (h2) {
        section = { name: h2[1], links: [] };
        result.sections.push(section);
        continue;
      }
      const link = section ? LINK.exec(line) : null;
      if (section && link) {
        section.links.push({ title: link[1].trim(), href: link[2], notes: (link[3] ?? '').trim() });
        continue;
      }
    }
    if (!section) {
      details.push(line);
    }
  }
  result.details = details.join('\n').trim();
  return result;
}

/**
 * The links an expansion fetches, in order: every section's, `Optional` only when asked.
 *
 * @param parsed - The parsed llms.txt.
 * @param includeOptional - Include the section named `Optional`.
 */
export function linksToExpand(parsed: LlmsTxt, includeOptional: boolean): { section: string; link: LlmsLink }[] {
  return parsed.sections
    .filter(s => includeOptional || s.name.trim().toLowerCase() !== 'optional')
    .flatMap(s => s.links.map(link => ({ section: s.name, link })));
}

/**
 * Escape a value for an attribute.
 */
function attr(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

/**
 * Join an llms.txt and its fetched pages into one context document, like `llms-ctx.txt`:
 * the project's title and summary, its details, then each section's pages, each keeping
 * its title and source.
 *
 * @param parsed - The parsed llms.txt.
 * @param pages - The fetched pages, in the order of {@link linksToExpand}.
 */
export function expandLlmsTxt(parsed: LlmsTxt, pages: LlmsPage[]): string {
  const out: string[] = [`<project title="${attr(parsed.title)}" summary="${attr(parsed.summary)}">`];
  if (parsed.details) {
    out.push(parsed.details);
  }
  let current: string | null = null;
  for (const page of pages) {
    if (page.section !== current) {
      if (current !== null) {
        out.push('</section>');
      }
      out.push(`<section name="${attr(page.section)}">`);
      current = page.section;
    }
    const notes = page.link.notes ? ` notes="${attr(page.link.notes)}"` : '';
    out.push(`<page title="${attr(page.link.title)}" source="${attr(page.source)}"${notes}>`, page.text.replace(/\n+$/, ''), '</page>');
  }
  if (current !== null) {
    out.push('</section>');
  }
  out.push('</project>');
  return out.join('\n');
}
