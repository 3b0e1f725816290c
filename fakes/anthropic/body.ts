/**
 * Reading request bodies with a size cap.
 */
import type { IncomingMessage } from 'http';
import { invalid } from './errors';

/** A request body as read. */
export interface RawBody {
  /** The text ('' if empty or too large). */
  text: string;
  /** Whether it passed the cap (then it was drained, not kept). */
  tooLarge: boolean;
}

/**
 * Read a whole body. An oversized one is still drained, so the client gets the 413 answer
 * rather than a reset connection while it is still sending.
 *
 * @param req - The request.
 * @param maxBytes - The cap.
 */
export function readBody(req: IncomingMessage, maxBytes: number): Promise<RawBody> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) {
        chunks.push(chunk);
      } else {
        chunks.length = 0;
      }
    });
    req.on('end', () =>
      resolve(size > maxBytes ? { text: '', tooLarge: true } : { text: Buffer.concat(chunks).toString('utf8'), tooLarge: false })
    );
    req.on('error', reject);
  });
}

/**
 * Parse a JSON body, or throw the API's 400.
 *
 * @param text - The body text.
 */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw invalid(text.trim() === '' ? 'body: request body is required' : 'body: request body is not valid JSON');
  }
}
