/**
 * AI cells look distinct and carry their reply footer.
 */
import { JupyterFrontEndPlugin } from '@jupyterlab/application';
import { INotebookTracker } from '@jupyterlab/notebook';
import { AICellDecorator } from '../notebook/decorator';
import { IAIMagic } from '../notebook/tokens';

export const cellsPlugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyterlab-aimagic:cells',
  description: 'Styles AI cells and shows the footer under each reply.',
  autoStart: true,
  requires: [INotebookTracker, IAIMagic],
  activate: (_app, tracker: INotebookTracker, service: IAIMagic) => {
    tracker.widgetAdded.connect((_, panel) => new AICellDecorator(panel.content, service));
  }
};
