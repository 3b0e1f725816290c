/**
 * A model-like reply of a given length: headings, paragraphs with inline marks, nested
 * lists, fenced code and a table, repeated in sections until the length is reached.
 */

/** Characters per token, as the fake Anthropic server counts them (fakes/anthropic/tokens.ts). */
export const CHARS_PER_TOKEN = 4;

/**
 * Make a reply of at least `tokens` tokens (whole sections; one more at most).
 *
 * @param tokens - The length in tokens.
 */
export function generateReply(tokens: number): string {
  const target = tokens * CHARS_PER_TOKEN;
  const sections: string[] = [];
  for (let i = 0; sections.join('').length < target; i++) {
    sections.push(
      [
        `## Step ${i + 1}: look at part ${i + 1} of the data`,
        '',
        `The values in column \`c${i}\` change **sharply** after row ${i * 10}, which suggests the filter in cell ${i} ` +
          `keeps rows it should drop. Checking it with a *small* example makes this clear before changing anything.`,
        '',
        `1. Select the rows of part ${i + 1}`,
        '   - keep the ones with a valid date',
        '   - drop the duplicates:',
        '     1. by id',
        '     2. by timestamp',
        `2. Compare the counts with the ${i % 2 ? 'expected' : 'previous'} run`,
        '',
        '```python',
        `part = df[df.part == ${i + 1}]`,
        'part = part.dropna(subset=["date"]).drop_duplicates("id")',
        `print(len(part), part.c${i}.describe())`,
        '```',
        '',
        '| rows | before | after |',
        '|---|---|---|',
        `| part ${i + 1} | ${1000 + i} | ${900 + i} |`,
        '',
        `If the counts differ by more than ${i + 2} %, the filter is the cause; otherwise look at the join in the next step.`,
        '',
        ''
      ].join('\n')
    );
  }
  // Whole sections only, so no block is left open at the end.
  return sections.join('').replace(/\s+$/, '') + '\n';
}
