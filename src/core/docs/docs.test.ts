import { DocLoader, LoadedText, UNFETCHED_REASON, docTitle, docsToSend, droppedDocsError, loadDocs, resolveSource } from './docs';
import { DocRef } from '../settings';

/** A loader over an in-memory workspace and web; records what was read. */
function memoryLoader(files: Record<string, string>, web: Record<string, string | LoadedText>): DocLoader & { reads: string[] } {
  const reads: string[] = [];
  return {
    reads,
    async readFile(path) {
      reads.push(path);
      if (!(path in files)) {
        throw new Error(`no file "${path}".`);
      }
      return { text: files[path] };
    },
    async fetchURL(url) {
      reads.push(url);
      const page = web[url];
      if (page === undefined) {
        throw new Error('404 Not Found.');
      }
      return typeof page === 'string' ? { text: page } : page;
    }
  };
}

describe('doc sources', () => {
  it.each<[string, string, object]>([
    ['a.md', 'work/nb.ipynb', { kind: 'file', path: 'work/a.md' }],
    ['./docs/a.md', 'work/nb.ipynb', { kind: 'file', path: 'work/docs/a.md' }],
    ['../a.md', 'work/nb.ipynb', { kind: 'file', path: 'a.md' }],
    ['/top/a.md', 'work/nb.ipynb', { kind: 'file', path: 'top/a.md' }],
    ['a.md', 'nb.ipynb', { kind: 'file', path: 'a.md' }],
    ['../../a.md', 'work/nb.ipynb', { kind: 'invalid', reason: '"../../a.md" points outside the Jupyter server\'s root.' }],
    ['https://x.org/a b.md', 'nb.ipynb', { kind: 'url', url: 'https://x.org/a%20b.md' }],
    ['ftp://x.org/a.md', 'nb.ipynb', { kind: 'invalid', reason: 'only http and https URLs can be fetched, not "ftp:".' }],
    ['page.md', 'https://x.org/docs/llms.txt', { kind: 'url', url: 'https://x.org/docs/page.md' }],
    ['/page.md', 'https://x.org/docs/llms.txt', { kind: 'url', url: 'https://x.org/page.md' }]
  ])('%s from %s', (source, base, expected) => {
    expect(resolveSource(source, base)).toEqual(expected);
  });

  it.each<[DocRef, string | undefined, string]>([
    [{ source: 'a.md', title: ' Given ' }, '# H1', 'Given'],
    [{ source: 'a.md' }, 'intro\n# The Heading\n', 'The Heading'],
    [{ source: 'dir/notes.txt' }, 'no heading', 'notes.txt'],
    [{ source: 'https://x.org/guide/' }, undefined, 'guide']
  ])('title of %p', (ref, text, title) => {
    expect(docTitle(ref, text)).toBe(title);
  });
});

describe('loading docs', () => {
  const files = {
    'work/guide.md': '# Guide\nUse widgets.',
    'work/llms.txt': '# Lib\n> Summary\n## Docs\n- [Start](start.md)\n- [Remote](https://x.org/remote.md)\n## Optional\n- [More](more.md)',
    'work/start.md': 'start page',
    'work/more.md': 'more page',
    'work/bin.dat': 'a\u0000b'
  };
  const web = { 'https://x.org/remote.md': 'remote page', 'https://x.org/old.md': { text: 'old copy', stale: 'the server did not answer (timeout).' } };

  it('loads in order, lists disabled docs without reading them, estimates tokens', async () => {
    const loader = memoryLoader(files, web);
    const refs: DocRef[] = [{ source: 'guide.md' }, { source: 'https://x.org/remote.md', title: 'Remote' }, { source: 'gone.md', enabled: false }];
    const statuses = await loadDocs(refs, { notebookPath: 'work/nb.ipynb', loader });
    expect(statuses.map(s => [s.title, s.state])).toEqual([['Guide', 'loaded'], ['Remote', 'loaded'], ['gone.md', 'disabled']]);
    expect(statuses[0].tokens).toBeGreaterThan(5);
    expect(loader.reads).toEqual(['work/guide.md', 'https://x.org/remote.md']);
    expect(docsToSend(statuses)).toEqual({
      docs: [
        { title: 'Guide', source: 'guide.md', text: '# Guide\nUse widgets.' },
        { title: 'Remote', source: 'https://x.org/remote.md', text: 'remote page' }
      ]
    });
  });

  it.each<[string, DocRef, string]>([
    ['missing file', { source: 'nope.md' }, 'no file "work/nope.md".'],
    ['404', { source: 'https://x.org/missing.md' }, '404 Not Found.'],
    ['binary', { source: 'bin.dat' }, 'not a text file (it holds binary data).'],
    ['bad scheme', { source: 'file:///etc/passwd' }, 'only http and https URLs can be fetched, not "file:".'],
    ['an expanded llms.txt whose page fails', { source: 'llms.txt', expand: true, optional: true }, 'its page "More" (more.md) could not be loaded: no file "work/more.md".']
  ])('a failed doc (%s) says why and stops the prompt', async (_name, ref, reason) => {
    const { 'work/more.md': _gone, ...withoutMore } = files;
    const [status] = await loadDocs([ref], { notebookPath: 'work/nb.ipynb', loader: memoryLoader(withoutMore, web) });
    expect(status).toMatchObject({ state: 'failed', reason });
    const { docs, error } = docsToSend([status]);
    expect(docs).toEqual([]);
    expect(error).toContain(`(${ref.source}): ${reason}`);
    expect(error).toContain('the prompt was not sent');
  });

  it('expand on a doc that is not named llms.txt uses it as is', async () => {
    const [status] = await loadDocs([{ source: 'https://x.org/remote.md', expand: true }], { notebookPath: 'nb.ipynb', loader: memoryLoader({}, web) });
    expect(status).toMatchObject({ state: 'loaded', text: 'remote page' });
  });

  it('an llms.txt without a title cannot be expanded', async () => {
    const [status] = await loadDocs([{ source: 'llms.txt', expand: true }], { notebookPath: 'nb.ipynb', loader: memoryLoader({ 'llms.txt': 'no title' }, web) });
    expect(status).toMatchObject({ state: 'failed', reason: 'it is not an llms.txt (no "# Title" line), so it cannot be expanded.' });
  });

  it('a stale copy is sent and marked stale', async () => {
    const [status] = await loadDocs([{ source: 'https://x.org/old.md' }], { notebookPath: 'nb.ipynb', loader: memoryLoader({}, web) });
    expect(status).toMatchObject({ state: 'stale', reason: 'the server did not answer (timeout).', text: 'old copy' });
    expect(docsToSend([status]).docs).toHaveLength(1);
  });

  it.each<[string, DocRef, string[], string[]]>([
    ['as is', { source: 'llms.txt' }, ['# Lib'], ['<project']],
    ['expanded without Optional', { source: 'llms.txt', expand: true }, ['<project title="Lib" summary="Summary">', 'start page', 'remote page'], ['more page']],
    ['expanded with Optional', { source: 'llms.txt', expand: true, optional: true }, ['start page', 'more page', '<page title="More" source="more.md">'], []]
  ])('an llms.txt %s', async (_name, ref, present, absent) => {
    const [status] = await loadDocs([ref], { notebookPath: 'work/nb.ipynb', loader: memoryLoader(files, web) });
    expect(status.state).toBe('loaded');
    expect(status.title).toBe('Lib');
    present.forEach(t => expect(status.text).toContain(t));
    absent.forEach(t => expect(status.text).not.toContain(t));
  });

  describe('loading docs before the user acted in the notebook', () => {
    it.each<[string, DocRef, string]>([
      ['a URL', { source: 'https://x.org/api.md' }, 'unfetched'],
      ['a URL llms.txt', { source: 'https://x.org/llms.txt', expand: true }, 'unfetched'],
      ['a file llms.txt whose pages are URLs', { source: 'llms.txt', expand: true }, 'unfetched'],
      ['a workspace file', { source: 'guide.md' }, 'loaded'],
      ['a disabled URL', { source: 'https://x.org/api.md', enabled: false }, 'disabled']
    ])('%s is %s, and nothing is fetched', async (_name, ref, state) => {
      const loader = memoryLoader(files, web);
      const [status] = await loadDocs([ref], { notebookPath: 'work/nb.ipynb', loader, fetchURLs: false });
      expect(status.state).toBe(state);
      expect(loader.reads.filter(r => r.startsWith('http'))).toEqual([]);
      if (state === 'unfetched') {
        expect(status.reason).toBe(UNFETCHED_REASON);
        expect(docsToSend([status]).error).toContain('could not be loaded, so the prompt was not sent');
      }
    });
  });
});

describe('docs metadata that would drop a doc', () => {
  it.each<[string, unknown, string | null]>([
    ['no docs', undefined, null],
    ['valid docs', { docs: [{ source: 'a.md' }] }, null],
    ['a bad title drops nothing', { docs: [{ source: 'a.md', title: 3 }] }, null],
    ['an entry without a source', { docs: [{ src: 'a.md' }] }, 'aimagic.docs[0] needs a "source"'],
    ['docs not a list', { docs: 'a.md' }, 'aimagic.docs must be a list']
  ])('%s', (_name, aimagic, expected) => {
    const error = droppedDocsError(aimagic === undefined ? {} : { aimagic });
    if (expected === null) {
      expect(error).toBeUndefined();
    } else {
      expect(error).toContain(expected);
      expect(error).toContain('the prompt was not sent');
    }
  });
});
