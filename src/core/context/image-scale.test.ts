/**
 * Images are scaled by pure JavaScript, the same in Node and in the browser (the Galata test
 * fidelity.spec.ts compares the browser's bytes with these).
 */
import { createHash } from 'crypto';
import { decode as decodePng, encode as encodePng } from 'fast-png';
import * as jpeg from 'jpeg-js';
import { imageSize, scaleImage, scaleNotebookImages } from './image-scale';
import { ImageLimits } from './images';
import { code, notebook } from '../testing/notebooks';

const LIMITS: ImageLimits = { maxEdge: 1568, maxBytes: 5 * 1024 * 1024 };
// Same code path, smaller pictures: JS codecs take a while on 2 cores.
const SMALL: ImageLimits = { maxEdge: 200, maxBytes: 5 * 1024 * 1024 };

/** A deterministic test picture: gradients and stripes, like a plot's axes and lines. */
export function picture(width: number, height: number, channels: 1 | 2 | 3 | 4 = 4, depth: 8 | 16 = 8): Uint8Array | Uint16Array {
  const max = depth === 16 ? 65535 : 255;
  const data = depth === 16 ? new Uint16Array(width * height * channels) : new Uint8Array(width * height * channels);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const at = (y * width + x) * channels;
      const v = [Math.round((x / width) * max), Math.round((y / height) * max), (x + y) % 40 < 3 ? 0 : max, max];
      for (let c = 0; c < channels; c++) {
        data[at + c] = channels < 3 ? v[c === 0 ? 0 : 3] : v[c];
      }
    }
  }
  return data;
}

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const png = (w: number, h: number, channels: 1 | 2 | 3 | 4 = 4, depth: 8 | 16 = 8) => b64(encodePng({ width: w, height: h, data: picture(w, h, channels, depth), channels, depth }));
const jpg = (w: number, h: number) => b64(jpeg.encode({ width: w, height: h, data: picture(w, h) }, 90).data);
const pngSize = (data: string) => {
  const image = decodePng(Buffer.from(data, 'base64'));
  return [image.width, image.height, image.channels, image.depth];
};
const sha = (data: string) => createHash('sha256').update(data).digest('hex').slice(0, 16);

describe('imageSize', () => {
  it.each<[string, 'image/png' | 'image/jpeg', string, { width: number; height: number }]>([
    ['PNG', 'image/png', png(30, 20), { width: 30, height: 20 }],
    ['JPEG', 'image/jpeg', jpg(30, 20), { width: 30, height: 20 }]
  ])('%s', (_name, mediaType, data, size) => {
    expect(imageSize(mediaType, Buffer.from(data, 'base64'))).toEqual(size);
  });
  it.each<['image/png' | 'image/jpeg', number[]]>([
    ['image/png', [1, 2, 3]],
    ['image/jpeg', [0xff, 0xd8, 0xff, 0xd9]]
  ])('refuses a %s without a header', (mediaType, bytes) => {
    expect(() => imageSize(mediaType, new Uint8Array(bytes))).toThrow();
  });
});

describe('scaleImage', () => {
  it.each<[string, string, ImageLimits, number[]]>([
    ['a wide RGBA PNG to 1568 px', png(2000, 1000), LIMITS, [1568, 784, 4, 8]],
    ['a tall RGB PNG', png(60, 400, 3), SMALL, [30, 200, 4, 8]],
    ['a grey PNG with alpha', png(800, 25, 2), SMALL, [200, 6, 4, 8]],
    ['a 16-bit grey PNG', png(250, 250, 1, 16), SMALL, [200, 200, 4, 8]]
  ])('%s', async (_name, data, limits, size) => {
    expect(pngSize(await scaleImage('image/png', data, limits))).toEqual(size);
  });

  it('scales a JPEG and keeps it a JPEG', async () => {
    const out = await scaleImage('image/jpeg', jpg(400, 200), SMALL);
    const image = jpeg.decode(Buffer.from(out, 'base64'));
    expect([image.width, image.height]).toEqual([200, 100]);
  });

  it('gives an image within the limits back byte for byte', async () => {
    const data = png(640, 480);
    expect(await scaleImage('image/png', data, LIMITS)).toBe(data);
  });

  it('halves an image until it fits the byte limit', async () => {
    const data = png(200, 200);
    const out = await scaleImage('image/png', data, { maxEdge: 1568, maxBytes: 8000 });
    expect(pngSize(out)[0]).toBeLessThan(200);
    expect(Buffer.from(out, 'base64').length).toBeLessThanOrEqual(8000);
  });

  // Pinned: the bytes depend only on this input and the codecs' versions (package-lock), not
  // on the machine or the browser. If a codec upgrade changes them, re-pin; fidelity.spec.ts
  // checks that the browser gives the same bytes as Node.
  it.each<[string, 'image/png' | 'image/jpeg', string, string]>([
    ['PNG', 'image/png', png(400, 300), '7a89bc7509a5ee09'],
    ['JPEG', 'image/jpeg', jpg(400, 300), 'fa6b2214fc9f8806']
  ])('gives the same %s bytes every time', async (_name, mediaType, data, pinned) => {
    const first = await scaleImage(mediaType, data, SMALL);
    expect(await scaleImage(mediaType, data, SMALL)).toBe(first);
    expect(sha(first)).toBe(pinned);
  });

  it('gives the same JPEG bytes where there is no Buffer, as in a browser bundle', async () => {
    const data = jpg(400, 300);
    const withBuffer = await scaleImage('image/jpeg', data, SMALL);
    const scope = globalThis as { Buffer?: unknown };
    const saved = scope.Buffer;
    delete scope.Buffer;
    try {
      expect(await scaleImage('image/jpeg', data, SMALL)).toBe(withBuffer);
      expect(scope.Buffer).toBeUndefined();
    } finally {
      scope.Buffer = saved;
    }
  });

  it('refuses what it cannot decode', async () => {
    await expect(scaleImage('image/png', b64(new Uint8Array([1, 2, 3])), LIMITS)).rejects.toThrow();
  });
});

describe('scaleNotebookImages', () => {
  it('scales outputs and attachments, keeps the rest, and leaves the undecodable as they were', async () => {
    const big = png(400, 200);
    const nb = notebook(
      code('c', 'plot()', [
        { output_type: 'display_data', data: { 'image/png': big, 'text/plain': '<Figure size 400x200 with 1 Axes>' }, metadata: {} },
        { output_type: 'display_data', data: { 'image/png': 'bm90IGEgcG5n' }, metadata: {} }
      ]),
      { cell_type: 'markdown', id: 'n', source: '![](attachment:a.png)', metadata: {}, attachments: { 'a.png': { 'image/png': big }, 'b.txt': { 'text/plain': 'x' } } }
    );
    await scaleNotebookImages(nb, SMALL);
    const [figure, broken] = nb.cells[0].outputs!;
    expect(pngSize(figure.data!['image/png'] as string)).toEqual([200, 100, 4, 8]);
    expect(figure.data!['text/plain']).toBe('<Figure size 400x200 with 1 Axes>');
    expect(broken.data!['image/png']).toBe('bm90IGEgcG5n');
    const attachments = nb.cells[1].attachments as Record<string, Record<string, string>>;
    expect(pngSize(attachments['a.png']['image/png'])).toEqual([200, 100, 4, 8]);
    expect(attachments['b.txt']).toEqual({ 'text/plain': 'x' });
  });
});
