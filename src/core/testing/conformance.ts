/**
 * The conformance table (`conformance/cases/*.json`) as the TypeScript core runs it: each case
 * is a notebook, the index of an AI cell (or `%%ai` code cell), settings, kernel variables and
 * doc files; its `expect` holds the exact body each provider is sent. pytest runs the same
 * cases against the kernel-side magic (`jupyterlab_aimagic/magic`), so a difference between
 * the two sides fails one of them.
 */
import { readFileSync, readdirSync, writeFileSync } from 'fs';
import { join, resolve } from 'path';
import { htmlToMarkdown } from '../context/html-markdown';
import { takesImages } from '../context/images';
import { DocLoader, docsToSend, droppedDocsError, loadDocs } from '../docs/docs';
import { NotebookJSON } from '../nbformat';
import { providerInfo } from '../providers/registry';
import { preparePrompt } from '../request/assemble';
import { notebookCacheKey } from '../request/cache-key';
import { AISettings, DEFAULT_SETTINGS, readNotebookOverrides } from '../settings';
import { ToolSpec } from '../types';

/** One row of the table. */
export interface ConformanceCase {
  description: string;
  notebook: NotebookJSON;
  /** Index of the cell to send. */
  cell: number;
  /** Settings over the defaults. */
  settings?: Partial<AISettings>;
  /** Values of `$`name`` variables, as the kernel gives them. */
  variables?: Record<string, string>;
  /** The notebook's path from the server root (doc paths are relative to it). */
  notebookPath?: string;
  /** Workspace files by path from the root (the docs). */
  files?: Record<string, string>;
  /** The providers of the settings to run the case with. */
  providers: string[];
  /** Tools offered (schemas as the kernel makes them), in order. */
  tools?: ToolSpec[];
  /** The exact body per provider, written by the TypeScript side on request. */
  expect?: Record<string, unknown>;
  /**
   * Where the Python side cannot give the same bytes (HTML to Markdown is node-html-markdown
   * here and html2text there): why, and what its body must contain instead.
   */
  python?: { differs: string; contains: string[] };
}

/** The folder of the table. */
export const CONFORMANCE_DIR = resolve(__dirname, '../../../conformance/cases');

/** The cases, by file name. */
export function readCases(): [string, ConformanceCase][] {
  return readdirSync(CONFORMANCE_DIR)
    .filter(f => f.endsWith('.json'))
    .sort()
    .map(f => [f, JSON.parse(readFileSync(join(CONFORMANCE_DIR, f), 'utf8')) as ConformanceCase]);
}

/** Write a case back (its `expect` updated). */
export function writeCase(file: string, c: ConformanceCase): void {
  writeFileSync(join(CONFORMANCE_DIR, file), JSON.stringify(c, null, 1) + '\n');
}

/**
 * The body the extension would send for a case, built as the frontend builds it: docs loaded
 * by the core, images when the provider takes them, the notebook's cache key.
 *
 * @param c - The case.
 * @param provider - The provider of the settings.
 */
export async function caseBody(c: ConformanceCase, provider: string): Promise<Record<string, unknown>> {
  const settings: AISettings = { ...DEFAULT_SETTINGS, ...(c.settings ?? {}), provider };
  const dropped = droppedDocsError(c.notebook.metadata);
  if (dropped) {
    throw new Error(dropped);
  }
  const files = c.files ?? {};
  const loader: DocLoader = {
    readFile: async path => {
      if (!Object.hasOwn(files, path)) {
        throw new Error(`${path} does not exist.`);
      }
      return { text: files[path] };
    },
    fetchURL: async url => {
      throw new Error(`the table does not fetch URLs (${url}).`);
    }
  };
  const refs = readNotebookOverrides(c.notebook.metadata).overrides.docs ?? [];
  const { docs, error } = docsToSend(await loadDocs(refs, { notebookPath: c.notebookPath ?? 'notebook.ipynb', loader }));
  if (error) {
    throw new Error(error);
  }
  const prepared = preparePrompt(c.notebook, c.cell, {
    settings,
    docs,
    cacheKey: notebookCacheKey(c.notebook),
    variables: c.variables ?? {},
    images: s => s.sendImages && takesImages(s.provider, s.model),
    tools: c.tools,
    htmlToMarkdown
  });
  return providerInfo(prepared.settings.provider).toBody(prepared.request);
}
