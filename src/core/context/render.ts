/**
 * Render notebook cells as tagged text the model can read and cite.
 *
 * Each cell becomes `<cell id=… type=…>` with its source and, for code, its outputs by
 * type. The rendering is a pure function of the cell, so the same notebook always gives the
 * same bytes: the cached prefix of a request depends on it.
 */
import { AI_FLAG } from './aicell';
import { imageOf } from './images';
import { CellJSON, OutputJSON, joinText } from '../nbformat';
import { OutputTextOptions, outputText } from './output-text';

/** Options of {@link renderCell}. */
export interface RenderOptions extends OutputTextOptions {
  /** Longest text kept of one output; longer ones are cut in the middle. */
  maxOutputChars: number;
  /** Whether PNG/JPEG outputs travel as images after their cell (the text then says so). */
  images?: boolean;
}

/**
 * Cut a text in the middle when it is longer than `limit`, with a visible marker.
 *
 * The start and the end of an output carry most meaning (headers, the final result, the
 * last lines of a traceback), so the middle goes.
 *
 * @param text - The text.
 * @param limit - The longest text kept, marker excluded.
 */
export function truncateMiddle(text: string, limit: number): string {
  if (limit <= 0 || text.length <= limit) {
    return text;
  }
  const head = Math.ceil(limit / 2);
  const tail = limit - head;
  const cut = text.length - limit;
  return `${text.slice(0, head)}\n… [${cut} characters cut] …\n${text.slice(text.length - tail)}`;
}

/**
 * Escape a value for an attribute of the tags.
 *
 * @param value - Attribute text.
 */
function attr(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

/**
 * Render one output of a code cell.
 *
 * @param output - The output.
 * @param options - Rendering options.
 */
export function renderOutput(output: OutputJSON, options: RenderOptions): string {
  let tag: string;
  let body = outputText(output, options);
  switch (output.output_type) {
    case 'stream':
      tag = `<output type="stream" name="${attr(output.name ?? 'stdout')}">`;
      break;
    case 'execute_result':
    case 'display_data':
      tag = `<output type="${output.output_type}">`;
      if (options.images && imageOf(output)) {
        body += `\n[${imageOf(output)?.mediaType} image: attached after this cell]`;
      }
      break;
    case 'error':
      tag = `<output type="error" ename="${attr(output.ename ?? '')}">`;
      break;
    default:
      tag = `<output type="${attr(String(output.output_type))}">`;
  }
  return `${tag}\n${truncateMiddle(body.replace(/\n+$/, ''), options.maxOutputChars)}\n</output>`;
}

/**
 * The tag kind of a cell: `code`, `markdown`, `raw`, or `prompt` for an AI cell.
 *
 * @param cell - The cell.
 */
function kindOf(cell: CellJSON): string {
  if (cell.cell_type === 'markdown' && cell.metadata?.[AI_FLAG] === true) {
    return 'prompt';
  }
  return cell.cell_type;
}

/**
 * Render a cell (or, for AI cells, the text given instead of its source).
 *
 * @param cell - The cell.
 * @param options - Rendering options.
 * @param sourceOverride - Text to use in place of the cell's source (an AI cell's prompt).
 */
export function renderCell(cell: CellJSON, options: RenderOptions, sourceOverride?: string): string {
  const source = (sourceOverride ?? joinText(cell.source)).replace(/\n+$/, '');
  const id = cell.id ? ` id="${attr(cell.id)}"` : '';
  const kind = kindOf(cell);
  if (cell.cell_type !== 'code') {
    return `<cell${id} type="${kind}">\n${source}\n</cell>`;
  }
  const count =
    typeof cell.execution_count === 'number' ? ` execution_count="${cell.execution_count}"` : '';
  const parts = [`<cell${id} type="code"${count}>`, '<source>', source, '</source>'];
  for (const output of cell.outputs ?? []) {
    parts.push(renderOutput(output, options));
  }
  parts.push('</cell>');
  return parts.join('\n');
}
