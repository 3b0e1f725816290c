/**
 * Helpers for the fake's own tests (and for tests elsewhere that drive the fake).
 */
import Anthropic from '@anthropic-ai/sdk';
import { ErrorType } from './errors';
import { FakeAnthropic } from './server';
import { TOKENS } from './tokens';

/** The key a default fake accepts. */
export const TEST_KEY = 'test-key';

/** The API version header the fake requires. */
export const VERSION_HEADERS = { 'anthropic-version': '2026-10-21' };

/**
 * An SDK client for a fake, without retries so faults surface as they are.
 *
 * @param fake - The running fake.
 * @param options - Extra client options.
 */
export function sdkClient(fake: FakeAnthropic, options: Partial<ConstructorParameters<typeof Anthropic>[0]> = {}): Anthropic {
  return new Anthropic({ apiKey: TEST_KEY, baseURL: fake.url, maxRetries: 0, ...options });
}

/** A raw HTTP answer. */
export interface RawAnswer {
  status: number;
  headers: Headers;
  /** Parsed JSON, or the text if it is not JSON. */
  body: unknown;
}

/**
 * Send a request with `fetch`, bypassing the SDK (for malformed requests).
 *
 * @param fake - The running fake.
 * @param path - Path, e.g. `/v1/messages`.
 * @param init - Method, body (a value is JSON-encoded, a string sent as is) and headers;
 *   by default the test key and API version are sent; a header given as '' is left out.
 */
export async function rawRequest(
  fake: FakeAnthropic,
  path: string,
  init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}
): Promise<RawAnswer> {
  const body = init.body === undefined ? undefined : typeof init.body === 'string' ? init.body : JSON.stringify(init.body);
  const headers = Object.entries({
    'content-type': 'application/json',
    authorization: `Bearer ${TEST_KEY}`,
    ...VERSION_HEADERS,
    ...init.headers
  }).filter(([, value]) => value !== '');
  const response = await fetch(fake.url + path, {
    method: init.method ?? (body === undefined ? 'GET' : 'POST'),
    headers: Object.fromEntries(headers),
    body
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Not JSON: keep the text.
  }
  return { status: response.status, headers: response.headers, body: parsed };
}

/**
 * Assert an answer is the API's error envelope with this status and type; returns the message.
 *
 * @param answer - The raw answer.
 * @param status - Expected status.
 * @param type - Expected error type.
 */
export function expectApiError(answer: RawAnswer, status: number, type: ErrorType): string {
  expect(answer.status).toBe(status);
  const requestId = answer.headers.get('request-id');
  expect(requestId).toMatch(/^req_[0-9A-Za-z]{24}$/);
  const body = answer.body as { error: { message: string } };
  expect(body).toEqual({ type: 'error', error: { type, message: expect.any(String) }, request_id: requestId });
  return body.error.message;
}

/**
 * Text of exactly `tokens` tokens under the fake's tokenizer, distinct per `seed`.
 *
 * @param tokens - Token count.
 * @param seed - Makes texts of the same size differ from their first characters.
 */
export function textOfTokens(tokens: number, seed = 'doc'): string {
  const length = tokens * TOKENS.charsPerToken;
  const unit = `${seed} lorem ipsum dolor sit amet. `;
  return unit.repeat(Math.ceil(length / unit.length)).slice(0, length);
}

/** Minimal payloads with the right signatures, base64-encoded, per image media type. */
export const IMAGES = {
  'image/png': Buffer.from('89504e470d0a1a0a0000000d494844520000000100000001', 'hex').toString('base64'),
  'image/jpeg': Buffer.from('ffd8ffe000104a46494600010100000100010000', 'hex').toString('base64'),
  'image/gif': Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00', 'latin1').toString('base64'),
  'image/webp': Buffer.from('RIFF\x1a\x00\x00\x00WEBPVP8L\x0d\x00\x00\x00', 'latin1').toString('base64')
} as const;

/** A minimal PDF, base64-encoded. */
export const PDF = Buffer.from('%PDF-1.4\n%EOF\n', 'latin1').toString('base64');
