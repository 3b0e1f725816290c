/**
 * The text of one cell output as the model reads it: what the user sees in the notebook,
 * as text. Rich results become readable text (HTML as Markdown, JSON, LaTeX, SVG source),
 * widgets a marker that names them, errors their traceback and always `ename: evalue`.
 *
 * Escape sequences are removed in one place, {@link cleanText}, for every kind of output.
 */
import { OutputJSON, joinText } from '../nbformat';

/** Converts HTML to Markdown; loaded lazily by the extension, statically by the CLI. */
export type HtmlConverter = (html: string) => string;

/** What {@link outputText} needs besides the output. */
export interface OutputTextOptions {
  /** HTML to Markdown; without it an HTML-only result is named, not converted. */
  htmlToMarkdown?: HtmlConverter;
  /** Widget names by model id, from the notebook's saved widget state. */
  widgetNames?: Readonly<Record<string, string>>;
}

/** The mime type of a widget view (ipywidgets). */
export const WIDGET_VIEW_MIME = 'application/vnd.jupyter.widget-view+json';

/** The notebook metadata mime type of saved widget state (ipywidgets). */
export const WIDGET_STATE_MIME = 'application/vnd.jupyter.widget-state+json';

// CSI sequences (colours, cursor moves), OSC sequences (titles, hyperlinks), and the
// two-character escapes.
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[@-Z\\-_]/g;

/**
 * Remove ANSI escape sequences (coloured tracebacks, `??` help, rich and tqdm output).
 *
 * @param text - Terminal text.
 */
export function stripAnsi(text: string): string {
  return text.indexOf('\u001b') < 0 ? text : text.replace(ANSI, '');
}

/**
 * Text as the notebook shows it: no escape sequences, and a carriage return overwrites its
 * line as in a terminal (progress bars show their last state, not every step).
 *
 * @param text - Output text.
 */
export function cleanText(text: string): string {
  const plain = stripAnsi(text).replace(/\r\n/g, '\n');
  if (plain.indexOf('\r') < 0) {
    return plain;
  }
  return plain
    .split('\n')
    .map(line => {
      const parts = line.split('\r');
      // A trailing \r (tqdm's) leaves the line as it stands until the next write.
      while (parts.length > 1 && parts[parts.length - 1] === '') {
        parts.pop();
      }
      return parts[parts.length - 1];
    })
    .join('\n');
}

/**
 * Whether a `text/plain` result says nothing but the object's type, as
 * `<IPython.core.display.HTML object>` or `<__main__.Slider>` do.
 *
 * @param text - The `text/plain` of a result.
 */
export function isBareRepr(text: string): boolean {
  return /^<[^<>\n]+>$/.test(text.trim());
}

/**
 * Widget names by model id, from the saved widget state in notebook metadata
 * (`widgets["application/vnd.jupyter.widget-state+json"].state`).
 *
 * @param metadata - The notebook's metadata.
 */
export function widgetNames(metadata: { [key: string]: unknown } | undefined): Record<string, string> {
  const widgets = metadata?.widgets as { [mime: string]: { state?: unknown } } | undefined;
  const state = widgets?.[WIDGET_STATE_MIME]?.state;
  const names: Record<string, string> = {};
  if (state && typeof state === 'object' && !Array.isArray(state)) {
    for (const [id, model] of Object.entries(state as Record<string, { model_name?: unknown }>)) {
      if (typeof model?.model_name === 'string') {
        names[id] = model.model_name.replace(/Model$/, '');
      }
    }
  }
  return names;
}

/**
 * The text of a stream, result, display or error output, cleaned; other outputs give ''.
 *
 * @param output - The output.
 * @param options - The HTML converter and widget names.
 */
export function outputText(output: OutputJSON, options: OutputTextOptions): string {
  switch (output.output_type) {
    case 'stream':
      return cleanText(joinText(output.text));
    case 'execute_result':
    case 'display_data':
      return cleanText(Private.richText(output.data ?? {}, options));
    case 'error':
      return cleanText(Private.errorText(output));
    default:
      return '';
  }
}

namespace Private {
  /** A text field of a mime bundle ('' when absent or not text). */
  export function field(data: { [mime: string]: unknown }, mime: string): string {
    const value = data[mime];
    return typeof value === 'string' || Array.isArray(value) ? joinText(value as string[]) : '';
  }

  /**
   * The readable text of a mime bundle, in the order a reader gains most from:
   * a widget's marker; `text/plain` unless it is a bare repr; then Markdown, HTML (as
   * Markdown), LaTeX, JSON and SVG source; then the bare repr; else a note of the types.
   */
  export function richText(data: { [mime: string]: unknown }, options: OutputTextOptions): string {
    const plain = field(data, 'text/plain');
    if (data[WIDGET_VIEW_MIME] !== undefined) {
      const id = (data[WIDGET_VIEW_MIME] as { model_id?: unknown })?.model_id;
      const name = (typeof id === 'string' ? options.widgetNames?.[id] : undefined) ?? plain.trim();
      return `[widget: ${name || 'not saved with the notebook'}]`;
    }
    if (plain && !isBareRepr(plain)) {
      return plain;
    }
    const markdown = field(data, 'text/markdown');
    if (markdown.trim()) {
      return markdown;
    }
    const html = field(data, 'text/html');
    if (html.trim() && options.htmlToMarkdown) {
      const converted = options.htmlToMarkdown(html).trim();
      if (converted) {
        return converted;
      }
    }
    const latex = field(data, 'text/latex');
    if (latex.trim()) {
      return latex;
    }
    if (data['application/json'] !== undefined) {
      return JSON.stringify(data['application/json'], null, 2);
    }
    const svg = field(data, 'image/svg+xml');
    if (svg.trim()) {
      return svg;
    }
    return plain || `[${Object.keys(data).sort().join(', ')} output]`;
  }

  /**
   * The traceback, with `ename: evalue` once: added at the end unless the traceback already
   * ends with the error's own line (IPython's do; cut ones and some kernels' do not).
   */
  export function errorText(output: OutputJSON): string {
    const ename = output.ename ?? 'Error';
    const evalue = output.evalue ?? '';
    const line = evalue ? `${ename}: ${evalue}` : ename;
    const trace = stripAnsi((output.traceback ?? []).join('\n')).replace(/\s+$/, '');
    if (!trace) {
      return line;
    }
    const last = trace.slice(trace.lastIndexOf('\n') + 1).trim();
    // SyntaxError's line in the traceback drops the "(file, line n)" that evalue carries.
    const repeated = trace.includes(line) || last === ename || last.startsWith(`${ename}: `);
    return repeated ? trace : `${trace}\n${line}`;
  }
}
