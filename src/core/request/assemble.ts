/**
 * Notebook + cell index + settings -> the neutral request. The one path the extension and
 * the command-line dry run share, so what the dry run prints is what the cell sends.
 */
import { Dialogue, buildDialogue } from '../context/dialogue';
import { NotebookJSON } from '../nbformat';
import { HtmlConverter } from '../context/output-text';
import { readCellChoice, resolveModelChoice } from './model-choice';
import { buildChatRequest } from './prompt';
import { PROVIDERS } from '../providers/registry';
import { AISettings, NotebookOverrides, readNotebookOverrides } from '../settings';
import { ChatRequest, DocPart, ToolSpec } from '../types';

/** A request ready to send, with what went into it. */
export interface PreparedPrompt {
  request: ChatRequest;
  dialogue: Dialogue;
  /** Settings after the notebook's overrides. */
  settings: AISettings;
  overrides: NotebookOverrides;
  /** Problems found in the notebook's metadata (reported, not fatal). */
  problems: string[];
}

/** Inputs besides the notebook. */
export interface PrepareOptions {
  /** The user's settings. */
  settings: AISettings;
  /** Loaded text of the notebook's enabled docs, in order. */
  docs?: Omit<DocPart, 'cache'>[];
  /** Stable per-notebook cache key. */
  cacheKey?: string;
  /** Values of the kernel variables the prompt names; every name then needs one. */
  variables?: Record<string, string>;
  /**
   * Send PNG/JPEG outputs as images; a function decides from the settings in effect for
   * the cell (provider and model after the notebook's and the cell's choices).
   */
  images?: boolean | ((settings: AISettings) => boolean);
  /** Schemas of the tools the prompts offer (`offeredToolNames`), in that order. */
  tools?: ToolSpec[];
  /** HTML to Markdown for HTML-only results (the CLI and the extension both pass it). */
  htmlToMarkdown?: HtmlConverter;
}

/**
 * Prepare the request for the AI cell at `index`.
 *
 * @param notebook - The notebook JSON (cells after `index` are not read).
 * @param index - The AI cell's index.
 * @param options - Settings and docs.
 * @throws PromptError when the cell cannot be sent.
 */
export function preparePrompt(notebook: NotebookJSON, index: number, options: PrepareOptions): PreparedPrompt {
  const { overrides, problems } = readNotebookOverrides(notebook.metadata);
  const cell = readCellChoice(notebook.cells[index]?.metadata as Record<string, unknown> | undefined);
  problems.push(...cell.problems);
  const settings: AISettings = {
    ...options.settings,
    ...resolveModelChoice(
      [options.settings, { provider: overrides.provider, model: overrides.model }, cell.choice],
      id => (Object.hasOwn(PROVIDERS, id) ? PROVIDERS[id].defaultModel : undefined),
      Object.keys(PROVIDERS)
    )
  };
  const dialogue = buildDialogue(notebook, index, {
    ...settings,
    images: typeof options.images === 'function' ? options.images(settings) : options.images ?? false,
    variables: options.variables,
    htmlToMarkdown: options.htmlToMarkdown
  });
  const request = buildChatRequest(dialogue, {
    settings,
    mode: overrides.mode,
    notebookSystem: overrides.system,
    docs: options.docs,
    thinking: Private.thinking(notebook.cells[index]?.metadata, overrides.solveit.useThinking),
    cacheKey: options.cacheKey,
    tools: options.tools
  });
  return { request, dialogue, settings, overrides, problems };
}

namespace Private {
  /**
   * Whether a prompt thinks: its own `use_thinking` flag, else the dialog's
   * (`solveit.use_thinking`); a prompt set to false does not, whatever the dialog says.
   */
  export function thinking(metadata: { [key: string]: unknown } | undefined, dialog: boolean | undefined): boolean {
    const own = metadata?.use_thinking;
    return own === true || own === 1 || (own === undefined && dialog === true);
  }
}
