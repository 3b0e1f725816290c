/**
 * Checks on image and document sources. Base64 data must be plain base64 (no line breaks:
 * notebook image outputs carry them and must be cleaned first), fit the size limit and
 * start with the magic bytes of the declared media type.
 */
import { invalid } from './errors';
import { checkKeys, requireObject, requireString } from './json';

/** Image media types the API accepts. */
export const IMAGE_MEDIA_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'] as const;

/** Largest decoded image, in bytes (5 MB). */
export const MAX_IMAGE_BYTES = 5 * 1024 * 1024;

/** Each media type's signature: bytes at an offset. */
const MAGIC: Readonly<Record<string, ReadonlyArray<readonly [number, string]>>> = {
  'image/png': [[0, '89504e470d0a1a0a']],
  'image/jpeg': [[0, 'ffd8ff']],
  'image/gif': [[0, '474946383761']], // "GIF87a"; "GIF89a" is checked below
  'image/webp': [
    [0, '52494646'], // "RIFF"
    [8, '57454250'] // "WEBP"
  ],
  'application/pdf': [[0, '25504446']] // "%PDF"
};

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Decoded size of well-formed base64, without decoding it.
 *
 * @param data - Base64 text.
 */
export function decodedLength(data: string): number {
  const padding = data.endsWith('==') ? 2 : data.endsWith('=') ? 1 : 0;
  return (data.length / 4) * 3 - padding;
}

/**
 * Whether decoded bytes start with the signature of a media type.
 *
 * @param head - The first decoded bytes (at least 12).
 * @param mediaType - The declared media type.
 */
export function matchesMagic(head: Buffer, mediaType: string): boolean {
  if (mediaType === 'image/gif') {
    const sig = head.subarray(0, 6).toString('latin1');
    return sig === 'GIF87a' || sig === 'GIF89a';
  }
  const parts = MAGIC[mediaType];
  return !!parts && parts.every(([offset, hex]) => head.subarray(offset, offset + hex.length / 2).toString('hex') === hex);
}

/**
 * Validate base64 data against its declared media type; throws a 400 naming `path`.
 *
 * @param data - The `source.data` string.
 * @param mediaType - The `source.media_type`.
 * @param path - JSON path of the source, for the message.
 * @param maxBytes - Size limit of the decoded data, if any.
 */
export function checkBase64Media(data: string, mediaType: string, path: string, maxBytes?: number): void {
  if (data.length === 0 || data.length % 4 !== 0 || !BASE64.test(data)) {
    throw invalid(`${path}.data: invalid base64 data`);
  }
  const size = decodedLength(data);
  if (maxBytes !== undefined && size > maxBytes) {
    throw invalid(`${path}: image exceeds 5 MB maximum: ${size} bytes > ${maxBytes} bytes`);
  }
  // 16 base64 characters decode to the 12 bytes the longest signature (WebP) needs.
  const head = Buffer.from(data.slice(0, 16), 'base64');
  if (!matchesMagic(head, mediaType)) {
    const what = mediaType === 'application/pdf' ? 'Document' : 'Image';
    throw invalid(`${path}.media_type: ${what} does not match the provided media type ${mediaType}`);
  }
}

/**
 * Validate an image block's `source`: base64 (checked as above), an http(s) URL, or a file.
 *
 * @param value - The source as sent.
 * @param path - Its JSON path.
 */
export function checkImageSource(value: unknown, path: string): void {
  const source = requireObject(value, path);
  switch (requireString(source, 'type', path)) {
    case 'base64': {
      checkKeys(source, path, ['type', 'media_type', 'data']);
      const mediaType = requireString(source, 'media_type', path);
      if (!(IMAGE_MEDIA_TYPES as readonly string[]).includes(mediaType)) {
        throw invalid(`${path}.media_type: Input should be ${IMAGE_MEDIA_TYPES.map(t => `'${t}'`).join(', ')}`);
      }
      return checkBase64Media(requireString(source, 'data', path), mediaType, path, MAX_IMAGE_BYTES);
    }
    case 'url':
      checkKeys(source, path, ['type', 'url']);
      if (!/^https?:\/\//.test(requireString(source, 'url', path))) {
        throw invalid(`${path}.url: URL must use http or https`);
      }
      return;
    case 'file':
      return Private.checkFile(source, path);
    default:
      throw invalid(`${path}.type: Input should be 'base64', 'url' or 'file'`);
  }
}

/**
 * Validate a document block's `source`: plain text, a base64 PDF, a URL or a file.
 *
 * @param value - The source as sent.
 * @param path - Its JSON path.
 */
export function checkDocumentSource(value: unknown, path: string): void {
  const source = requireObject(value, path);
  switch (requireString(source, 'type', path)) {
    case 'text':
      checkKeys(source, path, ['type', 'media_type', 'data']);
      if (source.media_type !== 'text/plain') {
        throw invalid(`${path}.media_type: Input should be 'text/plain'`);
      }
      if (requireString(source, 'data', path).length === 0) {
        throw invalid(`${path}.data: document text must be non-empty`);
      }
      return;
    case 'base64':
      checkKeys(source, path, ['type', 'media_type', 'data']);
      if (source.media_type !== 'application/pdf') {
        throw invalid(`${path}.media_type: Input should be 'application/pdf'`);
      }
      return checkBase64Media(requireString(source, 'data', path), 'application/pdf', path);
    case 'url':
      checkKeys(source, path, ['type', 'url']);
      requireString(source, 'url', path);
      return;
    case 'file':
      return Private.checkFile(source, path);
    default:
      throw invalid(`${path}.type: Input should be 'text', 'base64', 'url' or 'file'`);
  }
}

namespace Private {
  /** A reference to an uploaded file. */
  export function checkFile(source: Record<string, unknown>, path: string): void {
    checkKeys(source, path, ['type', 'file_id']);
    requireString(source, 'file_id', path);
  }
}
