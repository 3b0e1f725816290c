/**
 * AI cells in SolveIt's format.
 *
 * An AI cell is a markdown cell with `metadata.solveit_ai === true`. Its source is the
 * prompt, the reply separator and the reply, so a dialog exported by SolveIt opens here and
 * one written here opens in SolveIt.
 */
import { CellJSON, JSONObject, MultilineString, joinText } from '../nbformat';
import { SHARED } from '../shared';

/** The marker SolveIt writes between the prompt and the reply, without the newlines. */
export const REPLY_MARKER = SHARED.replyMarker;

/** The full separator, as it stands in the cell source. */
export const REPLY_SEPARATOR = `\n\n${REPLY_MARKER}\n\n`;

/** The metadata key that makes a markdown cell an AI cell. */
export const AI_FLAG = SHARED.aiFlag;

/** SolveIt's boolean cell flags. Absent means false. */
export type CellFlag = 'skipped' | 'pinned' | 'use_thinking';

/** The cell magic that turns a code cell into an AI cell when run. */
export const AI_MAGIC = '%%ai';

/** A prompt and, once answered, its reply. */
export interface PromptAndReply {
  /** The prompt as the user wrote it. */
  prompt: string;
  /** The reply, or `null` when the prompt has not been answered. */
  reply: string | null;
}

/**
 * Whether a cell is an AI cell.
 *
 * @param cell - Any notebook cell.
 */
export function isAICell(cell: Pick<CellJSON, 'cell_type' | 'metadata'>): boolean {
  return cell.cell_type === 'markdown' && cell.metadata?.[AI_FLAG] === true;
}

/**
 * Read a SolveIt boolean flag of a cell.
 *
 * @param cell - Any notebook cell.
 * @param flag - The flag's name.
 */
export function hasFlag(cell: Pick<CellJSON, 'metadata'>, flag: CellFlag): boolean {
  return cell.metadata?.[flag] === true;
}

/**
 * Split an AI cell's source into prompt and reply.
 *
 * The first separator wins, so a reply that quotes the separator stays whole. The
 * newlines around the marker are optional on reading: files edited by hand often lose one.
 *
 * @param source - The cell source.
 */
export function splitAICell(source: string | string[]): PromptAndReply {
  const text = joinText(source);
  const at = text.indexOf(REPLY_MARKER);
  if (at < 0) {
    return { prompt: text, reply: null };
  }
  const prompt = text.slice(0, at).replace(/\n+$/, '');
  const reply = text.slice(at + REPLY_MARKER.length).replace(/^\n+/, '');
  return { prompt, reply };
}

/**
 * Write prompt and reply back into one AI cell source.
 *
 * @param prompt - The prompt.
 * @param reply - The reply; `null` leaves the prompt unanswered.
 */
export function joinAICell(prompt: string, reply: string | null): string {
  if (reply === null) {
    return prompt;
  }
  return `${prompt.replace(/\n+$/, '')}${REPLY_SEPARATOR}${reply}`;
}

/**
 * The prompt of a code cell that starts with `%%ai`, or `null` for any other source.
 *
 * @param source - A code cell's source.
 */
export function magicPrompt(source: string): string | null {
  const match = /^[ \t]*%%ai[ \t]*(?:\r?\n|$)/.exec(source);
  if (!match) {
    return null;
  }
  return source.slice(match[0].length);
}

/** Output metadata key of the reply the kernel-side magic displays (its provenance). */
export const MAGIC_REPLY_KEY = 'aimagic';

/** A `%%ai` code cell: the options on its first line, its prompt, and its reply if shown. */
export interface MagicCell {
  args: string;
  prompt: string;
  reply: string | null;
  /** The reply output's provenance (`metadata.aimagic` of the output), when there is a reply. */
  provenance: JSONObject | null;
}

/**
 * The options and prompt of a source whose first line is `%%ai` (options allowed), or `null`.
 *
 * @param source - A code cell's source.
 */
export function parseMagic(source: string): { args: string; prompt: string } | null {
  const match = /^[ \t]*%%ai(?:[ \t]+([^\r\n]*?))?[ \t]*(?:\r?\n|$)/.exec(source);
  if (!match) {
    return null;
  }
  return { args: match[1] ?? '', prompt: source.slice(match[0].length) };
}

/**
 * The `%%ai` reading of a code cell: its prompt and the reply the kernel-side magic displayed
 * (the last output carrying {@link MAGIC_REPLY_KEY} with Markdown), or `null` for other cells.
 *
 * @param cell - Any notebook cell.
 */
export function magicCell(cell: CellJSON): MagicCell | null {
  if (cell.cell_type !== 'code') {
    return null;
  }
  const parsed = parseMagic(joinText(cell.source));
  if (!parsed) {
    return null;
  }
  let reply: string | null = null;
  let provenance: JSONObject | null = null;
  for (const output of cell.outputs ?? []) {
    const mark = output.metadata?.[MAGIC_REPLY_KEY];
    const markdown = output.data?.['text/markdown'];
    if ((output.output_type === 'display_data' || output.output_type === 'execute_result') && mark && typeof mark === 'object' && !Array.isArray(mark) && markdown !== undefined) {
      reply = joinText(markdown as MultilineString);
      provenance = mark as JSONObject;
    }
  }
  return { ...parsed, reply, provenance };
}

/**
 * A `%%ai` code cell as the AI cell the frontend turns it into (its reply, when the magic
 * showed one, as the reply; the variables it was sent with recorded); other cells unchanged.
 * Both sides read `%%ai` cells through this, so a notebook run headless continues in JupyterLab.
 *
 * @param cell - Any notebook cell.
 */
export function asAICell(cell: CellJSON): CellJSON {
  const magic = magicCell(cell);
  if (!magic) {
    return cell;
  }
  const metadata: JSONObject = { ...(cell.metadata ?? {}), [AI_FLAG]: true };
  delete metadata.execution;
  delete metadata.collapsed;
  delete metadata.scrolled;
  const variables = magic.provenance?.variables;
  if (variables && typeof variables === 'object' && !Array.isArray(variables)) {
    metadata.aimagic = { ...((metadata.aimagic as JSONObject | undefined) ?? {}), variables };
  }
  return { cell_type: 'markdown', ...(cell.id ? { id: cell.id } : {}), source: joinAICell(magic.prompt, magic.reply), metadata };
}
