/**
 * The notebook cell executor: AI cells (and `%%ai` code cells) take the AI path, every
 * other cell goes to JupyterLab's own `runCell` unchanged.
 */
import { Cell, ICellModel, MarkdownCell } from '@jupyterlab/cells';
import { INotebookCellExecutor, INotebookModel, Notebook, runCell as defaultRunCell } from '@jupyterlab/notebook';
import { AI_FLAG, isAICell, magicPrompt, splitAICell } from '../core/context/aicell';
import { recordError } from './runner';
import { AIMagicService } from './service';
import { cellIndex } from './snapshot';

/**
 * Whether a cell model is an AI cell.
 *
 * @param model - Any cell model.
 */
export function isAICellModel(model: ICellModel): boolean {
  return isAICell({ cell_type: model.type, metadata: { [AI_FLAG]: model.getMetadata(AI_FLAG) } });
}

/** Cells scheduled in one synchronous burst (Run All, run selected). */
interface Batch {
  size: number;
}

/** Per-notebook scheduling state. */
interface NotebookState {
  /** Settles when every run scheduled so far has ended. */
  tail: Promise<unknown>;
  batch: Batch | null;
}

/** Runs AI cells in order after the cells above them. */
export class AICellExecutor implements INotebookCellExecutor {
  /**
   * @param service - The AI Magic service.
   */
  constructor(private readonly service: AIMagicService) {}

  /** {@inheritDoc INotebookCellExecutor.runCell} */
  runCell(options: INotebookCellExecutor.IRunCellOptions): Promise<boolean> {
    const state = this._stateOf(options.notebook);
    // Run All calls runCell for every cell in one synchronous loop; counting the calls made
    // before the next microtask tells a batch from a single run.
    let batch = state.batch;
    if (!batch) {
      batch = state.batch = { size: 0 };
      queueMicrotask(() => (state.batch = null));
    }
    batch.size++;
    let cell = options.cell;
    if (cell.model.type === 'code' && magicPrompt(cell.model.sharedModel.getSource()) !== null) {
      const converted = Private.convertMagicCell(cell, options.notebook);
      if (!converted) {
        return Promise.resolve(false);
      }
      cell = converted;
    }
    if (!isAICellModel(cell.model)) {
      const run = defaultRunCell(options);
      state.tail = Promise.allSettled([state.tail, run]);
      return run;
    }
    const aiCell = cell;
    const prior = state.tail;
    const thisBatch = batch;
    const run = this.service.schedule(aiCell, options.notebook, async signal => {
      await prior;
      if (signal.aborted) {
        // Stopped while waiting for the cells above: say so, touch nothing else.
        recordError(aiCell.model, 'stopped', 'Stopped before the prompt was sent.');
        return false;
      }
      const answered = splitAICell(aiCell.model.sharedModel.getSource()).reply !== null;
      if (thisBatch.size > 1 && answered && !this.service.rerunAnsweredOnRunAll) {
        (aiCell as MarkdownCell).rendered = true;
        return true;
      }
      options.onCellExecutionScheduled({ cell: aiCell });
      const ok = await this.service.run(aiCell, options.notebook, signal, options.sessionContext);
      options.onCellExecuted({ cell: aiCell, success: ok });
      return ok;
    });
    state.tail = Promise.allSettled([prior, run]);
    return run;
  }

  /** The scheduling state of a notebook. */
  private _stateOf(notebook: INotebookModel): NotebookState {
    let state = this._states.get(notebook);
    if (!state) {
      state = { tail: Promise.resolve(), batch: null };
      this._states.set(notebook, state);
    }
    return state;
  }

  private _states = new WeakMap<INotebookModel, NotebookState>();
}

namespace Private {
  /**
   * Turn a `%%ai` code cell into an AI cell in place, as one undo step.
   *
   * @returns The new cell's widget, when it can be found.
   */
  export function convertMagicCell(cell: Cell, notebook: INotebookModel): Cell | null {
    const index = cellIndex(notebook, cell.model as ICellModel);
    const prompt = magicPrompt(cell.model.sharedModel.getSource());
    const owner = cell.parent;
    if (index < 0 || prompt === null) {
      return null;
    }
    const shared = notebook.sharedModel;
    const metadata: Record<string, unknown> = { ...(cell.model.metadata as Record<string, unknown>), [AI_FLAG]: true };
    delete metadata.execution;
    delete metadata.collapsed;
    delete metadata.scrolled;
    shared.transact(() => {
      shared.deleteCell(index);
      shared.insertCell(index, { cell_type: 'markdown', source: prompt, metadata: metadata as never });
    });
    if (owner instanceof Notebook) {
      const widget = owner.widgets[index];
      if (widget) {
        owner.activeCellIndex = index;
        return widget;
      }
    }
    return null;
  }
}
