/**
 * The AI Magic service, following the user's settings.
 */
import { JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { replyImageSanitizer } from '../notebook/remote-images';
import { AIMagicService, SETTINGS_PLUGIN } from '../notebook/service';
import { IAIMagic } from '../notebook/tokens';

export const settingsPlugin: JupyterFrontEndPlugin<IAIMagic> = {
  id: SETTINGS_PLUGIN,
  description: 'Runs AI cells with the provider, model and limits from the settings.',
  autoStart: true,
  provides: IAIMagic,
  requires: [IRenderMimeRegistry, ISettingRegistry],
  activate: async (app: JupyterFrontEnd, rendermime: IRenderMimeRegistry, registry: ISettingRegistry) => {
    // The streaming view renders nothing but reply: none of its remote images may load.
    const replies = rendermime.clone({ sanitizer: replyImageSanitizer(rendermime.sanitizer, true) });
    const service = new AIMagicService(replies, app.serviceManager.serverSettings);
    try {
      service.useSettings(await registry.load(SETTINGS_PLUGIN));
    } catch (e) {
      console.warn('AI Magic: settings could not be loaded; using defaults.', e);
    }
    return service;
  }
};
