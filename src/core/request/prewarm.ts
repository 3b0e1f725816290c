/**
 * Pre-warming the docs prefix (DESIGN §3): one non-streamed request with `max_tokens: 0`
 * whose system blocks are byte-identical to a prompt's (instructions, then the docs with
 * their cache mark), so the docs are written to the cache before the first prompt and that
 * prompt reads them. The message is a placeholder after the last breakpoint: it is never
 * part of the cached prefix.
 */
import { preparePrompt } from './assemble';
import { NotebookJSON } from '../nbformat';
import { toAnthropicBody } from '../providers/anthropic-body';
import { AISettings } from '../settings';
import { DocPart } from '../types';

/**
 * The Anthropic body that writes a notebook's docs prefix to the cache, or null without docs.
 *
 * @param metadata - The notebook's metadata (mode, extra instructions and model apply).
 * @param settings - The user's settings.
 * @param docs - The loaded docs, in order.
 */
export function prewarmBody(metadata: NotebookJSON['metadata'], settings: AISettings, docs: Omit<DocPart, 'cache'>[]): Record<string, unknown> | null {
  if (!docs.length) {
    return null;
  }
  const notebook: NotebookJSON = { cells: [{ cell_type: 'markdown', source: 'Pre-warm the cache.', metadata: { solveit_ai: true } }], metadata };
  const { request } = preparePrompt(notebook, 0, { settings, docs });
  const body = toAnthropicBody({ ...request, thinkingBudget: undefined, turns: [{ role: 'user', parts: [{ type: 'text', text: 'Pre-warm the cache.' }] }] });
  delete body.stream;
  body.max_tokens = 0;
  return body;
}
