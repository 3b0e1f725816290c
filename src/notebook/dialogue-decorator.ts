/**
 * The dialogue-engineering marks of a notebook: "skipped" and "pinned" badges on any cell,
 * and on AI cells the reply bar (edited mark, insert all code) and the per-block buttons.
 * Work is batched to one pass a frame and only for cells whose model changed.
 */
import { Cell, ICellModel } from '@jupyterlab/cells';
import { Notebook } from '@jupyterlab/notebook';
import { PanelLayout } from '@lumino/widgets';
import { hasFlag } from '../core/context/aicell';
import { CodeBlock } from '../core/context/codeblocks';
import { isReplyEdited } from '../core/reply/reply-hash';
import { attachBlockButtons } from './block-buttons';
import { isAICellModel } from './executor';
import { replyBlocks } from './insert-code';
import { ReplyBar } from './reply-bar';
import { renderToolBlocks } from './tool-view';

/** What the marks do when clicked. */
export interface DialogueActions {
  /**
   * Insert blocks of an AI cell's reply as cells.
   *
   * @param cell - The AI cell's model.
   * @param blocks - The blocks, in order.
   */
  insert(cell: ICellModel, blocks: CodeBlock[]): void;
}

/** Keeps the dialogue marks of one notebook current. */
export class DialogueDecorator {
  /**
   * @param notebook - The notebook widget.
   * @param actions - What the buttons do.
   */
  constructor(
    private readonly notebook: Notebook,
    private readonly actions: DialogueActions
  ) {
    notebook.modelChanged.connect(this._watchModel, this);
    this._watchModel();
  }

  private _watchModel(): void {
    this.notebook.model?.cells.changed.connect(() => this._schedule(null), this);
    this._schedule(null);
  }

  /** Decorate one cell (or all, for `null`) on the next frame. */
  private _schedule(model: ICellModel | null): void {
    if (model === null) {
      this._all = true;
    } else {
      this._pending.add(model);
    }
    if (!this._frame) {
      this._frame = requestAnimationFrame(() => this._flush());
    }
  }

  private _flush(): void {
    this._frame = 0;
    const all = this._all;
    this._all = false;
    const pending = this._pending;
    this._pending = new Set();
    for (const cell of this.notebook.widgets) {
      if (all || pending.has(cell.model)) {
        this._decorate(cell);
      }
    }
  }

  private _decorate(cell: Cell): void {
    const model = cell.model;
    if (!this._watched.has(model)) {
      this._watched.add(model);
      model.metadataChanged.connect(() => this._schedule(model));
      model.contentChanged.connect(() => this._schedule(model));
    }
    const metadata = { skipped: model.getMetadata('skipped'), pinned: model.getMetadata('pinned') };
    Private.badges(cell, hasFlag({ metadata }, 'skipped'), hasFlag({ metadata }, 'pinned'));
    if (!isAICellModel(model)) {
      this._bars.get(cell)?.dispose();
      this._bars.delete(cell);
      return;
    }
    const blocks = replyBlocks(model);
    let bar = this._bars.get(cell);
    if (!bar || bar.isDisposed) {
      // The model, not the widget: a button of a cell deleted meanwhile must still say why.
      bar = new ReplyBar(() => this.actions.insert(model, replyBlocks(model)));
      this._bars.set(cell, bar);
      void cell.ready.then(() => !cell.isDisposed && (cell.layout as PanelLayout).addWidget(bar!));
    }
    const source = model.sharedModel.getSource();
    const meta = model.getMetadata('aimagic') as { notice?: unknown } | undefined;
    bar.setState({
      hasReply: source.includes('🤖Reply🤖'),
      edited: isReplyEdited(source, { aimagic: meta }),
      notice: typeof meta?.notice === 'string' ? meta.notice : '',
      blocks: blocks.length
    });
    this._observe(cell);
    Private.refresh(cell, blocks, block => this.actions.insert(model, [block]));
  }

  /** Re-attach the block buttons whenever the cell renders its markdown again. */
  private _observe(cell: Cell): void {
    if (this._observers.has(cell)) {
      return;
    }
    if (!cell.inputArea) {
      // A cell of a notebook just opened builds its parts later: watch it once it has.
      void cell.ready.then(() => !cell.isDisposed && cell.inputArea && this._schedule(cell.model));
      return;
    }
    const model = cell.model;
    let frame = 0;
    const observer = new MutationObserver(() => {
      if (!frame) {
        frame = requestAnimationFrame(() => {
          frame = 0;
          if (!cell.isDisposed) {
            Private.refresh(cell, replyBlocks(model), block => this.actions.insert(model, [block]));
          }
        });
      }
    });
    observer.observe(cell.inputArea.node, { childList: true, subtree: true });
    this._observers.set(cell, observer);
    cell.disposed.connect(() => observer.disconnect());
  }

  private _frame = 0;
  private _all = false;
  private _pending = new Set<ICellModel>();
  private _watched = new WeakSet<ICellModel>();
  private _bars = new WeakMap<Cell, ReplyBar>();
  private _observers = new WeakMap<Cell, MutationObserver>();
}

namespace Private {
  /** Fold the reply's tool calls and put the insert buttons under its code blocks. */
  export function refresh(cell: Cell, blocks: CodeBlock[], onInsert: (block: CodeBlock) => void): void {
    const rendered = cell.inputArea?.node.querySelector<HTMLElement>('.jp-RenderedMarkdown');
    if (rendered) {
      renderToolBlocks(rendered);
    }
    attachBlockButtons(cell, blocks, onInsert);
  }

  /**
   * Show the flags of a cell: classes for the styles and a badge per flag.
   */
  export function badges(cell: Cell, skipped: boolean, pinned: boolean): void {
    cell.toggleClass('jp-aimagic-mod-skipped', skipped);
    cell.toggleClass('jp-aimagic-mod-pinned', pinned);
    let box = cell.node.querySelector(':scope > .jp-aimagic-Badges') as HTMLElement | null;
    if (!skipped && !pinned) {
      box?.remove();
      return;
    }
    if (!box) {
      box = document.createElement('div');
      box.className = 'jp-aimagic-Badges';
      cell.node.appendChild(box);
    }
    const wanted = [skipped ? 'skipped' : '', pinned ? 'pinned' : ''].filter(b => b);
    if (box.dataset.flags === wanted.join(' ')) {
      return;
    }
    box.dataset.flags = wanted.join(' ');
    box.replaceChildren(
      ...wanted.map(flag => {
        const badge = document.createElement('span');
        badge.className = `jp-aimagic-Badge jp-aimagic-Badge-${flag}`;
        badge.textContent = flag === 'skipped' ? 'skipped' : '📌 pinned';
        badge.title =
          flag === 'skipped' ? 'Left out of the context of AI prompts' : 'Always in the context of AI prompts, whatever the budget';
        return badge;
      })
    );
  }
}
