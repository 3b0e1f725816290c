/**
 * The context docs' place in the right sidebar. The panel itself (`docs-panel.ts`: the list,
 * the editor of the notebook's docs, costs) is loaded the first time the user opens it, so
 * start-up loads only this shell.
 */
import { TranslationBundle } from '@jupyterlab/translation';
import { Message } from '@lumino/messaging';
import { Panel, Widget } from '@lumino/widgets';

/** What the sidebar holds once loaded. */
export interface IDocsView extends Widget {
  /** The user opened the panel (it may read the current notebook's docs now). */
  opened(): void;
}

/** The sidebar entry; loads its view when first shown. */
export class DocsSidebar extends Panel {
  /**
   * @param load - Makes the view (imports its code on first use).
   * @param trans - Translations.
   */
  constructor(
    private readonly load: () => Promise<IDocsView>,
    private readonly trans: TranslationBundle
  ) {
    super();
    this.id = 'jp-aimagic-docs-panel';
    this.addClass('jp-aimagic-DocsSidebar');
    this.title.caption = trans.__('AI Magic: context docs of the notebook');
  }

  /** {@inheritDoc Widget.onAfterShow} */
  protected onAfterShow(msg: Message): void {
    super.onAfterShow(msg);
    if (this._loading) {
      return;
    }
    this._loading = this.load().then(
      view => {
        if (this.isDisposed) {
          view.dispose();
          return;
        }
        this.addWidget(view);
        // Added to a shown sidebar, the view gets no show message of its own.
        if (this.isVisible) {
          view.opened();
        }
      },
      (e: Error) => {
        // A chunk that cannot be loaded (server gone, extension updated): say so, try again on the next show.
        this._loading = null;
        const message = document.createElement('p');
        message.className = 'jp-aimagic-DocsPanel-empty';
        message.textContent = this.trans.__('The context docs panel could not be loaded (%1). Reload the page to try again.', e.message);
        this.node.replaceChildren(message);
      }
    );
  }

  private _loading: Promise<void> | null = null;
}
