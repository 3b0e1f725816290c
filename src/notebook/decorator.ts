/**
 * Make AI cells look like AI cells: a class for the styles, and the reply footer. One pass
 * over the cells when the list changes (at most once a frame), one listener per cell for
 * its metadata, so a 500-cell notebook costs nothing while typing.
 */
import { Cell, ICellModel } from '@jupyterlab/cells';
import { Notebook } from '@jupyterlab/notebook';
import { Provenance } from '../core/reply/provenance';
import { isAICellModel } from './executor';
import { PROVENANCE_KEY, ReplyFooter } from './footer';
import { placeUnderInput } from './placement';
import { IAIMagic } from './tokens';

/** The class of AI cells. */
export const AI_CELL_CLASS = 'jp-aimagic-AICell';

/** Keeps the AI cells of one notebook decorated. */
export class AICellDecorator {
  /**
   * @param notebook - The notebook widget.
   * @param service - The AI Magic service (for the running state).
   */
  constructor(
    private readonly notebook: Notebook,
    private readonly service: IAIMagic
  ) {
    notebook.modelChanged.connect(this._watchModel, this);
    service.runningChanged.connect(this._onRunning, this);
    this._watchModel();
    notebook.disposed.connect(() => service.runningChanged.disconnect(this._onRunning, this));
  }

  /** Decorate every cell now. */
  refresh(): void {
    this._scheduled = false;
    for (const cell of this.notebook.widgets) {
      this._decorate(cell);
    }
  }

  private _watchModel(): void {
    this.notebook.model?.cells.changed.connect(this._schedule, this);
    this._schedule();
  }

  private _schedule(): void {
    if (!this._scheduled) {
      this._scheduled = true;
      requestAnimationFrame(() => this.refresh());
    }
  }

  private _onRunning(_: IAIMagic, model: ICellModel): void {
    const cell = this.notebook.widgets.find(w => w.model === model);
    if (cell) {
      cell.toggleClass('jp-aimagic-mod-queued', this.service.isRunning(model));
    }
  }

  /** Decorate one cell and follow its metadata. */
  private _decorate(cell: Cell): void {
    const model = cell.model;
    if (!this._watched.has(model)) {
      this._watched.add(model);
      model.metadataChanged.connect(() => {
        const widget = this.notebook.widgets.find(w => w.model === model);
        if (widget) {
          this._decorate(widget);
        }
      });
    }
    const ai = isAICellModel(model);
    cell.toggleClass(AI_CELL_CLASS, ai);
    let footer = this._footers.get(cell);
    if (!ai) {
      footer?.dispose();
      this._footers.delete(cell);
      return;
    }
    if (!footer || footer.isDisposed) {
      footer = new ReplyFooter();
      void placeUnderInput(cell, footer);
      this._footers.set(cell, footer);
    }
    footer.setProvenance(model.getMetadata(PROVENANCE_KEY) as Partial<Provenance> | undefined);
  }

  private _scheduled = false;
  private _watched = new WeakSet<ICellModel>();
  private _footers = new WeakMap<Cell, ReplyFooter>();
}
