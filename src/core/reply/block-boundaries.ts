/**
 * Where a streaming reply splits into finished blocks, so the view renders each finished
 * block once and re-renders only the last one.
 *
 * A split is only made where rendering the two sides apart gives exactly the HTML of
 * rendering them together (CommonMark with GitHub's extensions, as JupyterLab's marked
 * renders it). That holds at a blank line followed by a line starting in column 0, outside
 * fenced code (fence-aware, from `parseCodeBlocks`), outside open HTML elements and
 * comments, and not between two items of one list (a list goes on after a blank line, and
 * its items would render as two lists). When in doubt there is no split: that costs time,
 * never correctness. Link reference definitions reach across the whole text, so a reply
 * with one has no split at all.
 */
import { parseCodeBlocks } from '../context/codeblocks';

/** `[label]: destination`, which may give links anywhere in the text their target. */
const REFERENCE_DEFINITION = /^ {0,3}\[[^\]\n]+\]:/m;

/** A list item marker at the start of a line. */
const LIST_ITEM = /^(?:[-+*]|\d{1,9}[.)])(?:[ \t]|$)/;

/** An HTML start or end tag (not an autolink such as `<https://…>`). */
const TAG = /<(\/?)([A-Za-z][A-Za-z0-9-]*)(?=[\s/>])[^<>]*?(\/?)>/g;

/** Elements that have no end tag. */
const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'param', 'source', 'track', 'wbr']);

/**
 * Whether a text may not be split at all: a link reference definition gives links anywhere
 * in it their target, before it as well as after.
 *
 * @param markdown - A reply, complete or still streaming.
 */
export function neverSplits(markdown: string): boolean {
  return REFERENCE_DEFINITION.test(markdown);
}

/**
 * The offsets at which finished blocks of a markdown text end and the next begins.
 *
 * Each offset starts a line that is complete (a newline follows it), so the text before it
 * can no longer change its meaning: a boundary stays one as the text grows (unless a link
 * reference definition arrives, see `neverSplits`). The text after the last offset is the
 * unfinished rest. A streaming view can so scan only what came after its last boundary.
 *
 * @param markdown - A reply, complete or still streaming.
 * @param from - 0, or a boundary of `markdown` (an earlier result): only later boundaries are
 *   looked for, in the text after it.
 * @returns Increasing offsets into `markdown` after `from`, none at 0.
 */
export function blockBoundaries(markdown: string, from = 0): number[] {
  if (neverSplits(markdown)) {
    return [];
  }
  if (from > 0) {
    // After a boundary nothing is open (no fence, element, comment or list reaches over it).
    return blockBoundaries(markdown.slice(from)).map(offset => offset + from);
  }
  const lines = markdown.split('\n');
  // Fenced lines hold no markdown; a block may start at an opening fence, not inside.
  const fenced = new Uint8Array(lines.length);
  const insideFence = new Uint8Array(lines.length);
  const closesTopFence = new Uint8Array(lines.length);
  for (const block of parseCodeBlocks(markdown)) {
    fenced.fill(1, block.startLine, block.endLine + 1);
    insideFence.fill(1, block.startLine + 1, block.endLine + 1);
    if (block.closed && !/^\s/.test(lines[block.startLine])) {
      closesTopFence[block.endLine] = 1;
    }
  }
  const boundaries: number[] = [];
  const html = { depth: 0, comment: false };
  let listInBlock = false;
  let offset = 0;
  // The last line has no newline after it yet: it may still grow into a list marker.
  for (let i = 0; i < lines.length - 1; i++) {
    const line = lines[i];
    if (i > 0 && !insideFence[i] && /^\S/.test(line)) {
      const afterBreak = /^\s*$/.test(lines[i - 1]) || closesTopFence[i - 1] === 1;
      const continuesList = listInBlock && LIST_ITEM.test(line);
      if (afterBreak && !continuesList && html.depth === 0 && !html.comment) {
        boundaries.push(offset);
        listInBlock = false;
      }
    }
    if (!fenced[i]) {
      Private.scanHTML(line, html);
      listInBlock ||= LIST_ITEM.test(line);
    }
    offset += line.length + 1;
  }
  return boundaries;
}

namespace Private {
  /**
   * Follow the HTML elements and comments a line opens and closes (code spans left out).
   */
  export function scanHTML(line: string, state: { depth: number; comment: boolean }): void {
    let text = line.replace(/(`+)[^`]*?\1/g, '');
    for (;;) {
      if (state.comment) {
        const end = text.indexOf('-->');
        if (end < 0) {
          return;
        }
        state.comment = false;
        text = text.slice(end + 3);
      }
      const start = text.indexOf('<!--');
      countTags(start < 0 ? text : text.slice(0, start), state);
      if (start < 0) {
        return;
      }
      state.comment = true;
      text = text.slice(start + 4);
    }
  }

  /** Add the start tags and take away the end tags of a piece of text. */
  export function countTags(text: string, state: { depth: number }): void {
    for (const [, end, name, selfClosing] of text.matchAll(TAG)) {
      if (selfClosing || VOID.has(name.toLowerCase())) {
        continue;
      }
      state.depth = Math.max(0, state.depth + (end ? -1 : 1));
    }
  }
}
