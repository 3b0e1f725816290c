/**
 * Tools offered in a prompt, SolveIt's `&`name`` syntax: `&`name`` offers one kernel
 * callable, `&`[a, b]`` several. Only the names are found here; their schemas are made in
 * the kernel (src/notebook/kernel-tools.ts).
 */

/** One name a provider accepts as a tool name and Python as an identifier. */
const NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/** A fence opening or closing line: up to three spaces, then ``` or ~~~ (three or more). */
const FENCE = /^ {0,3}(`{3,}|~{3,})/;

/**
 * The tool names a prompt offers, each once, in order of first mention.
 *
 * Text inside fenced code blocks and inside other code spans is an example, not an offer,
 * so it is skipped; a list with anything that is not a name in it is not an offer either.
 *
 * @param text - The prompt text.
 */
export function toolRefs(text: string): string[] {
  const names: string[] = [];
  for (const chunk of Private.proseChunks(text)) {
    for (const name of Private.refsIn(chunk)) {
      if (!names.includes(name)) {
        names.push(name);
      }
    }
  }
  return names;
}

namespace Private {
  /**
   * The text outside fenced code blocks, as runs of consecutive lines. A fence closes on a
   * line of the same character at least as long as the one that opened it (CommonMark); an
   * unclosed fence runs to the end.
   */
  export function proseChunks(text: string): string[] {
    const chunks: string[] = [];
    let current: string[] = [];
    let fence: string | null = null;
    for (const line of text.split('\n')) {
      const m = FENCE.exec(line);
      if (fence === null) {
        if (m && !(m[1][0] === '`' && line.slice(m[0].length).includes('`'))) {
          fence = m[1];
          chunks.push(current.join('\n'));
          current = [];
        } else {
          current.push(line);
        }
      } else if (m && m[1][0] === fence[0] && m[1].length >= fence.length && !line.slice(m[0].length).trim()) {
        fence = null;
      }
    }
    chunks.push(current.join('\n'));
    return chunks.filter(c => c.includes('&'));
  }

  /**
   * The names offered in prose: at each backtick run, either an `&` right before a single
   * backtick starts an offer, or the run opens a code span that ends at the next run of the
   * same length (no such run: the backticks are literal).
   */
  export function refsIn(chunk: string): string[] {
    const found: string[] = [];
    let i = chunk.indexOf('`');
    while (i >= 0) {
      const run = runAt(chunk, i);
      const close = closingRun(chunk, i + run, run);
      if (close < 0) {
        i = chunk.indexOf('`', i + run);
        continue;
      }
      if (run === 1 && chunk[i - 1] === '&') {
        found.push(...namesOf(chunk.slice(i + 1, close)));
      }
      i = chunk.indexOf('`', close + run);
    }
    return found;
  }

  /** How many backticks start at `i`. */
  export function runAt(chunk: string, i: number): number {
    let n = 0;
    while (chunk[i + n] === '`') {
      n++;
    }
    return n;
  }

  /** Where the next backtick run of exactly `run` backticks starts, or -1. */
  export function closingRun(chunk: string, from: number, run: number): number {
    for (let j = chunk.indexOf('`', from); j >= 0; ) {
      const k = runAt(chunk, j);
      if (k === run) {
        return j;
      }
      j = chunk.indexOf('`', j + k);
    }
    return -1;
  }

  /** `name` or `[a, b]`: the names, or none when any part is not a name. */
  export function namesOf(inner: string): string[] {
    const body = inner.trim();
    if (NAME.test(body)) {
      return [body];
    }
    const list = /^\[(.*)\]$/s.exec(body);
    if (!list) {
      return [];
    }
    const parts = list[1].split(',').map(p => p.trim());
    if (parts.length && parts[parts.length - 1] === '') {
      parts.pop();
    }
    return parts.length && parts.every(p => NAME.test(p)) ? parts : [];
  }
}
