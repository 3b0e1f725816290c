/**
 * Context docs: the notebook's docs sent as a cached prefix, the side panel that manages
 * them, the prices replies are costed with, and the notebook's running total in the status bar.
 */
import { ILabShell, JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { INotebookTracker } from '@jupyterlab/notebook';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { IStatusBar } from '@jupyterlab/statusbar';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';
import { readPriceSettings } from '../core/reply/pricing';
import { browserDocLoader } from '../notebook/browser-doc-loader';
import { ContextDocs } from '../notebook/context-docs';
import { setDocsHooks } from '../notebook/docs-hooks';
import { DocsSidebar } from '../notebook/docs-sidebar';
import { DocsPrewarmer } from '../notebook/prewarm';
import { SETTINGS_PLUGIN } from '../notebook/service';
import { UsageStatus } from '../notebook/usage-status';
import { aiCellIcon } from '../notebook/commands';
import { IAIMagic } from '../notebook/tokens';

/** Command ids of this plugin. */
export namespace DocsCommandIDs {
  export const manage = 'aimagic:manage-docs';
  export const refresh = 'aimagic:refresh-docs';
}

export const docsPlugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyterlab-aimagic:docs',
  description: 'Context docs per notebook, sent as a cached prefix; cost of replies; running total in the status bar.',
  autoStart: true,
  requires: [INotebookTracker],
  optional: [ISettingRegistry, ICommandPalette, IStatusBar, ILabShell, ITranslator, IAIMagic],
  activate: (
    app: JupyterFrontEnd,
    tracker: INotebookTracker,
    registry: ISettingRegistry | null,
    palette: ICommandPalette | null,
    statusBar: IStatusBar | null,
    labShell: ILabShell | null,
    translator: ITranslator | null,
    service: IAIMagic | null
  ) => {
    const trans = (translator ?? nullTranslator).load('jupyterlab_aimagic');
    // Looked up when needed, so a renamed notebook's docs resolve from its new folder.
    const pathOf = (model: unknown) => tracker.find(panel => panel.content.model === model)?.context.path;
    const docs = new ContextDocs(browserDocLoader(app.serviceManager.contents, app.serviceManager.serverSettings), pathOf);
    setDocsHooks(docs);
    if (service) {
      docs.prewarmer = new DocsPrewarmer(service, app.serviceManager.serverSettings, model => docs.notify(model));
    }
    void registry?.load(SETTINGS_PLUGIN).then(settings => {
      let settingsRead = false; // the first read is the saved setting, not the user turning it on
      const read = () => {
        const { prices, problems } = readPriceSettings((settings.composite as Record<string, unknown>).modelPrices);
        problems.forEach(p => console.warn(`AI Magic settings: ${p}`));
        docs.setPrices(prices);
        if (docs.prewarmer) {
          const wasOn = docs.prewarmer.enabled;
          docs.prewarmer.enabled = (settings.composite as Record<string, unknown>).prewarmDocs === true;
          // Turning pre-warming on is acting in the current notebook: load (and warm) its docs.
          const model = tracker.currentWidget?.content.model;
          if (!wasOn && docs.prewarmer.enabled && model && settingsRead) {
            docs.allowFetch(model);
            void docs.load(model);
          }
        }
        settingsRead = true;
      };
      read();
      settings.changed.connect(read);
    }).catch(e => console.warn('AI Magic: model prices could not be read from the settings.', e));

    // The panel's code loads when the user first opens it.
    const panel = new DocsSidebar(async () => {
      const { DocsPanel } = await import('../notebook/docs-panel');
      return new DocsPanel(tracker, docs, trans, service);
    }, trans);
    // The docs' cost line follows the model chosen in the settings.
    service?.settingsChanged.connect(() => {
      const model = tracker.currentWidget?.content.model;
      if (model) {
        docs.notify(model);
      }
    });
    panel.title.icon = aiCellIcon;
    app.shell.add(panel, 'right', { rank: 700 });

    app.commands.addCommand(DocsCommandIDs.manage, {
      label: trans.__('Manage Context Docs…'),
      caption: trans.__("Show the notebook's context docs: add, enable, reorder, remove, refresh"),
      execute: () => {
        labShell?.expandRight();
        app.shell.activateById(panel.id);
      }
    });
    app.commands.addCommand(DocsCommandIDs.refresh, {
      label: trans.__('Refresh Context Docs'),
      caption: trans.__("Read the notebook's docs again, revalidating URLs"),
      isEnabled: () => !!tracker.currentWidget,
      execute: () => {
        const model = tracker.currentWidget?.content.model;
        return model ? docs.load(model, true) : undefined;
      }
    });
    for (const command of Object.values(DocsCommandIDs)) {
      palette?.addItem({ command, category: trans.__('AI Magic') });
    }

    if (statusBar) {
      const status = new UsageStatus(tracker, trans, service?.runningChanged);
      statusBar.registerStatusItem('jupyterlab-aimagic:usage', {
        item: status,
        align: 'left',
        rank: 4,
        isActive: () => !!tracker.currentWidget && tracker.currentWidget === app.shell.currentWidget
      });
    }
  }
};
