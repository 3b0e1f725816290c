/**
 * A stable per-notebook key for providers that route requests to their prompt cache by key
 * (OpenAI's `prompt_cache_key`): the same notebook sends the same key from one prompt and
 * one session to the next, different notebooks send different keys. It never contains
 * anything volatile (time, random ids), so it never breaks the cached prefix.
 */
import { hashText } from '../hash';
import { NotebookJSON } from '../nbformat';

/**
 * The key of a notebook: `aimagic.cacheKey` from its metadata when set (a user can pin one),
 * else a hash of its first cell's id (nbformat 4.5 ids are saved in the file and survive
 * renames and moves), else of the notebook's first cell source.
 *
 * @param notebook - The notebook JSON.
 */
export function notebookCacheKey(notebook: NotebookJSON): string {
  const meta = notebook.metadata?.aimagic as { cacheKey?: unknown } | undefined;
  if (typeof meta?.cacheKey === 'string' && meta.cacheKey.trim()) {
    return meta.cacheKey.trim();
  }
  const first = notebook.cells[0] as { id?: unknown; source?: unknown } | undefined;
  const basis = typeof first?.id === 'string' && first.id ? `id:${first.id}` : `source:${String(first?.source ?? '')}`;
  return `aimagic-${hashText(basis)}`;
}
