/**
 * The images of a prompt, made ready the same way by the extension and the command-line
 * dry run: scaled to the provider's limits in pure JavaScript, and sent when the provider
 * and model in effect for the cell take images.
 */
import { imageLimits, takesImages } from '../context/images';
import { scaleNotebookImages } from '../context/image-scale';
import { NotebookJSON } from '../nbformat';
import { AISettings, readNotebookOverrides } from '../settings';

/**
 * Scale a snapshot's images in place (when images are sent at all) and say, for the
 * settings in effect for a cell, whether they go.
 *
 * @param snapshot - The cells a prompt sends (a copy: it is changed).
 * @param settings - The user's settings.
 * @returns The `images` decision for {@link preparePrompt}.
 */
export async function prepareImages(snapshot: NotebookJSON, settings: AISettings): Promise<(settings: AISettings) => boolean> {
  if (settings.sendImages) {
    // Scaled to the notebook's provider's limits; whether they go at all is decided for the
    // provider and model in effect for this cell.
    const { overrides } = readNotebookOverrides(snapshot.metadata);
    await scaleNotebookImages(snapshot, imageLimits(overrides.provider ?? settings.provider));
  }
  return s => s.sendImages && takesImages(s.provider, s.model);
}
