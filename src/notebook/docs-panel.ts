/**
 * The "Context Docs" side panel: the current notebook's docs with title, source, size in
 * tokens and status (loaded, stale, failed with its reason, disabled); add a workspace file
 * or a URL, enable or disable, reorder, remove, refresh. Every change is an ordinary edit of
 * the notebook's metadata (`aimagic.docs`), saved with the notebook.
 */
import { INotebookModel, INotebookTracker, NotebookPanel } from '@jupyterlab/notebook';
import { TranslationBundle } from '@jupyterlab/translation';
import { Message } from '@lumino/messaging';
import { Widget } from '@lumino/widgets';
import { DocStatus } from '../core/docs/docs';
import { formatCount as n } from '../core/format';
import { formatCost } from '../core/reply/pricing';
import { readNotebookOverrides } from '../core/settings';
import { DocsEdit, docsEditState, editDocs, resetDocs } from '../core/docs/docs-edit';
import { isLlmsTxtSource } from '../core/docs/llms-txt';
import { ContextDocs } from './context-docs';
import { el } from './dom';
import { IAIMagic } from './tokens';


/** The side panel. */
export class DocsPanel extends Widget {
  /**
   * @param tracker - The notebook tracker (the panel follows the current notebook).
   * @param docs - The context docs service.
   * @param trans - Translations.
   * @param service - The AI Magic service (the model the docs are priced for), if any.
   */
  constructor(
    private readonly tracker: INotebookTracker,
    private readonly docs: ContextDocs,
    private readonly trans: TranslationBundle,
    private readonly service: IAIMagic | null = null
  ) {
    super();
    this.addClass('jp-aimagic-DocsPanel');
    tracker.currentChanged.connect(this._follow, this);
    docs.changed.connect((_, model) => model === this._model && this._render(), this);
    this._follow();
  }

  /** Reload the current notebook's docs (revalidating URLs) and show them. */
  async refresh(): Promise<void> {
    if (this._model) {
      await this.docs.load(this._model, true);
    }
  }

  /**
   * Opening the panel is the user acting in the current notebook: its docs are loaded, URLs
   * included. A notebook that becomes current while the panel is open shows its files, and
   * its URLs as not fetched until the user asks (opening a notebook fetches nothing).
   */
  protected onAfterShow(msg: Message): void {
    super.onAfterShow(msg);
    this.opened();
  }

  /** The user opened the panel: load the current notebook's docs, URLs included. */
  opened(): void {
    const model = this._model;
    if (!model) {
      return;
    }
    this.docs.allowFetch(model);
    const state = this.docs.state(model);
    if (this._stale || !state || state.statuses.some(s => s.state === 'unfetched')) {
      this._stale = false;
      void this.docs.load(model);
    }
  }

  /** Follow the current notebook. */
  private _follow(): void {
    const panel: NotebookPanel | null = this.tracker.currentWidget;
    const model = panel?.content.model ?? null;
    if (model === this._model) {
      return;
    }
    this._model?.metadataChanged.disconnect(this._onMetadata, this);
    this._model = model;
    this._panel = panel;
    model?.metadataChanged.connect(this._onMetadata, this);
    this._lastMeta = JSON.stringify((model?.metadata as Record<string, unknown> | undefined)?.aimagic ?? null);
    this._render();
    this._stale = true;
    this._loadIfShown();
  }

  /** The docs metadata changed (by this panel, by undo, by another tool): reload. */
  private _onMetadata(): void {
    const key = JSON.stringify((this._model?.metadata as Record<string, unknown> | undefined)?.aimagic ?? null);
    if (key !== this._lastMeta && this._model) {
      this._lastMeta = key;
      this._stale = true;
      this._loadIfShown();
    }
  }

  /** Load the docs now if the panel is visible, else when it is shown: a hidden panel reads nothing. */
  private _loadIfShown(): void {
    if (this._model && this.isVisible) {
      this._stale = false;
      void this.docs.load(this._model);
    }
  }

  /** Apply an edit to the notebook's metadata (the user's act: URLs may be fetched). */
  private _edit(edit: DocsEdit): void {
    const model = this._model;
    if (!model) {
      return;
    }
    this.docs.allowFetch(model);
    model.setMetadata('aimagic', editDocs(model.metadata as Record<string, unknown>, edit));
  }

  /** Rebuild the panel's content. */
  private _render(): void {
    const t = this.trans;
    const node = this.node;
    node.textContent = '';
    const model = this._model;
    const head = el('div', 'jp-aimagic-DocsPanel-header');
    head.append(el('h3', '', t.__('Context docs')));
    node.append(head);
    if (!model || !this._panel) {
      node.append(el('p', 'jp-aimagic-DocsPanel-empty', t.__('Open a notebook to see its context docs.')));
      return;
    }
    head.append(el('div', 'jp-aimagic-DocsPanel-notebook', this._panel.context.path));
    const metadata = model.metadata as Record<string, unknown>;
    const editState = docsEditState(metadata);
    const state = this.docs.state(model);
    if (editState.problems.length) {
      const box = el('div', 'jp-aimagic-DocsPanel-problems');
      box.setAttribute('role', 'alert');
      box.append(el('div', '', t.__('The notebook\'s "aimagic" metadata has problems (written by hand or by another tool):')));
      const list = el('ul');
      editState.problems.forEach(p => list.append(el('li', '', p)));
      box.append(list);
      if (!editState.editable) {
        box.append(el('div', '', t.__('It is left as it is. Fix it in the notebook metadata, or replace the docs list with an empty one:')));
        box.append(button(t.__('Replace with an empty docs list'), 'jp-aimagic-DocsPanel-reset', () => model.setMetadata('aimagic', resetDocs(metadata))));
      }
      node.append(box);
    }
    const byIndex = new Map<number, DocStatus>((state?.statuses ?? []).map(s => [s.index, s]));
    const table = el('div', 'jp-aimagic-DocsPanel-list');
    let total = 0;
    editState.entries.forEach((entry, k) => {
      const status = byIndex.get(k);
      const row = el('div', 'jp-aimagic-DocsPanel-row');
      row.dataset.source = entry.ref.source;
      const enabled = entry.ref.enabled !== false;
      const check = document.createElement('input');
      check.type = 'checkbox';
      check.checked = enabled;
      check.title = t.__('Send this doc with every prompt');
      check.className = 'jp-aimagic-DocsPanel-enabled';
      check.disabled = !editState.editable;
      check.onchange = () => this._edit({ op: 'set', raw: entry.raw, key: 'enabled', value: check.checked });
      const info = el('div', 'jp-aimagic-DocsPanel-info');
      info.append(el('div', 'jp-aimagic-DocsPanel-title', status?.title ?? entry.ref.title ?? entry.ref.source));
      info.append(el('div', 'jp-aimagic-DocsPanel-source', entry.ref.source));
      const stateName = !enabled ? 'disabled' : !status || state?.loading ? 'loading' : status.state;
      const statusText =
        stateName === 'loaded' || stateName === 'stale'
          ? `${stateName} · ${n(status?.tokens ?? 0)} tokens`
          : stateName === 'unfetched'
            ? t.__('not fetched')
            : stateName;
      const badge = el('div', `jp-aimagic-DocsPanel-status jp-aimagic-mod-${stateName}`, statusText);
      info.append(badge);
      if (status?.reason && enabled) {
        info.append(el('div', 'jp-aimagic-DocsPanel-reason', status.reason));
      }
      if (enabled && status && status.state !== 'failed') {
        total += status.tokens;
      }
      if (isLlmsTxtSource(entry.ref.source)) {
        info.append(this._flag(entry.raw, 'expand', !!entry.ref.expand, t.__('Expand: fetch the linked pages'), editState.editable));
        if (entry.ref.expand) {
          info.append(this._flag(entry.raw, 'optional', !!entry.ref.optional, t.__('Include the "Optional" section'), editState.editable));
        }
      }
      const actions = el('div', 'jp-aimagic-DocsPanel-actions');
      const ed = editState.editable;
      actions.append(
        button('↑', 'jp-aimagic-DocsPanel-up', () => this._edit({ op: 'move', raw: entry.raw, by: -1 }), t.__('Move up'), !ed || k === 0),
        button('↓', 'jp-aimagic-DocsPanel-down', () => this._edit({ op: 'move', raw: entry.raw, by: 1 }), t.__('Move down'), !ed || k === editState.entries.length - 1),
        button('⟳', 'jp-aimagic-DocsPanel-refreshOne', () => void this.docs.refreshDoc(model, k), t.__('Read this doc again'), !enabled),
        button('✕', 'jp-aimagic-DocsPanel-remove', () => this._edit({ op: 'remove', raw: entry.raw }), t.__('Remove'), !ed)
      );
      row.append(check, info, actions);
      table.append(row);
    });
    if (!editState.entries.length) {
      table.append(el('p', 'jp-aimagic-DocsPanel-empty', t.__('No docs yet. Docs are sent before the dialogue with every prompt and cached, so they are paid for once.')));
    }
    node.append(table);
    node.append(el('div', 'jp-aimagic-DocsPanel-total', t.__('Enabled docs: about %1 tokens', n(total))));
    const costs = this._costs(metadata, total);
    if (costs) {
      node.append(el('div', 'jp-aimagic-DocsPanel-costs', costs));
    }
    const warm = this.docs.prewarmer?.note(model);
    if (warm) {
      node.append(el('div', 'jp-aimagic-DocsPanel-prewarm', warm));
    }
    node.append(this._addForm(editState.editable));
    node.append(button(t.__('Refresh all'), 'jp-aimagic-DocsPanel-refresh', () => void this.refresh(), t.__('Read every doc again, revalidating URLs'), !editState.entries.length));
  }

  /**
   * What the docs cost with the current model: written once, then read from the cache on
   * every prompt, against sending them uncached.
   */
  private _costs(metadata: Record<string, unknown>, tokens: number): string {
    const settings = this.service?.settings;
    const modelId = readNotebookOverrides(metadata).overrides.model ?? settings?.model;
    const price = modelId ? this.docs.price(modelId) : undefined;
    if (!price || !tokens || !settings) {
      return '';
    }
    const write = settings.docsCacheTTL === '1h' ? price.cacheWrite1h : price.cacheWrite5m;
    const usd = (rate: number) => formatCost((tokens * rate) / 1_000_000);
    return this.trans.__(
      'With %1: %2 to write them to the cache once, then %3 a prompt read from the cache (%4 uncached).',
      modelId, usd(write), usd(price.cacheRead), usd(price.input)
    );
  }

  /** A checkbox for an llms.txt option. */
  private _flag(raw: number, key: 'expand' | 'optional', value: boolean, label: string, editable: boolean): HTMLElement {
    const wrap = el('label', `jp-aimagic-DocsPanel-flag jp-aimagic-DocsPanel-${key}`);
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.checked = value;
    box.disabled = !editable;
    box.onchange = () => this._edit({ op: 'set', raw, key, value: box.checked });
    wrap.append(box, document.createTextNode(` ${label}`));
    return wrap;
  }

  /** The form that adds a doc from a workspace path or a URL. */
  private _addForm(editable: boolean): HTMLElement {
    const t = this.trans;
    const form = document.createElement('form');
    form.className = 'jp-aimagic-DocsPanel-add';
    const input = document.createElement('input');
    input.type = 'text';
    input.className = 'jp-mod-styled jp-aimagic-DocsPanel-addSource';
    input.placeholder = t.__('File (relative to the notebook) or https:// URL');
    input.disabled = !editable;
    const add = button(t.__('Add doc'), 'jp-aimagic-DocsPanel-addButton', () => undefined, undefined, !editable);
    add.type = 'submit';
    form.onsubmit = event => {
      event.preventDefault();
      const source = input.value.trim();
      if (source) {
        this._edit({ op: 'add', source });
      }
    };
    form.append(input, add);
    return form;
  }

  private _model: INotebookModel | null = null;
  private _panel: NotebookPanel | null = null;
  private _lastMeta = '';
  /** The docs changed since they were last loaded for this panel. */
  private _stale = false;
}

/** A small button. */
function button(label: string, className: string, onClick: () => void, title?: string, disabled = false): HTMLButtonElement {
  const b = el('button', `jp-Button jp-mod-styled jp-mod-minimal ${className}`, label);
  b.type = 'button';
  b.disabled = disabled;
  if (title) {
    b.title = title;
  }
  b.onclick = onClick;
  return b;
}
