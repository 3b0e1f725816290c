/**
 * Everything a prompt needs before it is sent, gathered at the edge: the snapshot of the
 * cells above, the kernel variables it names, its images scaled to the provider's limits.
 * The runner and "show prompt" both use it, so what is shown is what is sent.
 */
import { ISessionContext } from '@jupyterlab/apputils';
import { INotebookModel } from '@jupyterlab/notebook';
import { splitAICell } from '../core/context/aicell';
import { PrepareOptions, PreparedPrompt, preparePrompt } from '../core/request/assemble';
import { notebookCacheKey } from '../core/request/cache-key';
import { AISettings } from '../core/settings';
import { findVariables } from '../core/context/variables';
import { fetchVariables } from './kernel-variables';
import { describeKernelTools } from './kernel-tools';
import { offeredToolNames } from '../core/request/tool-offer';
import { snapshotNotebook } from './snapshot';

/** A prepared prompt and the variable values it carries. */
export interface PreparedCell extends PreparedPrompt {
  /** The values of the `$`name`` variables, as sent (recorded on the reply). */
  variables: Record<string, string>;
}

/** What {@link prepareCell} needs besides the notebook. */
export interface PrepareCellOptions extends Partial<Omit<PrepareOptions, 'settings' | 'variables' | 'images'>> {
  settings: AISettings;
  /** The notebook's session, for the variables. */
  sessionContext?: ISessionContext;
  signal?: AbortSignal;
}

/**
 * Prepare the request of the AI cell at `index`.
 *
 * @param notebook - The notebook model.
 * @param index - The AI cell's index.
 * @param options - Settings, session, docs.
 * @throws PromptError when the prompt cannot be sent (empty, unknown variable, no kernel).
 */
export async function prepareCell(notebook: INotebookModel, index: number, options: PrepareCellOptions): Promise<PreparedCell> {
  const { settings, sessionContext, signal, ...rest } = options;
  const snapshot = snapshotNotebook(notebook, index);
  const { prompt } = splitAICell(snapshot.cells[index]?.source ?? '');
  const variables = await fetchVariables(sessionContext, findVariables(prompt), signal);
  // The tools named by the prompts in the context, described by the kernel (schemas from
  // signatures and docstrings); a name that cannot be offered stops the prompt here.
  const toolNames = offeredToolNames(snapshot, index);
  const tools = toolNames.length ? await describeKernelTools(sessionContext, toolNames, signal) : [];
  // Loaded on the first prompt, not at start-up: the image codecs and the HTML parser are
  // most of the core's size.
  const [{ prepareImages }, { htmlToMarkdown }] = await Promise.all([import('../core/request/prepare-images'), import('../core/context/html-markdown')]);
  const images = await prepareImages(snapshot, settings);
  const cacheKey = rest.cacheKey ?? notebookCacheKey(snapshot);
  const prepared = preparePrompt(snapshot, index, { ...rest, settings, variables, images, cacheKey, htmlToMarkdown, tools });
  return { ...prepared, variables };
}
