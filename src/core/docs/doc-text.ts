/**
 * How a doc is written into the system text, the same for every provider.
 */
import { DocPart } from '../types';

/**
 * Render a doc as a system text block, wrapped with its title and source.
 *
 * @param doc - The doc.
 */
export function docText(doc: DocPart): string {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  return `<doc title="${esc(doc.title)}" source="${esc(doc.source)}">\n${doc.text.replace(/\n+$/, '')}\n</doc>`;
}
