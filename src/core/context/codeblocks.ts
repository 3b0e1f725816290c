/**
 * The fenced code blocks of a reply, found line by line the way CommonMark finds them
 * (modelled on JupyterLab's fence-aware heading scanner in `toc/src/utils/markdown.ts`).
 *
 * Robust to what model replies contain: backtick and tilde fences, info strings with extra
 * words, longer fences around shorter ones (a markdown example holding a code example),
 * fences indented inside list items, a missing closing fence, and a reply cut anywhere
 * while it streams (the last block is then reported open).
 */

/** One fenced code block. */
export interface CodeBlock {
  /** Language from the info string's first word, lower-cased (`{python}`, `.py` unwrapped); '' when untagged. */
  language: string;
  /** The whole info string after the fence, trimmed. */
  info: string;
  /** The code, without the fences and without the final newline. */
  code: string;
  /** Whether the closing fence was seen; an open block runs to the end of the text. */
  closed: boolean;
  /** 0-based line of the opening fence. */
  startLine: number;
  /** 0-based line of the closing fence, or the last line of an open block. */
  endLine: number;
}

/** An opening fence: indentation, the fence run, the info string. */
const OPENING = /^([ \t]*)(`{3,}|~{3,})(.*)$/;

/**
 * Find the fenced code blocks of a markdown text.
 *
 * @param markdown - A reply, complete or still streaming.
 * @returns The blocks, in order.
 */
export function parseCodeBlocks(markdown: string): CodeBlock[] {
  const lines = markdown.split(/\r?\n/);
  const blocks: CodeBlock[] = [];
  let open: { fence: string; indent: number; info: string; start: number; body: string[] } | null = null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (open) {
      if (Private.closes(line, open.fence)) {
        blocks.push(Private.block(open.info, open.body, true, open.start, i));
        open = null;
      } else {
        open.body.push(Private.dedent(line, open.indent));
      }
      continue;
    }
    const match = OPENING.exec(line);
    if (!match) {
      continue;
    }
    const [, indent, fence, rest] = match;
    // A backtick fence's info string may not hold a backtick: "```x```" is inline code.
    if (fence[0] === '`' && rest.includes('`')) {
      continue;
    }
    open = { fence, indent: indent.replace(/\t/g, '    ').length, info: rest.trim(), start: i, body: [] };
  }
  if (open) {
    // A reply cut after a newline has an empty last line that is not code yet.
    if (open.body.length && open.body[open.body.length - 1] === '') {
      open.body.pop();
    }
    blocks.push(Private.block(open.info, open.body, false, open.start, lines.length - 1));
  }
  return blocks;
}

/**
 * The language named by an info string.
 *
 * @param info - The text after an opening fence.
 */
export function languageOf(info: string): string {
  const word = info.trim().split(/[\s,]+/)[0] ?? '';
  return word.replace(/^\{\.?|\}$/g, '').replace(/^\./, '').replace(/[{}]/g, '').toLowerCase();
}

namespace Private {
  /**
   * Whether a line closes a block opened by `fence`: same character, at least as long,
   * nothing after it but spaces.
   */
  export function closes(line: string, fence: string): boolean {
    const trimmed = line.trim();
    if (trimmed.length < fence.length || trimmed[0] !== fence[0]) {
      return false;
    }
    for (const ch of trimmed) {
      if (ch !== fence[0]) {
        return false;
      }
    }
    return true;
  }

  /** Remove up to `indent` leading spaces (the opening fence's indentation). */
  export function dedent(line: string, indent: number): string {
    let i = 0;
    while (i < indent && i < line.length && line[i] === ' ') {
      i++;
    }
    return line.slice(i);
  }

  /** Make a block. */
  export function block(info: string, body: string[], closed: boolean, start: number, end: number): CodeBlock {
    return { language: languageOf(info), info, code: body.join('\n'), closed, startLine: start, endLine: end };
  }
}
