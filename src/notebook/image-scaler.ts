/**
 * Scale the PNG/JPEG outputs and pasted images (attachments) of a notebook snapshot down to a provider's limits, in the
 * browser (createImageBitmap + canvas), before the core turns them into image parts.
 */
import { ImageLimits, attachmentImage, base64Bytes, fitWithin, imageOf } from '../core/context/images';
import { NotebookJSON, OutputJSON } from '../core/nbformat';

/**
 * Replace images larger than the limits, in place in the snapshot (the snapshot is a copy:
 * the notebook keeps its full-size outputs). An image that cannot be decoded is left as is.
 *
 * @param snapshot - The snapshot of the cells above the prompt.
 * @param limits - The provider's limits.
 */
export async function scaleSnapshotImages(snapshot: NotebookJSON, limits: ImageLimits): Promise<void> {
  for (const cell of snapshot.cells) {
    if (cell.cell_type === 'markdown' && cell.attachments) {
      // Pasted images: a fresh object too, the notebook keeps its attachments as they are.
      const attachments: Record<string, unknown> = {};
      for (const [id, bundle] of Object.entries(cell.attachments)) {
        const image = attachmentImage(bundle);
        attachments[id] = image ? { [image.mediaType]: await Private.scaled(image.mediaType, image.data, limits).catch(() => image.data) } : bundle;
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
      const data = await Private.scaled(image.mediaType, image.data, limits).catch(() => image.data);
      // Keep only the image that is sent, with its text, in a fresh object.
      const bundle: Record<string, unknown> = { [image.mediaType]: data };
      if (output.data?.['text/plain'] !== undefined) {
        bundle['text/plain'] = output.data['text/plain'];
      }
      outputs.push({ ...output, data: bundle });
    }
    cell.outputs = outputs;
  }
}

namespace Private {
  /**
   * The image as base64, scaled to fit the limits (re-encoded smaller when still too big).
   */
  export async function scaled(mediaType: string, data: string, limits: ImageLimits): Promise<string> {
    const bytes = Uint8Array.from(atob(data), c => c.charCodeAt(0));
    const bitmap = await createImageBitmap(new Blob([bytes], { type: mediaType }));
    const size = fitWithin(bitmap.width, bitmap.height, limits.maxEdge);
    if (!size.scaled && base64Bytes(data) <= limits.maxBytes) {
      bitmap.close();
      return data;
    }
    let { width, height } = size;
    let out = data;
    // Halve until it fits the byte limit; a few rounds at most for any real plot.
    for (let round = 0; round < 6; round++) {
      const canvas = document.createElement('canvas');
      canvas.width = width;
      canvas.height = height;
      canvas.getContext('2d')!.drawImage(bitmap, 0, 0, width, height);
      out = canvas.toDataURL(mediaType, 0.85).replace(/^data:[^,]*,/, '');
      if (base64Bytes(out) <= limits.maxBytes) {
        break;
      }
      width = Math.max(1, Math.round(width / 2));
      height = Math.max(1, Math.round(height / 2));
    }
    bitmap.close();
    return out;
  }
}
