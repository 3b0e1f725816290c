import { isRemoteSource, srcsetURLs } from './remote-source';

const ORIGIN = 'http://localhost:8888';

describe('image sources that load from another host', () => {
  it.each<[string, boolean]>([
    ['https://evil.example/p.png?q=secret', true],
    ['http://127.0.0.1:9999/p.png', true],
    ['//evil.example/p.png', true],
    ['HTTPS://EVIL.EXAMPLE/p.png', true],
    ['http://localhost:8889/p.png', true], // another port is another origin
    ['ftp://evil.example/p.png', true],
    ['javascript:alert(1)', true],
    ['http://[::1', true], // unparseable
    ['http://localhost:8888/files/plot.png', false],
    ['/files/plot.png', false],
    ['plot.png', false],
    ['../img/plot.png', false],
    ['attachment:image.png', false],
    ['data:image/png;base64,iVBORw0KGgo=', false],
    ['blob:http://localhost:8888/1234', false],
    ['', false]
  ])('%s -> %s', (src, remote) => {
    expect(isRemoteSource(src, ORIGIN)).toBe(remote);
  });

  it('reads the URLs of a srcset', () => {
    expect(srcsetURLs('a.png 1x, https://evil.example/b.png 2x,c.png')).toEqual(['a.png', 'https://evil.example/b.png', 'c.png']);
  });
});
