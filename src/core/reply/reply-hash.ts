/**
 * Whether a reply was edited after it was written: the runner records a hash of the reply
 * as written (`metadata.aimagic.replyHash`), the footer compares it with the reply now.
 */
import { splitAICell } from '../context/aicell';
import { MultilineString } from '../nbformat';
import { hashText } from '../hash';

/**
 * The hash of a reply; surrounding whitespace does not count as an edit.
 *
 * @param reply - The reply text.
 */
export function replyHash(reply: string): string {
  return hashText(reply.trim());
}

/**
 * Whether the reply in an AI cell's source differs from the one recorded when it was
 * written. `false` when nothing was recorded (a reply from SolveIt or an older version).
 *
 * @param source - The AI cell's source.
 * @param metadata - The AI cell's metadata.
 */
export function isReplyEdited(source: MultilineString, metadata: { [key: string]: unknown } | undefined): boolean {
  const recorded = (metadata?.aimagic as { replyHash?: unknown } | undefined)?.replyHash;
  if (typeof recorded !== 'string') {
    return false;
  }
  const { reply } = splitAICell(source);
  return replyHash(reply ?? '') !== recorded;
}
