/**
 * The commands of AI Magic, for the palette, the toolbar and the keyboard.
 */
import { InputDialog, Notification } from '@jupyterlab/apputils';
import { MarkdownCell } from '@jupyterlab/cells';
import { INotebookTracker } from '@jupyterlab/notebook';
import { TranslationBundle } from '@jupyterlab/translation';
import { LabIcon, stopIcon } from '@jupyterlab/ui-components';
import { CommandRegistry } from '@lumino/commands';
import { AI_FLAG } from '../core/context/aicell';
import { isAICellModel } from './executor';
import { IAIMagic } from './tokens';

/** Command ids. */
export namespace CommandIDs {
  export const insertBelow = 'aimagic:insert-ai-cell-below';
  export const toggle = 'aimagic:toggle-ai-cell';
  export const stop = 'aimagic:stop';
  export const chooseModel = 'aimagic:choose-model';
}

/** The AI cell icon: a speech bubble with a spark. */
export const aiCellIcon = new LabIcon({
  name: 'aimagic:ai-cell',
  svgstr:
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" width="16"><path class="jp-icon3" fill="#616161" d="M4 3h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2zm8 2.5-1.2 2.8L8 9.5l2.8 1.2L12 13.5l1.2-2.8L16 9.5l-2.8-1.2z"/></svg>'
});

/**
 * Add the commands.
 *
 * @param commands - The application's command registry.
 * @param tracker - The notebook tracker.
 * @param service - The AI Magic service.
 * @param trans - Translations.
 */
export function addCommands(commands: CommandRegistry, tracker: INotebookTracker, service: IAIMagic, trans: TranslationBundle): void {
  const current = () => tracker.currentWidget;
  const enabled = () => !!current() && current() === tracker.currentWidget;

  commands.addCommand(CommandIDs.insertBelow, {
    label: trans.__('Insert AI Cell Below'),
    caption: trans.__('Insert a prompt cell below: it sends every cell above it to the model'),
    icon: aiCellIcon,
    isEnabled: enabled,
    execute: () => {
      const panel = current();
      const model = panel?.content.model;
      if (!panel || !model) {
        return;
      }
      const notebook = panel.content;
      const index = notebook.activeCellIndex + 1;
      model.sharedModel.insertCell(index, { cell_type: 'markdown', source: '', metadata: { [AI_FLAG]: true } });
      notebook.activeCellIndex = index;
      notebook.deselectAll();
      const cell = notebook.activeCell;
      if (cell instanceof MarkdownCell) {
        cell.rendered = false;
      }
      notebook.mode = 'edit';
    }
  });

  commands.addCommand(CommandIDs.toggle, {
    label: trans.__('Toggle AI Cell'),
    caption: trans.__('Make the active markdown cell a prompt, or a prompt a plain note'),
    isEnabled: () => current()?.content.activeCell?.model.type === 'markdown',
    execute: () => {
      const cell = current()?.content.activeCell;
      if (!cell || cell.model.type !== 'markdown') {
        return;
      }
      if (isAICellModel(cell.model)) {
        cell.model.deleteMetadata(AI_FLAG);
      } else {
        cell.model.setMetadata(AI_FLAG, true);
      }
    }
  });

  commands.addCommand(CommandIDs.stop, {
    label: trans.__('Stop AI Reply'),
    caption: trans.__('Stop the reply being written; the part received is kept'),
    icon: stopIcon,
    execute: () => {
      const cell = current()?.content.activeCell;
      if (cell && service.stop(cell.model)) {
        return;
      }
      const panel = current();
      let stopped = 0;
      for (const widget of panel?.content.widgets ?? []) {
        stopped += service.stop(widget.model) ? 1 : 0;
      }
      if (!stopped) {
        Notification.info(trans.__('No AI reply is running in this notebook.'), { autoClose: 3000 });
      }
    }
  });

  commands.addCommand(CommandIDs.chooseModel, {
    label: trans.__('Choose AI Model…'),
    caption: trans.__('Pick the model from the ones the provider lists'),
    execute: async () => {
      let models: string[];
      try {
        models = await service.listModels();
      } catch (e) {
        Notification.error(trans.__('Could not list the models: %1', (e as Error).message));
        return;
      }
      const currentModel = service.settings.model;
      const items = models.includes(currentModel) ? models : [currentModel, ...models];
      const result = await InputDialog.getItem({
        title: trans.__('AI model'),
        items,
        current: Math.max(0, items.indexOf(currentModel))
      });
      if (result.button.accept && result.value) {
        await service.setSetting('model', result.value);
      }
    }
  });
}
