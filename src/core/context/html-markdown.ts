/**
 * HTML results as Markdown, for the model: pandas tables stay tables, styles and scripts
 * go. node-html-markdown parses with its own pure-JS parser, in the browser as in Node, so
 * the extension and the command-line dry run get the same text from the same HTML.
 *
 * The extension imports this module lazily (only when a prompt is prepared), which keeps
 * the parser out of the start-up bundle.
 */
import { NodeHtmlMarkdown } from 'node-html-markdown';

let converter: NodeHtmlMarkdown | undefined;

/**
 * Convert HTML to Markdown.
 *
 * @param html - An HTML fragment, as a `text/html` output holds it.
 * @returns The Markdown text (trimmed).
 */
export function htmlToMarkdown(html: string): string {
  // Fixed options: the text is part of the cached prefix, so it must not vary.
  converter ??= new NodeHtmlMarkdown({ bulletMarker: '-', codeFence: '```', maxConsecutiveNewlines: 2, keepDataImages: false });
  return converter.translate(html).trim();
}
