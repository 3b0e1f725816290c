/**
 * The reply while it streams: rendered as untrusted (sanitised) markdown under the prompt,
 * at most one render in flight, so a fast stream never queues work and the page stays smooth.
 */
import { IRenderMimeRegistry, MimeModel } from '@jupyterlab/rendermime';
import { Widget } from '@lumino/widgets';

/** The live view of a streaming reply. */
export class StreamingReply extends Widget {
  /**
   * @param rendermime - The application's rendermime registry.
   * @param label - Text shown until the first words arrive.
   */
  constructor(rendermime: IRenderMimeRegistry, label: string) {
    super();
    this.addClass('jp-aimagic-Streaming');
    this._status = document.createElement('div');
    this._status.className = 'jp-aimagic-Streaming-status';
    this._status.textContent = label;
    this.node.appendChild(this._status);
    this._renderer = rendermime.createRenderer('text/markdown');
    this._renderer.addClass('jp-aimagic-Streaming-body');
    this.node.appendChild(this._renderer.node);
  }

  /**
   * Show the reply so far. Cheap to call on every chunk.
   *
   * @param text - The whole reply so far.
   */
  setText(text: string): void {
    this._text = text;
    if (!this._busy) {
      void this._render();
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

  /** Render until the shown text is the latest one. */
  private async _render(): Promise<void> {
    this._busy = true;
    try {
      while (this._shown !== this._text && !this.isDisposed) {
        const text = this._text;
        await new Promise(resolve => requestAnimationFrame(resolve));
        await this._renderer.renderModel(new MimeModel({ data: { 'text/markdown': text }, trusted: false }));
        this._shown = text;
      }
    } finally {
      this._busy = false;
    }
  }

  private _status: HTMLElement;
  private _renderer: ReturnType<IRenderMimeRegistry['createRenderer']>;
  private _text = '';
  private _shown = '';
  private _busy = false;
}
