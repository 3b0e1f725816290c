/**
 * AI Magic's commands in the palette; shortcuts and toolbar buttons come from the schema.
 */
import { JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { INotebookTracker } from '@jupyterlab/notebook';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';
import { CommandIDs, addCommands } from '../notebook/commands';
import { IAIMagic } from '../notebook/tokens';

export const commandsPlugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyterlab-aimagic:commands',
  description: 'Commands to insert AI cells, stop replies and choose the model.',
  autoStart: true,
  requires: [INotebookTracker, IAIMagic],
  optional: [ICommandPalette, ITranslator],
  activate: (app: JupyterFrontEnd, tracker: INotebookTracker, service: IAIMagic, palette: ICommandPalette | null, translator: ITranslator | null) => {
    const trans = (translator ?? nullTranslator).load('jupyterlab_aimagic');
    addCommands(app.commands, tracker, service, trans);
    const category = trans.__('AI Magic');
    for (const command of Object.values(CommandIDs)) {
      palette?.addItem({ command, category });
    }
  }
};
