/**
 * Where the runner gets a notebook's context docs and the cost of a reply. The context docs
 * plugin installs the real ones; without it, a notebook that names docs is refused rather
 * than sent without them.
 */
import { INotebookModel } from '@jupyterlab/notebook';
import { estimateCost } from '../core/reply/pricing';
import { readNotebookOverrides } from '../core/settings';
import { DocPart, Usage } from '../core/types';

/** The docs a prompt sends, or why it must not be sent. */
export interface PromptDocs {
  docs: Omit<DocPart, 'cache'>[];
  /** Set when an enabled doc could not be loaded: the prompt is not sent. */
  error?: string;
  /** Something the reply should say about its docs (an older copy was sent). */
  notice?: string;
}

/** What the context docs plugin provides to the runner. */
export interface DocsHooks {
  /**
   * Load the enabled docs of a notebook for a prompt.
   *
   * @param notebook - The notebook model.
   */
  forPrompt(notebook: INotebookModel): Promise<PromptDocs>;
  /**
   * The cost of a reply in USD, or undefined for an unknown model.
   *
   * @param model - Model id.
   * @param usage - The reply's usage.
   */
  cost(model: string, usage: Usage): number | undefined;
}

let hooks: DocsHooks | null = null;

/**
 * Install the hooks (the context docs plugin does, once).
 *
 * @param value - The hooks.
 */
export function setDocsHooks(value: DocsHooks): void {
  hooks = value;
}

/**
 * The docs of a notebook for a prompt.
 *
 * @param notebook - The notebook model.
 */
export async function docsForPrompt(notebook: INotebookModel): Promise<PromptDocs> {
  if (hooks) {
    return hooks.forPrompt(notebook);
  }
  const { overrides } = readNotebookOverrides(notebook.metadata as Record<string, unknown>);
  if ((overrides.docs ?? []).some(d => d.enabled !== false)) {
    return {
      docs: [],
      error: 'This notebook has context docs, but the AI Magic context docs plugin is not running, so the prompt was not sent. Enable jupyterlab-aimagic:docs, or disable the docs.'
    };
  }
  return { docs: [] };
}

/**
 * The cost of a reply with the prices from the settings (the table alone without the plugin).
 *
 * @param model - Model id.
 * @param usage - The reply's usage.
 */
export function replyCost(model: string, usage: Usage): number | undefined {
  return hooks ? hooks.cost(model, usage) : estimateCost(model, usage);
}
