/**
 * The status bar item: the running total of the current notebook's AI replies (input tokens,
 * the share read from the cache, output, cost), summed from the provenance each reply keeps
 * in its cell, so it survives saving and reopening.
 */
import { INotebookModel, INotebookTracker, NotebookPanel } from '@jupyterlab/notebook';
import { TranslationBundle } from '@jupyterlab/translation';
import { ISignal } from '@lumino/signaling';
import { Widget } from '@lumino/widgets';
import { formatCount } from '../core/format';
import { formatCost } from '../core/reply/pricing';
import { Usage } from '../core/types';
import { PROVENANCE_KEY } from './footer';

/** The totals of a notebook's replies. */
export interface UsageTotals {
  replies: number;
  usage: Usage;
  /** Sum of the known costs; `priced` says how many replies had one. */
  cost: number;
  priced: number;
}

/**
 * Sum the provenance of a notebook's AI cells.
 *
 * @param panel - The notebook panel.
 */
export function usageTotals(panel: NotebookPanel): UsageTotals {
  const totals: UsageTotals = { replies: 0, usage: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 }, cost: 0, priced: 0 };
  const cells = panel.content.model?.cells;
  for (let i = 0; i < (cells?.length ?? 0); i++) {
    type Billed = { usage?: Partial<Usage>; cost?: unknown };
    const p = cells!.get(i).getMetadata(PROVENANCE_KEY) as (Billed & { error?: Billed }) | undefined;
    // A failed re-run keeps the earlier reply; what the attempt used is billed as well.
    for (const billed of [p, p?.error]) {
      const u = billed?.usage;
      if (!u || typeof u !== 'object') {
        continue;
      }
      totals.replies++;
      for (const key of ['input', 'output', 'cacheRead', 'cacheWrite'] as const) {
        totals.usage[key] += typeof u[key] === 'number' ? (u[key] as number) : 0;
      }
      if (typeof billed!.cost === 'number' && Number.isFinite(billed!.cost)) {
        totals.cost += billed!.cost;
        totals.priced++;
      }
    }
  }
  return totals;
}

/** Format a count compactly: 1,234 or 123.4k. */
function compact(value: number): string {
  return value >= 100_000 ? `${(value / 1000).toFixed(0)}k` : formatCount(value);
}

/** The status bar item. */
export class UsageStatus extends Widget {
  /**
   * @param tracker - The notebook tracker.
   * @param trans - Translations.
   * @param replyEnded - Emitted when an AI cell starts or stops running. A reply writes
   *   into one cell's metadata, which the notebook's own change signal does not report.
   */
  constructor(
    private readonly tracker: INotebookTracker,
    private readonly trans: TranslationBundle,
    replyEnded?: ISignal<unknown, unknown>
  ) {
    super();
    this.addClass('jp-aimagic-UsageStatus');
    tracker.currentChanged.connect(this._follow, this);
    replyEnded?.connect(this._schedule, this);
    this._follow();
  }

  /** Recompute now. */
  refresh(): void {
    this._scheduled = false;
    const panel = this.tracker.currentWidget;
    const totals = panel ? usageTotals(panel) : null;
    if (!totals || !totals.replies) {
      this.node.textContent = '';
      this.node.title = '';
      this.setHidden(true);
      return;
    }
    const u = totals.usage;
    const input = u.input + u.cacheRead + u.cacheWrite;
    const share = input ? Math.round((100 * u.cacheRead) / input) : 0;
    const parts = [`AI ${compact(input)} in`, `${share}% cached`, `${compact(u.output)} out`];
    if (totals.priced) {
      parts.push(formatCost(totals.cost));
    }
    this.node.textContent = parts.join(' · ');
    this.node.title = this.trans.__(
      '%1 AI replies in this notebook: %2 input tokens (%3 read from cache, %4 written to cache, %5 uncached), %6 output tokens%7',
      totals.replies, input, u.cacheRead, u.cacheWrite, u.input, u.output,
      totals.priced ? this.trans.__(', about %1 (%2 replies priced)', formatCost(totals.cost), totals.priced) : ''
    );
    this.setHidden(false);
  }

  /** Follow the current notebook's changes, at most once a frame. */
  private _follow(): void {
    this._shared?.changed.disconnect(this._schedule, this);
    const panel = this.tracker.currentWidget;
    const shared = panel?.content.model?.sharedModel ?? null;
    if (panel && !shared) {
      void panel.context.ready.then(() => panel === this.tracker.currentWidget && this._follow());
    }
    this._shared = shared;
    shared?.changed.connect(this._schedule, this);
    this._schedule();
  }

  private _schedule(): void {
    if (!this._scheduled) {
      this._scheduled = true;
      requestAnimationFrame(() => this.refresh());
    }
  }

  private _scheduled = false;
  private _shared: INotebookModel['sharedModel'] | null = null;
}
