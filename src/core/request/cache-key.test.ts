/**
 * The per-notebook cache key is stable for one notebook and differs between notebooks.
 */
import { notebookCacheKey } from './cache-key';
import { NotebookJSON } from '../nbformat';

const nb = (metadata: Record<string, unknown>, cells: Record<string, unknown>[]) => ({ metadata, nbformat: 4, nbformat_minor: 5, cells }) as unknown as NotebookJSON;

describe('notebookCacheKey', () => {
  it.each([
    ['same first cell id, other content', nb({}, [{ id: 'a1', source: 'x' }]), nb({}, [{ id: 'a1', source: 'y' }, { id: 'b', source: '' }]), true],
    ['other first cell id', nb({}, [{ id: 'a1', source: 'x' }]), nb({}, [{ id: 'a2', source: 'x' }]), false],
    ['no ids: same first source', nb({}, [{ source: 'x' }]), nb({}, [{ source: 'x' }, { source: 'z' }]), true]
  ])('%s', (_name, a, b, same) => {
    expect(notebookCacheKey(a) === notebookCacheKey(b)).toBe(same);
    expect(notebookCacheKey(a)).toBe(notebookCacheKey(a));
    expect(notebookCacheKey(a)).toMatch(/^aimagic-[0-9a-f]{14,16}$/);
  });

  it('a key pinned in the metadata wins', () => {
    expect(notebookCacheKey(nb({ aimagic: { cacheKey: 'project-x' } }, [{ id: 'a' }]))).toBe('project-x');
  });
});
