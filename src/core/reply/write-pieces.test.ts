import { WRITE_STEP, writePieces } from './write-pieces';

/** The pieces themselves. */
const pieces = (text: string, from: number, step?: number): string[] => {
  const ends = writePieces(text, from, step);
  return ends.map((end, i) => text.slice(i ? ends[i - 1] : 0, end));
};

describe('writePieces', () => {
  it('keeps a short reply in one piece, prompt included', () => {
    expect(writePieces('prompt\n\nshort reply', 8)).toEqual([19]);
    expect(writePieces('', 0)).toEqual([0]);
    const reply = 'x\n'.repeat(WRITE_STEP * 0.7);
    expect(writePieces(`p${reply}`, 1)).toEqual([1 + reply.length]);
  });

  it('cuts a long reply after newlines, about a step apart, and the pieces make the text', () => {
    const reply = Array.from({ length: 400 }, (_, i) => `Line ${i} of a long reply, with 😀 and words.`).join('\n') + '\n';
    const text = `The prompt\n\n##### 🤖Reply🤖\n\n${reply}`;
    const from = text.length - reply.length;
    const parts = pieces(text, from);
    expect(parts.length).toBeGreaterThanOrEqual(3);
    expect(parts.join('')).toBe(text);
    expect(parts[0].startsWith('The prompt')).toBe(true);
    for (const part of parts.slice(0, -1)) {
      expect(part.endsWith('\n')).toBe(true);
    }
    // Every piece but the first (which holds the prompt) and the last is a step and a line.
    for (const part of parts.slice(1, -1)) {
      expect(part.length).toBeGreaterThanOrEqual(WRITE_STEP);
      expect(part.length).toBeLessThan(WRITE_STEP + 100);
    }
    expect(parts[parts.length - 1].length).toBeLessThanOrEqual(WRITE_STEP * 1.5 + 100);
  });

  it('never splits a line: one very long line is one piece', () => {
    const text = 'p\n' + 'y'.repeat(WRITE_STEP * 5);
    expect(writePieces(text, 2)).toEqual([text.length]);
    const two = 'p\n' + 'y'.repeat(WRITE_STEP * 3) + '\n' + 'z'.repeat(WRITE_STEP * 3);
    expect(pieces(two, 2)).toEqual(['p\n' + 'y'.repeat(WRITE_STEP * 3) + '\n', 'z'.repeat(WRITE_STEP * 3)]);
  });

  it('takes a step size', () => {
    expect(pieces('a\nb\nc\nd\ne\nf\n', 0, 2)).toEqual(['a\nb\n', 'c\nd\n', 'e\nf\n']);
  });
});
