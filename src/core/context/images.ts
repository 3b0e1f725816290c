/**
 * Images in cell outputs and in markdown cells' attachments (pasted images, referenced as
 * `attachment:<id>`), as the model receives them: PNG and JPEG only, base64 without line
 * breaks, no larger than the provider takes.
 */
import { CellJSON, OutputJSON, joinText } from '../nbformat';
import { ImagePart } from '../types';

/** Output mime types sent as images, in order of preference. */
export const IMAGE_MIME_TYPES = ['image/png', 'image/jpeg'] as const;

/** The mime type of an image sent to the model. */
export type ImageMime = (typeof IMAGE_MIME_TYPES)[number];

/** How large an image a provider takes. */
export interface ImageLimits {
  /** Longest edge in pixels; larger images are scaled down to it. */
  maxEdge: number;
  /** Largest encoded image in bytes. */
  maxBytes: number;
}

/** Limits by provider id; Anthropic scales anything above 1568 px itself and refuses over 5 MB. */
export const IMAGE_LIMITS: Readonly<Record<string, ImageLimits>> = Object.freeze({
  anthropic: { maxEdge: 1568, maxBytes: 5 * 1024 * 1024 },
  openai: { maxEdge: 2048, maxBytes: 20 * 1024 * 1024 }
});

/** Limits for a provider without an entry. */
export const DEFAULT_IMAGE_LIMITS: ImageLimits = { maxEdge: 1568, maxBytes: 5 * 1024 * 1024 };

/** Estimated input tokens of one image at the largest size (Anthropic: pixels / 750). */
export const IMAGE_TOKENS = Math.ceil((1568 * 1568) / 750);

/**
 * Whether a provider's model takes images. Every current Claude model does; other providers
 * are asked to opt in here when their adapter sends image parts.
 *
 * @param provider - Provider id.
 * @param _model - Model id (for providers where it matters).
 */
export function takesImages(provider: string, _model: string): boolean {
  return provider === 'anthropic';
}

/**
 * The limits of a provider.
 *
 * @param provider - Provider id.
 */
export function imageLimits(provider: string): ImageLimits {
  return IMAGE_LIMITS[provider] ?? DEFAULT_IMAGE_LIMITS;
}

/**
 * The image of an output (PNG preferred over JPEG), or `null`.
 *
 * @param output - A cell output.
 */
export function imageOf(output: OutputJSON): { mediaType: ImageMime; data: string } | null {
  if (output.output_type !== 'display_data' && output.output_type !== 'execute_result') {
    return null;
  }
  for (const mediaType of IMAGE_MIME_TYPES) {
    const value = output.data?.[mediaType];
    if (typeof value === 'string' || Array.isArray(value)) {
      const data = joinText(value as string | string[]).replace(/\s+/g, '');
      if (data) {
        return { mediaType, data };
      }
    }
  }
  return null;
}

/**
 * The image parts of a cell's outputs, in output order.
 *
 * @param outputs - The cell's outputs.
 * @param cellId - The cell's id, for the reference.
 */
export function imageParts(outputs: OutputJSON[] | undefined, cellId: string | undefined): ImagePart[] {
  const parts: ImagePart[] = [];
  for (const output of outputs ?? []) {
    const image = imageOf(output);
    if (image) {
      parts.push({ type: 'image', mediaType: image.mediaType, data: image.data, ...(cellId ? { cellId } : {}) });
    }
  }
  return parts;
}

// `attachment:<id>` in a Markdown link or an HTML src; ids may be URL-encoded there.
const ATTACHMENT_REF = /attachment:([^\s)"'>]+)/g;

/**
 * The image of one attachment of a markdown cell (PNG preferred over JPEG), or `null`.
 *
 * @param bundle - The attachment's mime bundle (`{mime: base64}`).
 */
export function attachmentImage(bundle: unknown): { mediaType: ImageMime; data: string } | null {
  return imageOf({ output_type: 'display_data', data: bundle && typeof bundle === 'object' ? (bundle as { [mime: string]: unknown }) : {} });
}

/**
 * The ids of a cell's attachments that a text refers to (`attachment:<id>`), each once, in
 * order of first reference. Attachments that nothing refers to are not shown, so not sent.
 *
 * @param cell - A markdown cell (a note or an AI cell).
 * @param text - The text that refers to them (for an AI cell, its prompt).
 */
export function referencedAttachments(cell: Pick<CellJSON, 'attachments'>, text: string): string[] {
  const attachments = cell.attachments ?? {};
  const ids: string[] = [];
  for (const match of text.matchAll(ATTACHMENT_REF)) {
    let id = match[1];
    if (!Object.hasOwn(attachments, id)) {
      try {
        id = decodeURIComponent(id);
      } catch {
        continue;
      }
    }
    if (Object.hasOwn(attachments, id) && !ids.includes(id)) {
      ids.push(id);
    }
  }
  return ids;
}

/**
 * The image parts of the attachments a text refers to, in order of reference.
 *
 * @param cell - A markdown cell.
 * @param text - The text that refers to them.
 */
export function attachmentParts(cell: Pick<CellJSON, 'attachments' | 'id'>, text: string): ImagePart[] {
  const parts: ImagePart[] = [];
  for (const id of referencedAttachments(cell, text)) {
    const image = attachmentImage(cell.attachments?.[id]);
    if (image) {
      parts.push({ type: 'image', mediaType: image.mediaType, data: image.data, ...(cell.id ? { cellId: cell.id } : {}) });
    }
  }
  return parts;
}

/**
 * The size to scale an image to so its longest edge fits `maxEdge` (never scaled up).
 *
 * @param width - Width in pixels.
 * @param height - Height in pixels.
 * @param maxEdge - Longest edge allowed.
 */
export function fitWithin(width: number, height: number, maxEdge: number): { width: number; height: number; scaled: boolean } {
  const longest = Math.max(width, height);
  if (longest <= maxEdge || longest <= 0) {
    return { width, height, scaled: false };
  }
  const ratio = maxEdge / longest;
  return { width: Math.max(1, Math.round(width * ratio)), height: Math.max(1, Math.round(height * ratio)), scaled: true };
}

/**
 * Bytes encoded by base64 text, without decoding it.
 *
 * @param data - Base64 without whitespace.
 */
export function base64Bytes(data: string): number {
  const padding = data.endsWith('==') ? 2 : data.endsWith('=') ? 1 : 0;
  return Math.floor((data.length * 3) / 4) - padding;
}
