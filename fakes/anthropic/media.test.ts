/**
 * Base64 media checks: signatures per media type, base64 form, size limit.
 */
import { ApiError } from './errors';
import { MAX_IMAGE_BYTES, checkBase64Media, decodedLength } from './media';
import { IMAGES, PDF } from './testing';

const b64 = (hex: string) => Buffer.from(hex, 'hex').toString('base64');

describe('checkBase64Media', () => {
  const cases: Array<[string, string, string]> = [
    ...Object.entries(IMAGES).map(([type, data]): [string, string, string] => [`a real ${type}`, data, type]),
    ['a PDF', PDF, 'application/pdf'],
    ['a GIF87a', Buffer.from('GIF87a\0\0\0\0\0\0', 'latin1').toString('base64'), 'image/gif']
  ];
  it.each(cases)('accepts %s', (_name, data, type) => {
    expect(() => checkBase64Media(data, type, 'source', MAX_IMAGE_BYTES)).not.toThrow();
  });

  it.each<[string, string, string, RegExp]>([
    ['PNG bytes as JPEG', IMAGES['image/png'], 'image/jpeg', /does not match the provided media type image\/jpeg/],
    ['JPEG bytes as PNG', IMAGES['image/jpeg'], 'image/png', /does not match/],
    ['RIFF that is not WebP', b64('52494646000000004156492000000000'), 'image/webp', /does not match/],
    ['empty data', '', 'image/png', /invalid base64/],
    ['a data URL', `data:image/png;base64,${IMAGES['image/png']}`, 'image/png', /invalid base64/],
    ['unpadded base64', IMAGES['image/png'].replace(/=+$/, '') + 'A', 'image/png', /invalid base64/],
    ['over 5 MB', IMAGES['image/png'] + 'A'.repeat(7_000_000), 'image/png', /image exceeds 5 MB maximum: \d+ bytes > 5242880 bytes/]
  ])('refuses %s', (_name, data, type, message) => {
    let error: unknown;
    try {
      checkBase64Media(data, type, 'source', MAX_IMAGE_BYTES);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).message).toMatch(message);
  });

  it.each<[string, number]>([
    ['', 0],
    ['QQ==', 1],
    ['QUI=', 2],
    ['QUJD', 3]
  ])('decodedLength(%j) = %i', (data, length) => {
    expect(decodedLength(data)).toBe(length);
  });
});
