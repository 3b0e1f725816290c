/**
 * The line under a reply: model, tokens, time; and, when the last run failed, its message.
 */
import { Clipboard } from '@jupyterlab/apputils';
import { Widget } from '@lumino/widgets';
import { Provenance, footerText } from '../core/reply/provenance';
import { PROVIDERS } from '../core/providers/registry';

/** Metadata key of a reply's provenance. */
export const PROVENANCE_KEY = 'aimagic';

/** The footer of an AI cell. */
export class ReplyFooter extends Widget {
  constructor() {
    super();
    this.addClass('jp-aimagic-Footer');
    this._info = document.createElement('div');
    this._info.className = 'jp-aimagic-Footer-info';
    this._error = document.createElement('div');
    this._error.className = 'jp-aimagic-Footer-error';
    this._error.setAttribute('role', 'alert');
    this._hint = document.createElement('div');
    this._hint.className = 'jp-aimagic-Footer-hint';
    this._partial = document.createElement('details');
    this._partial.className = 'jp-aimagic-Footer-partial';
    this.node.append(this._info, this._error, this._partial, this._hint);
  }

  /**
   * Show a provenance (or nothing).
   *
   * @param p - The `aimagic` metadata of the cell, if any.
   */
  setProvenance(p: Partial<Provenance> | undefined): void {
    const valid = !!p && typeof p.model === 'string' && !!p.usage && typeof p.usage === 'object';
    this._info.textContent = valid ? footerText(p as Provenance) : '';
    const message = p?.error?.message ?? '';
    this._error.textContent = message;
    this._error.hidden = !message;
    this.node.classList.toggle('jp-aimagic-mod-error', !!message);
    Private.showPartial(this._partial, p?.error as { partial?: unknown } | undefined);
    // A reply from the small local model says how to switch to a bigger one.
    const hint = valid && typeof p?.provider === 'string' && Object.hasOwn(PROVIDERS, p.provider) ? PROVIDERS[p.provider].footerHint ?? '' : '';
    this._hint.textContent = hint;
    this._hint.hidden = !hint;
    this.setHidden(!this._info.textContent && !message);
  }

  private _info: HTMLElement;
  private _error: HTMLElement;
  private _partial: HTMLDetailsElement;
  private _hint: HTMLElement;
}

namespace Private {
  /**
   * The partial reply of a failed re-run (the earlier reply stays in the cell): folded, as
   * plain text, with a button that copies it.
   */
  export function showPartial(node: HTMLDetailsElement, error: { partial?: unknown } | undefined): void {
    const text = typeof error?.partial === 'string' ? error.partial : '';
    node.hidden = !text;
    if (node.dataset.text === text) {
      return;
    }
    node.dataset.text = text;
    node.textContent = '';
    if (!text) {
      return;
    }
    const summary = document.createElement('summary');
    summary.textContent = 'Partial reply of the failed run';
    const copy = document.createElement('button');
    copy.className = 'jp-Button jp-mod-styled jp-mod-minimal jp-aimagic-Footer-copyPartial';
    copy.textContent = 'Copy';
    copy.onclick = () => Clipboard.copyToSystem(text);
    const pre = document.createElement('pre');
    pre.textContent = text;
    node.append(summary, copy, pre);
  }
}
