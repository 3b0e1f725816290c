/**
 * Every way of running a cell reaches the AI path: this replaces the notebook cell executor.
 */
import { JupyterFrontEndPlugin } from '@jupyterlab/application';
import { INotebookCellExecutor } from '@jupyterlab/notebook';
import { AICellExecutor } from '../notebook/executor';
import { AIMagicService } from '../notebook/service';
import { IAIMagic } from '../notebook/tokens';

export const executorPlugin: JupyterFrontEndPlugin<INotebookCellExecutor> = {
  id: 'jupyterlab-aimagic:executor',
  description: 'Runs AI cells; hands every other cell to JupyterLab’s own executor.',
  autoStart: true,
  provides: INotebookCellExecutor,
  requires: [IAIMagic],
  activate: (_app, service: IAIMagic) => new AICellExecutor(service as AIMagicService)
};
