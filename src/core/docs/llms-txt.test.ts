import { expandLlmsTxt, isLlmsTxtSource, linksToExpand, parseLlmsTxt } from './llms-txt';

const LLMS = `# FastWidget

> A small widget library: one call draws a widget.

Widgets are drawn with \`draw()\`.

\`\`\`md
## Not a section
- [not a link](nowhere.md)
\`\`\`

## Docs

- [Quick start](https://example.org/start.md): read this first
- [API](api.md)
Some prose between links is ignored.

## Optional

- [History](https://example.org/history.md)
`;

describe('llms.txt', () => {
  it('parses title, summary, details and sections of links', () => {
    const parsed = parseLlmsTxt(LLMS)!;
    expect(parsed.title).toBe('FastWidget');
    expect(parsed.summary).toBe('A small widget library: one call draws a widget.');
    expect(parsed.details).toContain('Widgets are drawn with `draw()`.');
    expect(parsed.details).toContain('## Not a section');
    expect(parsed.sections).toEqual([
      {
        name: 'Docs',
        links: [
          { title: 'Quick start', href: 'https://example.org/start.md', notes: 'read this first' },
          { title: 'API', href: 'api.md', notes: '' }
        ]
      },
      { name: 'Optional', links: [{ title: 'History', href: 'https://example.org/history.md', notes: '' }] }
    ]);
  });

  it.each<[string, string, object | null]>([
    ['no H1: not an llms.txt', 'Just text\n## Docs\n- [a](a.md)', null],
    ['title only', '# T', { title: 'T', summary: '', details: '', sections: [] }],
    ['multi-line summary is joined', '# T\n> one\n> two\n', { title: 'T', summary: 'one two', details: '', sections: [] }],
    ['CRLF and * bullets', '# T\r\n## S\r\n* [x](<x.md>)\r\n', { title: 'T', summary: '', details: '', sections: [{ name: 'S', links: [{ title: 'x', href: 'x.md', notes: '' }] }] }]
  ])('%s', (_name, text, expected) => {
    expect(parseLlmsTxt(text)).toEqual(expected);
  });

  it.each<[boolean, string[]]>([
    [false, ['Quick start', 'API']],
    [true, ['Quick start', 'API', 'History']]
  ])('expansion with Optional=%p fetches %p', (optional, titles) => {
    expect(linksToExpand(parseLlmsTxt(LLMS)!, optional).map(l => l.link.title)).toEqual(titles);
  });

  it('joins pages llms-ctx style, each with its title and source', () => {
    const parsed = parseLlmsTxt(LLMS)!;
    const pages = linksToExpand(parsed, false).map(({ section, link }) => ({ section, link, source: link.href, text: `text of ${link.title}\n\n` }));
    expect(expandLlmsTxt(parsed, pages)).toBe(
      [
        '<project title="FastWidget" summary="A small widget library: one call draws a widget.">',
        parsed.details,
        '<section name="Docs">',
        '<page title="Quick start" source="https://example.org/start.md" notes="read this first">',
        'text of Quick start',
        '</page>',
        '<page title="API" source="api.md">',
        'text of API',
        '</page>',
        '</section>',
        '</project>'
      ].join('\n')
    );
  });

  it.each<[string, boolean]>([
    ['llms.txt', true],
    ['docs/llms.txt', true],
    ['https://example.org/llms.txt?x=1', true],
    ['llms-full.txt', false],
    ['notllms.txt', false]
  ])('%s is an llms.txt source: %p', (source, yes) => {
    expect(isLlmsTxtSource(source)).toBe(yes);
  });
});
