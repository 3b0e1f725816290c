/**
 * The dry run sends the notebook's docs exactly as the extension does: paths relative to the
 * notebook, URLs fetched (here from a local HTTP server) within the server route's limits.
 */
import { createServer, Server } from 'http';
import type { AddressInfo } from 'net';
import { mkdirSync, mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { preparePrompt } from '../core/request/assemble';
import { toAnthropicBody } from '../core/providers/anthropic-body';
import { DEFAULT_SETTINGS } from '../core/settings';
import { ai, notebook } from '../core/testing/notebooks';
import { main } from './aimagic';
import { fetchText, nodeDocLoader } from './node-doc-loader';

let server: Server;
let base = '';
const hits: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    hits.push(req.url ?? '');
    const send = (status: number, type: string, body: string | Buffer, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': type, ...headers });
      res.end(body);
    };
    switch (req.url) {
      case '/guide.md': return send(200, 'text/markdown; charset=utf-8', '# Remote Guide\nremote text\n');
      case '/lib/llms.txt': return send(200, 'text/plain', '# Lib\n> The lib.\n## Docs\n- [Page](page.md): a page\n## Optional\n- [Extra](extra.md)\n');
      case '/lib/page.md': return send(200, 'text/plain', 'page text');
      case '/big.txt': return send(200, 'text/plain', 'x'.repeat(3000));
      case '/image.png': return send(200, 'image/png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0]));
      case '/loop': return send(302, 'text/plain', '', { location: '/loop' });
      case '/to-guide': return send(301, 'text/plain', '', { location: '/guide.md' });
      case '/to-ftp': return send(302, 'text/plain', '', { location: 'ftp://x.org/a' });
      case '/slow': setTimeout(() => send(200, 'text/plain', 'late'), 1500); return;
      default: return send(404, 'text/plain', 'no');
    }
  });
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>(r => server.close(() => r())));

const limits = { maxBytes: 2000, timeoutMs: 800, maxRedirects: 3 };

describe('fetching within the limits', () => {
  it.each<[string, string | RegExp]>([
    ['/guide.md', '# Remote Guide\nremote text\n'],
    ['/to-guide', '# Remote Guide\nremote text\n'],
    ['/missing.md', /answered 404 Not Found for http/],
    ['/big.txt', /larger than the limit of 2,000 bytes/],
    ['/image.png', /Not a text document: the server says it is image\/png/],
    ['/loop', /More than 3 redirects/],
    ['/to-ftp', /Only http and https URLs can be fetched, not 'ftp:'/],
    ['/slow', /within 0.8 s/]
  ])('%s', async (path, expected) => {
    const got = fetchText(base + path, limits);
    if (typeof expected === 'string') {
      await expect(got).resolves.toBe(expected);
    } else {
      await expect(got).rejects.toThrow(expected);
    }
  });

  it.each<[string, string | Buffer, RegExp]>([
    ['binary.md', Buffer.from([1, 0, 2]), /binary data/],
    ['latin1.md', Buffer.from([0x63, 0x61, 0x66, 0xe9]), /not UTF-8 text/],
    ['big.md', 'y'.repeat(2001), /larger than the limit/]
  ])('a workspace file %s is refused', async (name, content, message) => {
    const root = mkdtempSync(join(tmpdir(), 'aimagic-files-'));
    writeFileSync(join(root, name), content);
    await expect(nodeDocLoader(root, limits).readFile(name)).rejects.toThrow(message);
  });
});

describe('aimagic prompt with docs', () => {
  const root = mkdtempSync(join(tmpdir(), 'aimagic-docs-'));
  mkdirSync(join(root, 'work', 'docs'), { recursive: true });
  writeFileSync(join(root, 'work', 'docs', 'local.md'), '# Local\nlocal text\n');
  writeFileSync(join(root, 'top.md'), 'top text');

  const write = (docs: unknown[]) => {
    const nb = { ...notebook(ai('p', 'Q')), metadata: { aimagic: { docs } } };
    const path = join(root, 'work', 'nb.ipynb');
    writeFileSync(path, JSON.stringify(nb));
    return { nb, path };
  };

  it('puts every enabled doc in the request, in order, with the same cache marks as the extension', async () => {
    const { nb, path } = write([
      { source: 'docs/local.md' },
      { source: `${base}/guide.md`, title: 'Guide' },
      { source: '/top.md', enabled: false },
      { source: `${base}/lib/llms.txt`, expand: true }
    ]);
    const out = await main(['prompt', path, '--cell', '0', '--root', root, '--summary']);
    expect(out.code).toBe(0);
    const docs = [
      { title: 'Local', source: 'docs/local.md', text: '# Local\nlocal text\n' },
      { title: 'Guide', source: `${base}/guide.md`, text: '# Remote Guide\nremote text\n' },
      {
        title: 'Lib',
        source: `${base}/lib/llms.txt`,
        text: `<project title="Lib" summary="The lib.">\n<section name="Docs">\n<page title="Page" source="${base}/lib/page.md" notes="a page">\npage text\n</page>\n</section>\n</project>`
      }
    ];
    expect(JSON.parse(out.stdout)).toEqual(toAnthropicBody(preparePrompt(nb, 0, { settings: DEFAULT_SETTINGS, docs }).request));
    expect(JSON.parse(out.stdout).system[3].cache_control).toEqual({ type: 'ephemeral' });
    expect(out.stderr).toContain('doc 3: "top.md" (/top.md) disabled');
    expect(hits).not.toContain('/lib/extra.md');
  });

  it.each<[string, unknown[], RegExp]>([
    ['a missing file', [{ source: 'docs/nope.md' }], /"nope.md" \(docs\/nope.md\): no file "work\/docs\/nope.md"\./],
    ['a 404', [{ source: 'BASE/gone.md' }], /"gone.md" \(http:.*\/gone.md\): The server answered 404/],
    ['a path outside the root', [{ source: '../../x.md' }], /points outside the Jupyter server's root/],
    ['an entry without a source', [{ src: 'docs/local.md' }], /aimagic.docs\[0\] needs a "source"/]
  ])('%s stops the dry run and says which doc and why', async (_name, docs, message) => {
    // The server's address is known only once it listens.
    const { path } = write(JSON.parse(JSON.stringify(docs).replace(/BASE/g, base)));
    const out = await main(['prompt', path, '--cell', '0', '--root', root]);
    expect(out.code).toBe(1);
    expect(out.stdout).toBe('');
    expect(out.stderr).toMatch(message);
    expect(out.stderr).toContain('the prompt was not sent');
  });
});

describe('the context docs example', () => {
  it('sends the expanded llms.txt (without its Optional section) and the style guide', async () => {
    const out = await main(['prompt', join(__dirname, '../../examples/context-docs/docs-demo.ipynb'), '--cell', '2']);
    expect(out.stderr).toBe('');
    const system = JSON.parse(out.stdout).system.map((b: { text: string }) => b.text);
    expect(system).toHaveLength(3);
    expect(system[1]).toContain('<page title="API reference" source="pages/api.md" notes="every function and its arguments">');
    expect(system[1]).not.toContain('Changelog');
    expect(system[2]).toMatch(/^<doc title="House style" source="style-guide.md">/);
  });
});
