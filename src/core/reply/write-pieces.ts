/**
 * How a long reply is cut for writing into its cell a piece a frame: the editor's work for a
 * whole 4,000-token reply in one frame would block the page (bench/stream).
 */

/** About how much of a reply goes into the cell per frame (a hidden editor takes ~2 ms a KB). */
export const WRITE_STEP = 4096;

/**
 * Where the pieces of a text end: past `from`, about every `step` characters, each right
 * after a newline (a line is never split, so neither is a character); the last end is the
 * text's end. A text with no more than 1.5 steps past `from` is one piece.
 *
 * @param text - The whole text that will be in the cell (prompt and reply).
 * @param from - Where the reply starts: the first piece holds everything before it too.
 * @param step - The piece size to aim at.
 * @returns Increasing offsets, the last `text.length`.
 */
export function writePieces(text: string, from: number, step = WRITE_STEP): number[] {
  const ends: number[] = [];
  let at = from;
  while (text.length - at > step * 1.5) {
    const newline = text.indexOf('\n', at + step);
    if (newline < 0 || newline + 1 >= text.length) {
      break;
    }
    at = newline + 1;
    ends.push(at);
  }
  ends.push(text.length);
  return ends;
}
