/**
 * Where a finished reply goes, and what happens when it cannot go where it was meant to.
 *
 * A reply is paid for; it is never thrown away. Moving a cell re-creates its model (the
 * shared notebook has no move: the cell is deleted and inserted again, with the same id), so
 * the cell is found again by its id. Only a cell that is really gone loses its reply, and then
 * the text is offered. A re-run that fails part-way leaves the earlier complete reply in place.
 */
import { Clipboard, Notification } from '@jupyterlab/apputils';
import { ICellModel } from '@jupyterlab/cells';
import { PartialJSONObject } from '@lumino/coreutils';
import { INotebookModel } from '@jupyterlab/notebook';
import { joinAICell } from '../core/context/aicell';
import { ReplyResult } from '../core/reply/reply';
import { Usage } from '../core/types';
import { PROVENANCE_KEY } from './footer';
import { cellIndex } from './snapshot';

/**
 * The AI cell a reply goes to: the cell it started in, or the cell with its id if it moved.
 *
 * @param notebook - The notebook model.
 * @param model - The cell model the run started with.
 * @param id - That cell's id.
 * @returns The cell, or null when it was deleted.
 */
export function findReplyCell(notebook: INotebookModel, model: ICellModel, id: string): ICellModel | null {
  if (cellIndex(notebook, model) >= 0) {
    return model;
  }
  for (let i = 0; i < notebook.cells.length; i++) {
    const cell = notebook.cells.get(i);
    if (cell.id === id && cell.type === 'markdown' && cell.getMetadata('solveit_ai') === true) {
      return cell;
    }
  }
  return null;
}

/**
 * Offer a reply whose AI cell was deleted while it streamed: copy it, or put it back as a
 * new AI cell where the old one was.
 *
 * @param notebook - The notebook model.
 * @param at - Where the AI cell was.
 * @param prompt - Its prompt.
 * @param reply - The reply text.
 * @param provenance - The reply's provenance, kept on the new cell.
 */
export function offerOrphanReply(notebook: INotebookModel, at: number, prompt: string, reply: string, provenance: Record<string, unknown>): void {
  Notification.warning('The AI cell was deleted while its reply was streaming. Its reply is kept: copy it, or put it back as a new AI cell.', {
    autoClose: false,
    actions: [
      {
        label: 'Insert as AI cell',
        displayType: 'accent',
        callback: () => {
          notebook.sharedModel.insertCell(Math.min(at, notebook.cells.length), {
            cell_type: 'markdown',
            source: joinAICell(prompt, reply),
            metadata: { solveit_ai: true, [PROVENANCE_KEY]: provenance as PartialJSONObject }
          });
        }
      },
      { label: 'Copy reply', callback: () => Clipboard.copyToSystem(reply) }
    ]
  });
}

/**
 * Whether a reply that failed part-way must leave the cell's earlier, complete reply alone.
 * A stop is the user's choice and keeps the part received, as before.
 *
 * @param result - The reply as it ended.
 * @param replyBefore - The cell's reply when the run started.
 */
export function keepsEarlierReply(result: ReplyResult, replyBefore: string | null | undefined): boolean {
  return result.stopReason === 'error' && !!replyBefore?.trim();
}

/**
 * Record a failed re-run beside the earlier reply: the error, the partial text (shown in the
 * footer, one click from the clipboard) and what the attempt used, which is billed too.
 *
 * @param model - The AI cell.
 * @param result - The failed reply.
 * @param cost - Its cost, when the model's price is known.
 */
export function recordFailedRerun(model: ICellModel, result: ReplyResult, cost: number | undefined): void {
  const previous = (model.getMetadata(PROVENANCE_KEY) ?? {}) as Record<string, unknown>;
  const usage: Usage = result.usage;
  model.setMetadata(PROVENANCE_KEY, {
    ...previous,
    error: {
      kind: result.error?.kind ?? 'error',
      message: `${result.error?.message ?? 'The reply failed.'} The earlier reply is kept; the partial one is below.`,
      partial: result.text,
      usage,
      ...(cost !== undefined ? { cost } : {})
    }
  });
}
