/**
 * Scale images down to a provider's limits with pure JavaScript (fast-png, jpeg-js, pica's
 * JS resizer), so the browser and Node give the same bytes for the same image: what the
 * command-line dry run prints is what the extension sends, figures included.
 *
 * The extension imports this module lazily, on the first prompt.
 */
import { decode as decodePng, encode as encodePng, convertIndexedToRgb } from 'fast-png';
import * as jpeg from 'jpeg-js';
import pica from 'pica';
import { ImageLimits, ImageMime, attachmentImage, base64Bytes, fitWithin, imageOf } from './images';
import { NotebookJSON, OutputJSON } from '../nbformat';

/** JPEG quality of a re-encoded image (what the browser's canvas was asked for before). */
export const JPEG_QUALITY = 85;

/** RGBA pixels. */
interface Pixels {
  width: number;
  height: number;
  data: Uint8Array;
}

// Only the JS resizer: WebAssembly, workers and createImageBitmap differ between the browser
// and Node (or are absent from Node); the JS path is the same code in both.
let resizer: ReturnType<typeof pica> | undefined;

/**
 * The image as base64, scaled so its long edge fits `limits.maxEdge` and re-encoded smaller
 * (halved again) until it fits `limits.maxBytes`. An image within both limits comes back as
 * it was, byte for byte.
 *
 * @param mediaType - PNG or JPEG.
 * @param data - The image, base64 without whitespace.
 * @param limits - The provider's limits.
 * @throws Error when the image cannot be decoded.
 */
export async function scaleImage(mediaType: ImageMime, data: string, limits: ImageLimits): Promise<string> {
  const bytes = Private.fromBase64(data);
  // The header gives the size: most figures fit, and are not decoded at all.
  const size = imageSize(mediaType, bytes);
  const fit = fitWithin(size.width, size.height, limits.maxEdge);
  if (!fit.scaled && base64Bytes(data) <= limits.maxBytes) {
    return data;
  }
  let { width, height } = fit;
  const pixels = mediaType === 'image/png' ? Private.decodePngPixels(bytes) : Private.decodeJpegPixels(bytes);
  resizer ??= pica({ features: ['js'] });
  let out = data;
  // Halve until it fits the byte limit; a few rounds at most for any real plot.
  for (let round = 0; round < 6; round++) {
    const resized = await resizer.resizeBuffer({ src: pixels.data, width: pixels.width, height: pixels.height, toWidth: width, toHeight: height, filter: 'lanczos3' });
    const encoded =
      mediaType === 'image/png'
        ? encodePng({ width, height, data: resized, channels: 4, depth: 8 })
        : Private.encodeJpeg({ width, height, data: resized });
    out = Private.toBase64(encoded);
    if (base64Bytes(out) <= limits.maxBytes) {
      break;
    }
    width = Math.max(1, Math.round(width / 2));
    height = Math.max(1, Math.round(height / 2));
  }
  return out;
}

/**
 * The width and height of a PNG or JPEG, from its header (IHDR; a JPEG's start-of-frame).
 *
 * @param mediaType - PNG or JPEG.
 * @param bytes - The encoded image.
 * @throws Error when the header is not there.
 */
export function imageSize(mediaType: ImageMime, bytes: Uint8Array): { width: number; height: number } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (mediaType === 'image/png') {
    // Signature (8 bytes), IHDR length and type (8), then width and height.
    if (bytes.length < 24 || view.getUint32(12) !== 0x49484452) {
      throw new Error('not a PNG');
    }
    return { width: view.getUint32(16), height: view.getUint32(20) };
  }
  if (view.getUint16(0) !== 0xffd8) {
    throw new Error('not a JPEG');
  }
  let at = 2;
  while (at + 9 < bytes.length) {
    if (bytes[at] !== 0xff) {
      throw new Error('a broken JPEG');
    }
    const marker = bytes[at + 1];
    if (marker === 0xff) {
      at++; // fill byte before a marker
      continue;
    }
    // SOF0..SOF15 carry the size, except DHT (C4), JPG (C8) and DAC (CC).
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { width: view.getUint16(at + 7), height: view.getUint16(at + 5) };
    }
    at += 2 + view.getUint16(at + 2);
  }
  throw new Error('a JPEG without a frame header');
}

/**
 * Scale the PNG/JPEG outputs and pasted images (attachments) of a notebook in place (the
 * notebook is a snapshot: the document keeps its full-size images). An image that cannot be
 * decoded is left as it is; the provider then says what is wrong with it.
 *
 * @param notebook - A snapshot of the cells a prompt sends.
 * @param limits - The provider's limits.
 */
export async function scaleNotebookImages(notebook: NotebookJSON, limits: ImageLimits): Promise<void> {
  const scaled = (image: { mediaType: ImageMime; data: string }) => scaleImage(image.mediaType, image.data, limits).catch(() => image.data);
  for (const cell of notebook.cells) {
    if (cell.cell_type === 'markdown' && cell.attachments) {
      const attachments: Record<string, unknown> = {};
      for (const [id, bundle] of Object.entries(cell.attachments)) {
        const image = attachmentImage(bundle);
        attachments[id] = image ? { [image.mediaType]: await scaled(image) } : bundle;
      }
      cell.attachments = attachments;
    }
    if (cell.cell_type !== 'code' || !cell.outputs?.length) {
      continue;
    }
    const outputs: OutputJSON[] = [];
    for (const output of cell.outputs) {
      const image = imageOf(output);
      if (!image) {
        outputs.push(output);
        continue;
      }
      outputs.push({ ...output, data: { ...output.data, [image.mediaType]: await scaled(image) } });
    }
    cell.outputs = outputs;
  }
}

namespace Private {
  /** Bytes of base64 text (atob is global in browsers and in Node 16+). */
  export function fromBase64(data: string): Uint8Array {
    const binary = atob(data);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) {
      bytes[i] = binary.charCodeAt(i);
    }
    return bytes;
  }

  /** Base64 of bytes, in chunks (a whole image at once overflows the argument list). */
  export function toBase64(bytes: Uint8Array): string {
    let binary = '';
    for (let i = 0; i < bytes.length; i += 0x8000) {
      binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    }
    return btoa(binary);
  }

  /** A PNG as 8-bit RGBA: palette, grey, 16-bit and alpha-less images are expanded. */
  export function decodePngPixels(bytes: Uint8Array): Pixels {
    const png = decodePng(bytes);
    let samples: ArrayLike<number> = png.data;
    let channels = png.channels;
    if (png.palette) {
      samples = convertIndexedToRgb(png);
      channels = png.palette[0]?.length ?? 3;
    } else if (png.depth < 8) {
      throw new Error(`PNG of bit depth ${png.depth} is not scaled`);
    }
    const shift = png.depth === 16 && !png.palette ? 8 : 0;
    const count = png.width * png.height;
    const data = new Uint8Array(count * 4);
    for (let i = 0; i < count; i++) {
      const at = i * channels;
      const grey = channels < 3;
      const r = samples[at] >> shift;
      data[i * 4] = r;
      data[i * 4 + 1] = grey ? r : samples[at + 1] >> shift;
      data[i * 4 + 2] = grey ? r : samples[at + 2] >> shift;
      data[i * 4 + 3] = channels === 2 || channels === 4 ? samples[at + channels - 1] >> shift : 255;
    }
    return { width: png.width, height: png.height, data };
  }

  /**
   * RGBA as a JPEG. jpeg-js's encoder returns `Buffer.from(bytes)` whenever `module` exists,
   * as it does in a bundle, where there is no Buffer: for the length of this synchronous call
   * only, a Buffer that makes the same bytes as a Uint8Array stands in.
   */
  export function encodeJpeg(pixels: Pixels): Uint8Array {
    const scope = globalThis as { Buffer?: unknown };
    if (scope.Buffer !== undefined) {
      return jpeg.encode(pixels, JPEG_QUALITY).data;
    }
    scope.Buffer = { from: (bytes: number[]) => Uint8Array.from(bytes) };
    try {
      return jpeg.encode(pixels, JPEG_QUALITY).data;
    } finally {
      delete scope.Buffer;
    }
  }

  /** A JPEG as RGBA. */
  export function decodeJpegPixels(bytes: Uint8Array): Pixels {
    const image = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true });
    return { width: image.width, height: image.height, data: image.data };
  }
}
