/**
 * The reply while it streams, rendered as untrusted (sanitised) markdown under the prompt by
 * JupyterLab's own markdown renderer, in time proportional to the reply's length.
 *
 * The reply is cut into finished blocks (`blockBoundaries`): each finished block is rendered
 * once and kept, and only the unfinished rest is rendered again as text arrives, at most once
 * a frame and paced by what the last render cost, so a long reply never fills a frame. The
 * view grows in steps, so the notebook around it is re-measured a few times per reply, not
 * on every piece; it follows the reply's end only when the user is looking at that end.
 */
import { IRenderMimeRegistry, MimeModel } from '@jupyterlab/rendermime';
import { Panel, Widget } from '@lumino/widgets';
import { blockBoundaries, neverSplits } from '../core/reply/block-boundaries';
import { nextFrame } from './frames';

/** A rendered piece of the reply and the offset where it ends. */
interface Piece {
  end: number;
  widget: Widget & { renderModel(model: MimeModel): Promise<void> };
}

/** The live view of a streaming reply. */
export class StreamingReply extends Panel {
  /**
   * @param rendermime - The application's rendermime registry.
   * @param label - Text shown until the first words arrive.
   * @param onBlocks - Called after finished blocks were rendered, with the node holding them.
   */
  constructor(
    private readonly rendermime: IRenderMimeRegistry,
    label: string,
    private readonly onBlocks?: (body: HTMLElement, finishedText: string) => void
  ) {
    super();
    this.addClass('jp-aimagic-Streaming');
    this._status = document.createElement('div');
    this._status.className = 'jp-aimagic-Streaming-status';
    this._status.textContent = label;
    this.addWidget(new Widget({ node: this._status }));
    this._body = new Panel();
    this._body.addClass('jp-aimagic-Streaming-body');
    this._body.addClass('jp-RenderedHTMLCommon');
    this._body.addClass('jp-RenderedMarkdown');
    this.addWidget(this._body);
    this._tail = this._makePiece(0);
    this._body.addWidget(this._tail.widget);
    this._sizer = new ResizeObserver(() => this._onResize());
    this._sizer.observe(this._body.node);
  }

  /** The node the reply is rendered into (for tests and the block buttons). */
  get body(): HTMLElement {
    return this._body.node;
  }

  /**
   * Show the reply so far. Cheap to call on every chunk.
   *
   * @param text - The whole reply so far.
   */
  setText(text: string): void {
    this._text = text;
    if (!this._busy) {
      this._busy = this._render().finally(() => (this._busy = null));
    }
  }

  /**
   * Set the status line (waiting, streaming, stopping).
   *
   * @param text - Status text.
   */
  setStatus(text: string): void {
    this._status.textContent = text;
  }

  /** Settles when the view shows the latest text. */
  async settled(): Promise<void> {
    while (this._busy) {
      await this._busy;
    }
  }

  /** {@inheritDoc Widget.dispose} */
  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this._sizer.disconnect();
    super.dispose();
  }

  /** Render until the shown text is the latest one. */
  private async _render(): Promise<void> {
    while (this._shown !== this._text && !this.isDisposed) {
      await nextFrame();
      // Pace by cost: after a render of t ms, leave the page at least PACE × t ms.
      const wait = this._lastCost * Private.PACE - (performance.now() - this._lastEnd);
      if (wait > 0) {
        await new Promise(resolve => setTimeout(resolve, wait));
        await nextFrame();
      }
      if (this.isDisposed) {
        return;
      }
      const started = performance.now();
      await this._show(this._text);
      this._lastEnd = performance.now();
      this._lastCost = this._lastEnd - started;
      performance.measure('aimagic:stream-render', { start: started, end: this._lastEnd });
    }
  }

  /** Render one text: new finished blocks once, then the unfinished rest. */
  private async _show(text: string): Promise<void> {
    if (!text.startsWith(this._shown) || neverSplits(text)) {
      // Not a continuation (never expected while streaming), or a text that must render
      // whole (a link reference definition came): start over.
      this._dropFinished(0);
    }
    // Finished blocks stay finished as the text grows: look only after the last one.
    let start = this._finished.length ? this._finished[this._finished.length - 1].end : 0;
    const cuts = blockBoundaries(text, start);
    const renders: Promise<void>[] = [];
    for (const end of cuts) {
      const piece = this._makePiece(end);
      this._body.insertWidget(this._finished.length, piece.widget);
      this._finished.push(piece);
      renders.push(Private.render(piece, text.slice(start, end)));
      start = end;
    }
    const rest = text.slice(start);
    if (rest !== this._tailText) {
      this._tailText = rest;
      renders.push(Private.render(this._tail, rest));
    }
    await Promise.all(renders);
    this._shown = text;
    if (this._announced !== start) {
      this._announced = start;
      this.onBlocks?.(this._body.node, text.slice(0, start));
    }
  }

  /** Remove finished pieces from an index on (their text is then part of the rest). */
  private _dropFinished(from: number): void {
    for (const piece of this._finished.splice(from)) {
      piece.widget.dispose();
    }
    this._tailText = null;
  }

  /** A renderer for a piece of the reply. */
  private _makePiece(end: number): Piece {
    const widget = this.rendermime.createRenderer('text/markdown') as Piece['widget'];
    widget.addClass('jp-aimagic-Streaming-piece');
    return { end, widget };
  }

  /**
   * The rendered reply changed size: grow the view in steps (each step re-measures the
   * notebook), and keep the reply's end in sight if the user was looking at it.
   */
  private _onResize(): void {
    const height = this._body.node.offsetHeight;
    const before = this._contentHeight;
    this._contentHeight = height;
    if (height > this._reserved) {
      // The reserve sits on the outer node; the body's own height stays the reply's.
      this._reserved = height + Math.min(Private.MAX_STEP_PX, Math.max(Private.STEP_PX, height * 0.25));
      this.node.style.minHeight = `${Math.ceil(this._reserved)}px`;
    }
    const scroller = this.node.closest('.jp-WindowedPanel-outer') as HTMLElement | null;
    if (!scroller || height <= before) {
      return;
    }
    const view = this._body.node.getBoundingClientRect();
    const port = scroller.getBoundingClientRect();
    const oldEnd = view.top + before;
    // The user was at the end of the reply when its old end was on screen near the bottom.
    if (oldEnd > port.top && oldEnd <= port.bottom + 2 && view.top + height > port.bottom) {
      scroller.scrollTop += view.top + height - port.bottom;
    }
  }

  private _status: HTMLElement;
  private _body: Panel;
  private _tail: Piece;
  private _tailText: string | null = null;
  private _finished: Piece[] = [];
  private _sizer: ResizeObserver;
  private _text = '';
  private _shown = '';
  private _busy: Promise<void> | null = null;
  private _lastCost = 0;
  private _lastEnd = 0;
  private _announced = 0;
  private _contentHeight = 0;
  private _reserved = 0;
}

namespace Private {
  /** After a render of t ms, wait PACE × t ms before the next (the page keeps ≥ 4/5). */
  export const PACE = 4;

  /** The least the view grows by when the reply outgrows it. */
  export const STEP_PX = 160;

  /** The most it grows by at once (the blank space under the reply stays small). */
  export const MAX_STEP_PX = 480;

  /** Render markdown into a piece, untrusted: JupyterLab sanitises it. */
  export function render(piece: Piece, text: string): Promise<void> {
    return piece.widget.renderModel(new MimeModel({ data: { 'text/markdown': text }, trusted: false }));
  }
}
