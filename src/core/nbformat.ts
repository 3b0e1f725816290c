/**
 * The parts of the Jupyter notebook format (nbformat 4) that the core reads.
 *
 * The core takes plain notebook JSON, exactly as stored in an `.ipynb` file, so the
 * command-line dry run and the extension feed it the same data. These types are
 * deliberately loose where real files are loose (multiline strings, missing fields).
 */

/** A string, or the list of lines nbformat may store instead. */
export type MultilineString = string | string[];

/** Cell or notebook metadata: any JSON object. */
export type JSONObject = { [key: string]: unknown };

/** An output of a code cell. */
export interface OutputJSON {
  output_type: 'stream' | 'execute_result' | 'display_data' | 'error' | string;
  name?: string;
  text?: MultilineString;
  data?: { [mime: string]: unknown };
  metadata?: JSONObject;
  execution_count?: number | null;
  ename?: string;
  evalue?: string;
  traceback?: string[];
}

/** A notebook cell. */
export interface CellJSON {
  cell_type: 'code' | 'markdown' | 'raw' | string;
  id?: string;
  source: MultilineString;
  metadata?: JSONObject;
  outputs?: OutputJSON[];
  execution_count?: number | null;
  attachments?: JSONObject;
}

/** A notebook. */
export interface NotebookJSON {
  cells: CellJSON[];
  metadata?: JSONObject;
  nbformat?: number;
  nbformat_minor?: number;
}

/**
 * Join a multiline nbformat string.
 *
 * @param value - A string or a list of lines (each already ending in `\n`).
 * @returns The text.
 */
export function joinText(value: MultilineString | undefined | null): string {
  if (value === undefined || value === null) {
    return '';
  }
  return Array.isArray(value) ? value.join('') : String(value);
}
