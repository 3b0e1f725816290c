/**
 * Signatures of the fake's thinking blocks. Kept apart from reply.ts so that validation
 * (which checks signatures passed back) does not depend on reply generation.
 */
import { createHash } from 'crypto';

/** Prefix of every signature the fake mints; only such signatures are checked. */
export const SIGNATURE_PREFIX = 'fakesig_';

/**
 * The signature of a thinking block's text.
 *
 * @param thinking - The block's thinking text, as sent to the client.
 */
export function signThinking(thinking: string): string {
  return SIGNATURE_PREFIX + createHash('sha256').update(thinking).digest('base64url').slice(0, 43);
}
