import { htmlToMarkdown } from './html-markdown';

describe('htmlToMarkdown', () => {
  it.each([
    ['bold, links, lists', '<b>bold</b> &amp; <a href="http://x">link</a><ul><li>one</li><li>two</li></ul>', '**bold** & [link](http://x)\n- one\n- two'],
    ['scripts and styles go', '<style>p{color:red}</style><p>text</p><script>alert(1)</script>', 'text'],
    ['a pipe inside a cell is escaped', '<table><tr><th>a</th></tr><tr><td>x|y</td></tr></table>', '| a    |\n| ---- |\n| x\\|y |'],
    ['inline data images are not sent as text', '<p>see</p><img src="data:image/png;base64,iVBORw0KGgo=" alt="plot">', 'see'],
    ['code blocks stay fenced', '<pre><code>x = 1</code></pre>', '```\nx = 1\n```']
  ])('%s', (_name, html, expected) => {
    expect(htmlToMarkdown(html)).toBe(expected);
  });
});
