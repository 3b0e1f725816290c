/**
 * The bar under a reply, beside its footer: "edited" when the reply differs from what the
 * model wrote, a notice about the last run when there is one, and "Insert all code".
 */
import { Widget } from '@lumino/widgets';

/** What the bar shows. */
export interface ReplyBarState {
  /** Whether the cell has a reply at all. */
  hasReply: boolean;
  /** Whether the reply was edited after it was written. */
  edited: boolean;
  /** A notice from the last run, or ''. */
  notice: string;
  /** Number of code blocks in the reply. */
  blocks: number;
}

/** The reply bar of an AI cell. */
export class ReplyBar extends Widget {
  /**
   * @param onInsertAll - Called when "Insert all code" is clicked.
   */
  constructor(onInsertAll: () => void) {
    super();
    this.addClass('jp-aimagic-ReplyBar');
    this._edited = document.createElement('span');
    this._edited.className = 'jp-aimagic-EditedMark';
    this._edited.textContent = '✎ edited';
    this._edited.title = 'You edited this reply; the next prompts send it as you wrote it.';
    this._notice = document.createElement('span');
    this._notice.className = 'jp-aimagic-ReplyNotice';
    this._insertAll = document.createElement('button');
    this._insertAll.type = 'button';
    this._insertAll.className = 'jp-Button jp-mod-minimal jp-aimagic-InsertAll';
    this._insertAll.addEventListener('click', event => {
      event.stopPropagation();
      onInsertAll();
    });
    this.node.append(this._edited, this._notice, this._insertAll);
  }

  /**
   * Show a state.
   *
   * @param state - What to show.
   */
  setState(state: ReplyBarState): void {
    this._edited.hidden = !state.hasReply || !state.edited;
    this._notice.textContent = state.notice;
    this._notice.hidden = !state.notice;
    this._insertAll.hidden = !state.hasReply || state.blocks === 0;
    this._insertAll.textContent = state.blocks > 1 ? `Insert all code (${state.blocks} blocks)` : 'Insert code as cell';
    this._insertAll.title = 'Insert the code blocks of this reply as cells below it (not run)';
    this.setHidden(this._edited.hidden && this._notice.hidden && this._insertAll.hidden);
  }

  private _edited: HTMLElement;
  private _notice: HTMLElement;
  private _insertAll: HTMLButtonElement;
}
