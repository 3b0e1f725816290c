/**
 * The context docs of open notebooks: their load state (what the docs panel shows), the docs
 * a prompt sends, the prices replies are costed with, and optional pre-warming of the cache.
 */
import { INotebookModel } from '@jupyterlab/notebook';
import { ISignal, Signal } from '@lumino/signaling';
import { DocLoader, DocStatus, docsToSend, loadDocs } from '../core/docs';
import { ModelPrice, estimateCost } from '../core/pricing';
import { readNotebookOverrides } from '../core/settings';
import { Usage } from '../core/types';
import { DocsHooks, PromptDocs } from './docs-hooks';

/** The docs of one notebook as last loaded. */
export interface NotebookDocs {
  statuses: DocStatus[];
  /** Whether a load is under way. */
  loading: boolean;
}

/** Keeps the docs of open notebooks; the runner's {@link DocsHooks}. */
export class ContextDocs implements DocsHooks {
  /**
   * @param loader - Reads files and fetches URLs.
   */
  constructor(private readonly loader: DocLoader) {}

  /** Emitted with a notebook model when its docs' state changes. */
  get changed(): ISignal<ContextDocs, INotebookModel> {
    return this._changed;
  }

  /** Emitted with a notebook model after its enabled docs loaded without failure (pre-warming). */
  get docsReady(): ISignal<ContextDocs, INotebookModel> {
    return this._docsReady;
  }

  /**
   * Tell where a notebook lives (relative doc paths start from its folder).
   *
   * @param model - The notebook model.
   * @param path - A function giving its current path (it changes on rename).
   */
  track(model: INotebookModel, path: () => string): void {
    this._paths.set(model, path);
  }

  /**
   * The notebook's path, if known.
   *
   * @param model - The notebook model.
   */
  pathOf(model: INotebookModel): string | undefined {
    return this._paths.get(model)?.();
  }

  /**
   * The last known state of a notebook's docs.
   *
   * @param model - The notebook model.
   */
  state(model: INotebookModel): NotebookDocs | undefined {
    return this._states.get(model);
  }

  /**
   * Load (or reload) every doc of a notebook.
   *
   * @param model - The notebook model.
   * @param refresh - Revalidate URLs even when the cached copy is fresh.
   */
  async load(model: INotebookModel, refresh = false): Promise<DocStatus[]> {
    const refs = readNotebookOverrides(model.metadata as Record<string, unknown>).overrides.docs ?? [];
    const previous = this._states.get(model)?.statuses ?? [];
    this._states.set(model, { statuses: previous, loading: true });
    this._changed.emit(model);
    const statuses = await loadDocs(refs, { notebookPath: this.pathOf(model) ?? '', loader: this.loader, refresh });
    this._states.set(model, { statuses, loading: false });
    this._changed.emit(model);
    return statuses;
  }

  /** {@inheritDoc DocsHooks.forPrompt} */
  async forPrompt(model: INotebookModel): Promise<PromptDocs> {
    const refs = readNotebookOverrides(model.metadata as Record<string, unknown>).overrides.docs ?? [];
    if (!refs.length) {
      return { docs: [] };
    }
    return docsToSend(await this.load(model));
  }

  /**
   * Use prices from the settings besides the table.
   *
   * @param prices - Model id -> price.
   */
  setPrices(prices: Record<string, ModelPrice>): void {
    this._prices = prices;
  }

  /** {@inheritDoc DocsHooks.cost} */
  cost(model: string, usage: Usage): number | undefined {
    return estimateCost(model, usage, this._prices);
  }

  private _paths = new WeakMap<INotebookModel, () => string>();
  private _states = new WeakMap<INotebookModel, NotebookDocs>();
  private _prices: Record<string, ModelPrice> = {};
  private _changed = new Signal<ContextDocs, INotebookModel>(this);
  private _docsReady = new Signal<ContextDocs, INotebookModel>(this);
}
