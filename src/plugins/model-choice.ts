/**
 * Provider and model per AI cell (cell toolbar) and per notebook.
 */
import { JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { INotebookTracker } from '@jupyterlab/notebook';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';
import { ModelChoiceCommandIDs, addModelChoiceCommands } from '../notebook/model-choice';
import { IAIMagic } from '../notebook/tokens';

export const modelChoicePlugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyterlab-aimagic:model-choice',
  description: 'Choose the provider and model of one AI cell or one notebook.',
  autoStart: true,
  requires: [INotebookTracker, IAIMagic],
  optional: [ICommandPalette, ITranslator],
  activate: (app: JupyterFrontEnd, tracker: INotebookTracker, service: IAIMagic, palette: ICommandPalette | null, translator: ITranslator | null) => {
    const trans = (translator ?? nullTranslator).load('jupyterlab_aimagic');
    addModelChoiceCommands(app.commands, tracker, service, trans);
    for (const command of Object.values(ModelChoiceCommandIDs)) {
      palette?.addItem({ command, category: trans.__('AI Magic') });
    }
  }
};
