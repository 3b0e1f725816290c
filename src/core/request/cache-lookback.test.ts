/**
 * The 20-block lookback against the strict fake: when more than 20 blocks (here images of
 * cell outputs) are added between two prompts, the breakpoint at the end of the previous
 * reply is what lets the next prompt read the whole earlier dialogue from the cache.
 */
import { IMAGES } from '../../../fakes/anthropic/testing';
import { preparePrompt } from './assemble';
import { CellJSON, NotebookJSON } from '../nbformat';
import { streamReply } from '../reply/reply';
import { DEFAULT_SETTINGS } from '../settings';
import { ai, code, notebook } from '../testing/notebooks';
import { useFakeAnthropic } from '../testing/fakes';
import { ChatRequest } from '../types';

const the = useFakeAnthropic();

const docs = [{ title: 'Guide', source: 'guide.md', text: 'The widget API draws frames. '.repeat(400) }];
const png = { output_type: 'display_data', data: { 'image/png': IMAGES['image/png'], 'text/plain': '<Figure>' }, metadata: {} };
/** A code cell with two plots: three blocks of the request (its text and two images). */
const plots = (i: number): CellJSON => code(`plot${i}`, `plot(${i})`, [png, png], i);

/** Without the breakpoint at the end of the previous reply. */
function withoutReplyMark(request: ChatRequest): ChatRequest {
  const turns = request.turns.map((t, i) => (t.role === 'assistant' && i === request.turns.length - 2 ? { ...t, parts: t.parts.map(({ cache: _c, ...p }) => p) } : t));
  return { ...request, turns };
}

describe('20-block lookback', () => {
  it.each<[string, (r: ChatRequest) => ChatRequest, 'dialogue' | 'docs']>([
    ['with the mark at the end of the previous reply: the earlier dialogue is read', r => r, 'dialogue'],
    ['without it: only the docs are read', withoutReplyMark, 'docs']
  ])('%s', async (_name, transform, expected) => {
    const first: NotebookJSON = notebook(code('c', 'x = 1', [], 1), ai('p1', 'First question ' + 'with detail. '.repeat(200)));
    const prepare = (nb: NotebookJSON) => preparePrompt(nb, nb.cells.length - 1, { settings: DEFAULT_SETTINGS, docs, images: true }).request;
    the.fake.queueReplies('First answer.');
    const one = await streamReply(the.provider, transform(prepare(first)));
    expect(one.usage.cacheWrite).toBeGreaterThan(3000);

    const cells = [...first.cells.slice(0, 1), ai('p1', 'First question ' + 'with detail. '.repeat(200), one.text)];
    for (let i = 0; i < 8; i++) {
      cells.push(plots(i));
    }
    const second = notebook(...cells, ai('p2', 'Second question'));
    const request = transform(prepare(second));
    const blocksAfterReply = request.turns[request.turns.length - 1].parts.length;
    expect(blocksAfterReply).toBeGreaterThan(20);
    const two = await streamReply(the.provider, request);
    // What the first prompt wrote: docs and its whole user turn.
    const firstPrompt = one.usage.input + one.usage.cacheRead + one.usage.cacheWrite;
    if (expected === 'dialogue') {
      expect(two.usage.cacheRead).toBeGreaterThanOrEqual(firstPrompt - 10);
    } else {
      expect(two.usage.cacheRead).toBeLessThan(firstPrompt - 500);
      expect(two.usage.cacheRead).toBeGreaterThan(2900);
    }
  });
});
