/**
 * The context docs of open notebooks: their load state (what the docs panel shows), the docs
 * a prompt sends, the prices replies are costed with, and optional pre-warming of the cache.
 */
import { INotebookModel } from '@jupyterlab/notebook';
import { ISignal, Signal } from '@lumino/signaling';
import { DocLoader, DocStatus, docsToSend, droppedDocsError, loadDocs } from '../core/docs/docs';
import { ModelPrice, estimateCost, findPrice } from '../core/reply/pricing';
import { readNotebookOverrides } from '../core/settings';
import { Usage } from '../core/types';
import { DocsHooks, PromptDocs } from './docs-hooks';
import { DocsPrewarmer } from './prewarm';

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
   * @param findPath - The current path of a notebook (relative doc paths start from its folder).
   */
  constructor(
    private readonly loader: DocLoader,
    private readonly findPath: (model: INotebookModel) => string | undefined
  ) {}

  /** Emitted with a notebook model when its docs' state changes. */
  get changed(): ISignal<ContextDocs, INotebookModel> {
    return this._changed;
  }

  /** Pre-warms the docs prefix after the docs change, when set. */
  prewarmer: DocsPrewarmer | null = null;

  /**
   * The notebook's path, if it is open.
   *
   * @param model - The notebook model.
   */
  pathOf(model: INotebookModel): string | undefined {
    return this.findPath(model);
  }

  /**
   * The user acted in this notebook (opened or refreshed its docs, added one, turned
   * pre-warming on): its URL docs may be fetched from now on.
   *
   * @param model - The notebook model.
   */
  allowFetch(model: INotebookModel): void {
    this._acted.add(model);
  }

  /**
   * Whether the notebook's URL docs may be fetched: only after the user acted in it.
   *
   * @param model - The notebook model.
   */
  canFetch(model: INotebookModel): boolean {
    return this._acted.has(model);
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
   * @param refresh - Revalidate URLs even when the cached copy is fresh (the user asked: URLs
   *   may be fetched from now on).
   * @param forPrompt - Loaded for a prompt (which writes the cache itself: no pre-warm).
   */
  async load(model: INotebookModel, refresh = false, forPrompt = false): Promise<DocStatus[]> {
    if (refresh || forPrompt) {
      this.allowFetch(model);
    }
    if (forPrompt) {
      this._ran.add(model);
    }
    const refs = readNotebookOverrides(model.metadata as Record<string, unknown>).overrides.docs ?? [];
    const previous = this._states.get(model)?.statuses ?? [];
    this._states.set(model, { statuses: previous, loading: true });
    this._changed.emit(model);
    const fetchURLs = this.canFetch(model);
    const statuses = await loadDocs(refs, { notebookPath: this.pathOf(model) ?? '', loader: this.loader, refresh, fetchURLs });
    this._states.set(model, { statuses, loading: false });
    this._changed.emit(model);
    const { docs, error } = docsToSend(statuses);
    if (this.prewarmer && !error) {
      if (forPrompt) {
        this.prewarmer.markUsed(model, docs);
      } else {
        void this.prewarmer.maybeWarm(model, docs, this._ran.has(model));
      }
    }
    return statuses;
  }

  /**
   * Tell the panel that something about a notebook's docs changed (a pre-warm note).
   *
   * @param model - The notebook model.
   */
  notify(model: INotebookModel): void {
    this._changed.emit(model);
  }

  /** {@inheritDoc DocsHooks.forPrompt} */
  async forPrompt(model: INotebookModel): Promise<PromptDocs> {
    const dropped = droppedDocsError(model.metadata as Record<string, unknown>);
    if (dropped) {
      return { docs: [], error: dropped };
    }
    const refs = readNotebookOverrides(model.metadata as Record<string, unknown>).overrides.docs ?? [];
    if (!refs.length) {
      return { docs: [] };
    }
    const statuses = await this.load(model, false, true);
    const stale = statuses.filter(s => s.state === 'stale');
    const notice = stale.length
      ? `Sent an older copy of ${stale.map(s => `"${s.title}" (${s.reason})`).join(', ')}.`
      : undefined;
    return { ...docsToSend(statuses), ...(notice ? { notice } : {}) };
  }

  /**
   * Use prices from the settings besides the table.
   *
   * @param prices - Model id -> price.
   */
  setPrices(prices: Record<string, ModelPrice>): void {
    this._prices = prices;
  }

  /**
   * Read one doc again (revalidating a URL), keeping the others' state.
   *
   * @param model - The notebook model.
   * @param index - The doc's position among the valid entries of `aimagic.docs`.
   */
  async refreshDoc(model: INotebookModel, index: number): Promise<void> {
    const refs = readNotebookOverrides(model.metadata as Record<string, unknown>).overrides.docs ?? [];
    const ref = refs[index];
    const current = this._states.get(model);
    if (!ref || !current) {
      await this.load(model, true);
      return;
    }
    this.allowFetch(model);
    const [fresh] = await loadDocs([ref], { notebookPath: this.pathOf(model) ?? '', loader: this.loader, refresh: true });
    const statuses = current.statuses.map(s => (s.index === index ? { ...fresh, index } : s));
    this._states.set(model, { statuses, loading: false });
    this._changed.emit(model);
  }

  /**
   * The price of a model (settings first, then the table).
   *
   * @param model - Model id.
   */
  price(model: string): ModelPrice | undefined {
    return findPrice(model, this._prices);
  }

  /** {@inheritDoc DocsHooks.cost} */
  cost(model: string, usage: Usage): number | undefined {
    return estimateCost(model, usage, this._prices);
  }

  private _states = new WeakMap<INotebookModel, NotebookDocs>();
  /** Notebooks the user acted in: their URL docs may be fetched. */
  private _acted = new WeakSet<INotebookModel>();
  /** Notebooks in which the user ran an AI cell: pre-warming may follow their metadata. */
  private _ran = new WeakSet<INotebookModel>();
  private _prices: Record<string, ModelPrice> = {};
  private _changed = new Signal<ContextDocs, INotebookModel>(this);
}
