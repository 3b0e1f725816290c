/**
 * "Show prompt": the exact request an AI cell would send, before it is sent. A readable view
 * (turns, cells, docs, images as thumbnails, what the budget cuts) and the raw JSON body,
 * with the provider's own token count when it has a counting endpoint.
 */
import { Cell } from '@jupyterlab/cells';
import { NotebookPanel } from '@jupyterlab/notebook';
import { Widget } from '@lumino/widgets';
import { estimateTokens } from '../core/context/dialogue';
import { formatCount } from '../core/format';
import { providerInfo } from '../core/providers/registry';
import { Part } from '../core/types';
import { docsForPrompt } from './docs-hooks';
import { el } from './dom';
import { PreparedCell, prepareCell } from './prepare';
import { cellIndex } from './snapshot';
import { IAIMagic } from './tokens';

/** The request view of one AI cell. */
export class PromptView extends Widget {
  /**
   * @param service - The AI Magic service (settings, providers).
   * @param panel - The notebook panel.
   * @param cell - The AI cell.
   */
  constructor(
    private readonly service: IAIMagic,
    private readonly panel: NotebookPanel,
    private readonly cell: Cell
  ) {
    super();
    this.addClass('jp-aimagic-PromptView');
    this._status = el('div', 'jp-aimagic-PromptView-status', 'Preparing the request…');
    this.node.append(this._status);
  }

  /** Prepare the request (nothing is sent) and show it; then ask for the token count. */
  async load(): Promise<void> {
    const notebook = this.panel.content.model;
    const index = notebook ? cellIndex(notebook, this.cell.model) : -1;
    if (!notebook || index < 0) {
      return this._fail('The AI cell is no longer in the notebook.');
    }
    const docs = await docsForPrompt(notebook);
    if (docs.error) {
      return this._fail(docs.error);
    }
    let prepared: PreparedCell;
    try {
      prepared = await prepareCell(notebook, index, {
        settings: this.service.settings,
        sessionContext: this.panel.sessionContext,
        docs: docs.docs
      });
    } catch (e) {
      return this._fail(`This prompt would not be sent: ${(e as Error).message}`);
    }
    const provider = prepared.settings.provider;
    const body = providerInfo(provider).toBody(prepared.request);
    this._status.textContent = `${provider} · ${prepared.request.model} · about ${formatCount(estimateTokens(JSON.stringify(body)))} tokens (estimated) · counting…`;
    this._status.dataset.state = 'counting';
    this.node.append(Private.readable(prepared), Private.raw(body));
    void this._count(prepared, body);
  }

  /** Ask the provider's counting endpoint. */
  private async _count(prepared: PreparedCell, body: Record<string, unknown>): Promise<void> {
    const estimate = `about ${formatCount(estimateTokens(JSON.stringify(body)))} tokens (estimated)`;
    const head = `${prepared.settings.provider} · ${prepared.request.model}`;
    try {
      const provider = await this.service.provider(prepared.settings.provider);
      if (!provider.countTokens) {
        this._status.textContent = `${head} · ${estimate}; ${provider.label} has no token counting endpoint`;
      } else {
        const count = await provider.countTokens(prepared.request);
        this._status.textContent = `${head} · ${formatCount(count)} input tokens (counted by ${provider.label})`;
      }
      this._status.dataset.state = 'counted';
    } catch (e) {
      this._status.textContent = `${head} · ${estimate}; counting failed: ${(e as Error).message}`;
      this._status.dataset.state = 'count-failed';
    }
  }

  private _fail(message: string): void {
    this._status.textContent = message;
    this._status.dataset.state = 'error';
    this._status.classList.add('jp-aimagic-mod-error');
  }

  private _status: HTMLElement;
}

namespace Private {

  /** The readable view. */
  export function readable(prepared: PreparedCell): HTMLElement {
    const { request, dialogue } = prepared;
    const root = el('div', 'jp-aimagic-PromptView-readable');
    const cut = el('div', 'jp-aimagic-PromptView-cut');
    cut.textContent = dialogue.omitted.length
      ? `Left out for the budget (${dialogue.omitted.length} cell${dialogue.omitted.length > 1 ? 's' : ''}, oldest first): ${dialogue.omitted.join(', ')}`
      : `Nothing is cut for the budget (${dialogue.cellCount} cells above are sent).`;
    root.append(cut);
    for (const problem of prepared.problems) {
      root.append(el('div', 'jp-aimagic-PromptView-problem', problem));
    }
    root.append(section('System instructions', [pre(request.system, !!request.systemCache)]));
    if (request.docs.length) {
      root.append(
        section(
          `Docs (${request.docs.length})`,
          request.docs.map(d => pre(`${d.title} — ${d.source} (${formatCount(d.text.length)} characters)\n\n${d.text.slice(0, 2000)}${d.text.length > 2000 ? '\n…' : ''}`, !!d.cache))
        )
      );
    }
    request.turns.forEach((turn, t) => {
      const parts = turn.parts.map((p, i) => part(p, t === 0 && i < dialogue.pinnedParts));
      const box = section(turn.role === 'user' ? 'User' : 'Assistant', parts);
      box.classList.add(`jp-aimagic-PromptView-${turn.role}`);
      root.append(box);
    });
    return root;
  }

  /** A titled section. */
  export function section(title: string, children: HTMLElement[]): HTMLElement {
    const box = el('section', 'jp-aimagic-PromptView-turn');
    box.append(el('h3', 'jp-aimagic-PromptView-role', title), ...children);
    return box;
  }

  /** Preformatted text, with the cache breakpoint shown after it. */
  export function pre(text: string, cached: boolean): HTMLElement {
    const box = el('div', 'jp-aimagic-PromptView-part');
    box.append(el('pre', 'jp-aimagic-PromptView-text', text));
    if (cached) {
      box.append(el('div', 'jp-aimagic-PromptView-cache', '⟂ cache breakpoint: everything up to here is cached'));
    }
    return box;
  }

  /** One part of a turn. */
  export function part(p: Part, pinned: boolean): HTMLElement {
    let box: HTMLElement;
    if (p.type === 'image') {
      box = el('figure', 'jp-aimagic-PromptView-image');
      const img = document.createElement('img');
      img.src = `data:${p.mediaType};base64,${p.data}`;
      img.alt = `Image from cell ${p.cellId ?? '?'}`;
      box.append(img, el('figcaption', '', `${p.mediaType} from cell ${p.cellId ?? '?'}`));
      if (p.cache) {
        box.append(el('div', 'jp-aimagic-PromptView-cache', '⟂ cache breakpoint'));
      }
    } else if (p.type === 'thinking') {
      box = pre(`💭 thinking (signed, sent back during the tool loop):\n${p.text}`, !!p.cache);
    } else if (p.type === 'tool_use') {
      box = pre(`🔧 tool call ${p.id}: ${p.name}(${JSON.stringify(p.args)})`, !!p.cache);
    } else if (p.type === 'tool_result') {
      box = pre(`↩ tool result ${p.id}${p.isError ? ' (error)' : ''}:\n${p.result}`, !!p.cache);
    } else {
      box = pre(p.text, !!p.cache);
    }
    if (pinned) {
      box.classList.add('jp-aimagic-mod-pinned');
      box.prepend(el('div', 'jp-aimagic-PromptView-pinned', '📌 pinned cells'));
    }
    return box;
  }

  /** The raw JSON body; image data elided on screen, copied whole. */
  export function raw(body: Record<string, unknown>): HTMLElement {
    const details = el('details', 'jp-aimagic-PromptView-raw');
    const summary = el('summary', '', 'Raw request (JSON)');
    const exact = JSON.stringify(body, null, 2);
    const shown = JSON.stringify(body, (k, v) => (k === 'data' && typeof v === 'string' && v.length > 120 ? `<${v.length} base64 characters>` : v), 2);
    const copy = el('button', 'jp-Button jp-mod-minimal jp-aimagic-PromptView-copy', 'Copy JSON');
    copy.type = 'button';
    copy.addEventListener('click', () => void navigator.clipboard?.writeText(exact));
    details.append(summary, copy, el('pre', 'jp-aimagic-PromptView-json', shown));
    return details;
  }
}
