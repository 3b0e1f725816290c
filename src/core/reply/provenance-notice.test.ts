/**
 * A provider's notice about a reply (no usage reported, prefix restored from disk) is kept in
 * the provenance and read in the footer line.
 */
import { footerText, provenanceOf } from './provenance';
import { ReplyResult } from './reply';

const result = (notice?: string): ReplyResult => ({
  text: 'Hi',
  stopReason: 'end_turn',
  usage: { input: 10, output: 2, cacheRead: 8000, cacheWrite: 0 },
  model: 'smollm2-135m-instruct',
  durationMs: 1234,
  ...(notice ? { notice } : {})
});

describe('provider notices', () => {
  it.each([
    [undefined, /^smollm2-135m-instruct · 8,010 in · 8,000 cache read · 0 cache write · 10 uncached · 2 out · 1\.2 s$/],
    ['prefix restored from disk', / · 2 out · 1\.2 s · prefix restored from disk$/]
  ])('%s', (notice, footer) => {
    const p = provenanceOf('local', result(notice), {});
    expect(p.notice).toBe(notice);
    expect(footerText(p)).toMatch(footer);
  });
});
