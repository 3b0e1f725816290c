import { joinAICell } from '../context/aicell';
import { isReplyEdited, replyHash } from './reply-hash';

describe('isReplyEdited', () => {
  const written = 'The answer is 42.';
  const meta = { aimagic: { replyHash: replyHash(written) } };
  it.each<[string, string, Record<string, unknown> | undefined, boolean]>([
    ['as written', joinAICell('Q', written), meta, false],
    ['prompt edited only', joinAICell('Q, rephrased', written), meta, false],
    ['trailing whitespace only', joinAICell('Q', `${written}\n\n`), meta, false],
    ['reply edited', joinAICell('Q', 'The answer is 43.'), meta, true],
    ['reply removed', 'Q', meta, true],
    ['nothing recorded (e.g. from SolveIt)', joinAICell('Q', 'anything'), {}, false],
    ['no metadata', joinAICell('Q', 'anything'), undefined, false]
  ])('%s', (_name, source, metadata, expected) => {
    expect(isReplyEdited(source, metadata)).toBe(expected);
  });
});
