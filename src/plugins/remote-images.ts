/**
 * Remote images in AI replies are shown as links, not loaded (they could carry data out).
 */
import { JupyterFrontEndPlugin } from '@jupyterlab/application';
import { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import { replyMarkdownRendererFactory } from '../notebook/remote-images';

export const remoteImagesPlugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyterlab-aimagic:remote-images',
  description: 'Shows remote images in AI replies as links instead of loading them.',
  autoStart: true,
  requires: [IRenderMimeRegistry],
  activate: (_app, rendermime: IRenderMimeRegistry) => {
    rendermime.addFactory(replyMarkdownRendererFactory);
  }
};
