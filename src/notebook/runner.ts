/**
 * Run one AI cell: snapshot the cells above, send, stream into the cell, then write the reply
 * (a piece a frame, one undo step) and its provenance. A failure leaves the user's text as it
 * was and says why.
 */
import { ISessionContext } from '@jupyterlab/apputils';
import { Cell, ICellModel, MarkdownCell } from '@jupyterlab/cells';
import { INotebookModel } from '@jupyterlab/notebook';
import { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import { Widget } from '@lumino/widgets';
import { joinAICell, splitAICell } from '../core/context/aicell';
import { provenanceOf } from '../core/reply/provenance';
import { replyHash } from '../core/reply/reply-hash';
import { writePieces } from '../core/reply/write-pieces';
import { ChatProvider, ProviderError } from '../core/providers/provider';
import { providerInfo } from '../core/providers/registry';
import { runToolLoop } from '../core/tools/loop';
import { AISettings } from '../core/settings';
import { Usage } from '../core/types';
import { docsForPrompt, replyCost } from './docs-hooks';
import { PROVENANCE_KEY } from './footer';
import { placeUnderInput } from './placement';
import { findReplyCell, keepsEarlierReply, offerOrphanReply, recordFailedRerun } from './reply-target';
import { PreparedCell, prepareCell } from './prepare';
import { cellIndex } from './snapshot';
import { StreamingReply } from './streamview';
import { runKernelTool } from './kernel-tools';
import { watchToolBlocks } from './tool-view';
import { afterPaint, timed } from './frames';

/** What a run needs from its surroundings. */
export interface RunContext {
  settings: AISettings;
  rendermime: IRenderMimeRegistry;
  /** Make the provider for an id (may throw ProviderError: no key, no proxy). */
  provider(id: string): Promise<ChatProvider>;
  signal: AbortSignal;
  /** The notebook's session: `$`name`` variables are read from its kernel. */
  sessionContext?: ISessionContext;
  /** Called after a reply was written into its cell. */
  onReply?(cell: Cell, notebook: INotebookModel): void;
  /** Called when the streaming view has rendered more finished blocks of the reply. */
  onBlocks?(body: HTMLElement, finished: string): void;
}

/**
 * Record a failure on the cell without touching its source.
 *
 * @param model - The AI cell's model.
 * @param kind - Error kind.
 * @param message - What the user reads.
 * @param billed - What the failed attempt used, when the provider reported it (it is billed;
 *   the status bar counts it).
 */
export function recordError(model: ICellModel, kind: string, message: string, billed?: { usage: Usage; cost?: number }): void {
  const previous = (model.getMetadata(PROVENANCE_KEY) ?? {}) as Record<string, unknown>;
  const spent = billed && billed.usage.input + billed.usage.cacheRead + billed.usage.cacheWrite + billed.usage.output > 0;
  model.setMetadata(PROVENANCE_KEY, { ...previous, error: { kind, message, ...(spent ? billed : {}) } });
}

/**
 * Run an AI cell.
 *
 * @param cell - The AI cell widget.
 * @param notebook - Its notebook model.
 * @param context - Settings, rendermime, providers, abort signal.
 * @returns Whether a complete reply was written.
 */
export async function runAICell(cell: Cell, notebook: INotebookModel, context: RunContext): Promise<boolean> {
  const model = cell.model;
  const index = cellIndex(notebook, model);
  if (index < 0) {
    return false;
  }
  let prepared: PreparedCell;
  // The notebook's context docs; one that cannot be loaded stops the prompt (never sent without it).
  const docs = await docsForPrompt(notebook);
  if (docs.error) {
    recordError(model, 'docs', docs.error);
    return false;
  }
  try {
    prepared = await prepareCell(notebook, index, { settings: context.settings, sessionContext: context.sessionContext, signal: context.signal, docs: docs.docs });
  } catch (e) {
    recordError(model, 'prompt', (e as Error).message);
    return false;
  }
  // The reply as it stood when the request left: an edit of it while the new one streams
  // is noticed below, and kept one undo step away.
  const { prompt: promptBefore, reply: replyBefore } = splitAICell(model.sharedModel.getSource());
  const cellId = model.id; // a moved cell is a new model with this id
  const view = new StreamingReply(context.rendermime, 'Waiting for the reply…', (body, finished) => context.onBlocks?.(body, finished));
  let stopWatching = (): void => undefined;
  void placeUnderInput(cell, view);
  cell.addClass('jp-aimagic-mod-running');
  try {
    let provider: ChatProvider;
    try {
      provider = await context.provider(prepared.settings.provider);
    } catch (e) {
      const err = e instanceof ProviderError ? e : new ProviderError('unsupported', (e as Error).message);
      recordError(model, err.kind, err.message);
      return false;
    }
    if (context.signal.aborted) {
      recordError(model, 'stopped', 'Stopped before the prompt was sent.');
      return false;
    }
    const body = providerInfo(provider.id).toBody(prepared.request);
    // Tool calls stream into the reply as `{.tool}` blocks; the view folds them as they come.
    stopWatching = watchToolBlocks(view.node);
    const result = await runToolLoop(provider, prepared.request, {
      maxSteps: prepared.settings.toolSteps,
      pinnedParts: prepared.dialogue.pinnedParts,
      signal: context.signal,
      execute: (call, signal) => runKernelTool(context.sessionContext, call, { timeoutMs: prepared.settings.toolTimeout * 1000, signal }),
      onText: text => {
        view.setStatus('');
        view.setText(text);
      },
      onStatus: text => view.setStatus(text)
    });
    // The view's last picture is the whole reply, so the cell's own render replaces it seamlessly.
    await view.settled();
    // From here the reply goes in over a few frames (the editor takes the text, its layout is
    // reset, the footer is made, the cell renders): each is work of tens of milliseconds for a
    // long reply, and together in one frame they would block the page for a quarter second.
    await afterPaint();
    const provenance = provenanceOf(provider.id, result, body, prepared.dialogue.omitted);
    const cost = replyCost(result.model, result.usage);
    const costed = cost !== undefined ? { cost } : {};
    if (!result.text) {
      // Nothing arrived: keep the cell exactly as it was, earlier reply included.
      const message = result.error?.message ?? (result.stopReason === 'stopped' ? 'Stopped before any reply arrived.' : 'The reply was empty.');
      recordError(model, result.error?.kind ?? result.stopReason, message, { usage: result.usage, ...costed });
      return false;
    }
    if (cell instanceof MarkdownCell && !cell.isDisposed) {
      // Hide the editor before the reply goes in: a visible editor lays out every line of
      // the reply and keeps them all, hidden, once the cell shows its rendered markdown.
      await Private.render(cell);
    }
    // The cell may have moved meanwhile (a new model with the same id), or be gone.
    const target = findReplyCell(notebook, model, cellId);
    if (!target) {
      offerOrphanReply(notebook, index, promptBefore, result.text, { ...provenance, ...costed });
      return false;
    }
    if (keepsEarlierReply(result, replyBefore)) {
      recordFailedRerun(target, result, cost);
      return false;
    }
    const editedMeanwhile = splitAICell(target.sharedModel.getSource()).reply !== replyBefore;
    const written = await Private.writeReply(target, result.text);
    if (target.isDisposed) {
      return false;
    }
    if (target === model) {
      await afterPaint();
      timed('reply-relayout', () => Private.relayoutEditor(cell));
    }
    await afterPaint();
    if (target.isDisposed) {
      // Deleted in the meantime, reply and all.
      return false;
    }
    timed('reply-footer', () => target.setMetadata(PROVENANCE_KEY, {
      ...provenance,
      ...costed,
      finishedAt: new Date().toISOString(),
      replyHash: replyHash(written),
      ...(Object.keys(prepared.variables).length ? { variables: prepared.variables } : {}),
      ...(editedMeanwhile || docs.notice
        ? {
            notice: [provenance.notice ?? '', editedMeanwhile ? 'You edited the previous reply while this one was streaming: your edit is one undo (Ctrl+Z in the cell) away.' : '', docs.notice ?? '']
              .filter(n => n)
              .join(' ')
          }
        : {})
    }));
    context.onReply?.(cell, notebook);
    // The footer is made in this frame; the cell renders the reply in the next.
    await afterPaint();
    return !result.error && result.stopReason !== 'stopped';
  } finally {
    stopWatching();
    timed('reply-render', () => {
      view.dispose();
      cell.removeClass('jp-aimagic-mod-running');
      // A moved cell's old widget is gone; its new one renders the reply by itself.
      if (cell instanceof MarkdownCell && !cell.isDisposed) {
        if (cell.rendered) {
          // Already rendered: JupyterLab would re-render a second after the last edit; show
          // the reply now, as the streaming view goes. Rendered here, in this task, not in
          // the next animation frame (where laying it out follows at once and makes one long frame).
          cell.processMessage(Widget.Msg.UpdateRequest);
        } else {
          cell.rendered = true;
        }
      }
    });
  }
}

namespace Private {
  /**
   * Let a hidden editor lay out afresh: CodeMirror keeps every line of text inserted into
   * its viewport, and a reply goes in whole, so a rendered AI cell would hold all of it.
   * A reset of the view to its own state lays out a screenful, as for a cell opened from a file.
   */
  export function relayoutEditor(cell: Cell): void {
    const view = (cell.editor as { editor?: { state: unknown; setState(state: unknown): void } } | null)?.editor;
    if (cell instanceof MarkdownCell && !cell.isDisposed && cell.rendered && view && typeof view.setState === 'function') {
      view.setState(view.state);
    }
  }

  /**
   * Render a markdown cell and wait until its editor is hidden (JupyterLab hides it once the
   * markdown has rendered, asynchronously); at most two seconds.
   */
  export function render(cell: MarkdownCell): Promise<void> {
    if (cell.rendered) {
      return Promise.resolve();
    }
    return new Promise(resolve => {
      const done = () => {
        clearTimeout(timer);
        cell.renderedChanged.disconnect(done);
        resolve();
      };
      const timer = setTimeout(done, 2000);
      cell.renderedChanged.connect(done);
      cell.rendered = true;
    });
  }

  /**
   * Write the reply under the prompt as it is now (edits made while streaming are kept),
   * as one undo step. A long reply goes in a few pieces, one a frame, each cut at a line's
   * end: the editor's work for all of it in one frame would block the page.
   */
  export async function writeReply(model: ICellModel, reply: string): Promise<string> {
    // Each cell has its own undo history (a Y.UndoManager); end the current capture so the
    // reply is one step, and hold the capture open over the pieces however slow the frames.
    const shared = model.sharedModel as typeof model.sharedModel & { undoManager?: { stopCapturing(): void; captureTimeout?: number } | null };
    const undo = shared.undoManager;
    const captureTimeout = undo?.captureTimeout;
    const { prompt } = splitAICell(shared.getSource());
    const full = joinAICell(prompt, reply);
    const cuts = writePieces(full, full.length - reply.length);
    undo?.stopCapturing();
    if (undo && typeof captureTimeout === 'number') {
      undo.captureTimeout = Number.POSITIVE_INFINITY;
    }
    try {
      // The first piece replaces what differs (an earlier reply, if any), not the whole text:
      // the editor keeps the prompt as it is.
      const current = shared.getSource();
      let same = 0;
      while (same < current.length && same < cuts[0] && current.charCodeAt(same) === full.charCodeAt(same)) {
        same++;
      }
      // Never between the two halves of a character outside the Basic Multilingual Plane.
      if (same > 0 && /[\uD800-\uDBFF]/.test(full[same - 1])) {
        same--;
      }
      timed('reply-write', () => shared.updateSource(same, current.length, full.slice(same, cuts[0])));
      for (let i = 1; i < cuts.length; i++) {
        // A hidden page draws nothing: no need to wait (and its timers are slowed to a second).
        if (!document.hidden) {
          await afterPaint();
        }
        if (model.isDisposed) {
          return '';
        }
        const end = shared.getSource().length;
        timed('reply-write', () => shared.updateSource(end, end, full.slice(cuts[i - 1], cuts[i])));
      }
    } finally {
      if (undo && typeof captureTimeout === 'number') {
        undo.captureTimeout = captureTimeout;
      }
      undo?.stopCapturing();
    }
    return splitAICell(shared.getSource()).reply ?? '';
  }
}
