import { preparePrompt } from './assemble';
import { toAnthropicBody } from '../providers/anthropic-body';
import { DEFAULT_SETTINGS } from '../settings';
import { ai, code, note, notebook, stdout } from '../testing/notebooks';

const settings = { ...DEFAULT_SETTINGS };

/** All cache_control marks of an Anthropic body, as paths. */
function marks(body: Record<string, unknown>): string[] {
  const found: string[] = [];
  (body.system as { cache_control?: unknown }[]).forEach((b, i) => b.cache_control && found.push(`system[${i}]${JSON.stringify(b.cache_control)}`));
  (body.messages as { content: { cache_control?: unknown }[] }[]).forEach((m, i) =>
    m.content.forEach((b, j) => b.cache_control && found.push(`messages[${i}][${j}]${JSON.stringify(b.cache_control)}`))
  );
  return found;
}

describe('request assembly (Anthropic body)', () => {
  it('lays out system, dialogue and streaming', () => {
    const nb = notebook(code('c', 'x = 41', [stdout('ok\n')], 1), ai('p', 'Add one'));
    const body = toAnthropicBody(preparePrompt(nb, 1, { settings }).request);
    expect(Object.keys(body)).toEqual(['model', 'max_tokens', 'system', 'messages', 'stream']);
    expect(body.model).toBe(DEFAULT_SETTINGS.model);
    expect(body.stream).toBe(true);
    expect((body.system as { text: string }[])[0].text).toContain('Jupyter notebook');
    expect(body.messages).toEqual([
      {
        role: 'user',
        content: [
          {
            type: 'text',
            text: '<cell id="c" type="code" execution_count="1">\n<source>\nx = 41\n</source>\n<output type="stream" name="stdout">\nok\n</output>\n</cell>\n\nAdd one',
            cache_control: { type: 'ephemeral' }
          }
        ]
      }
    ]);
  });

  it.each<[string, ReturnType<typeof notebook>, number, Parameters<typeof preparePrompt>[2]['docs'], string[]]>([
    ['one prompt: the last block', notebook(ai('p', 'Q')), 0, [], ['messages[0][0]{"type":"ephemeral"}']],
    [
      'a dialogue: previous reply and last block',
      notebook(ai('1', 'Q1', 'R1'), ai('2', 'Q2', 'R2'), ai('3', 'Q3')),
      2,
      [],
      ['messages[3][0]{"type":"ephemeral"}', 'messages[4][0]{"type":"ephemeral"}']
    ],
    [
      'docs: after the last doc, 1h first',
      notebook(ai('1', 'Q1', 'R1'), ai('2', 'Q2')),
      1,
      [{ title: 'A', source: 'a.md', text: 'doc A' }, { title: 'B', source: 'b.md', text: 'doc B' }],
      ['system[2]{"type":"ephemeral","ttl":"1h"}', 'messages[1][0]{"type":"ephemeral"}', 'messages[2][0]{"type":"ephemeral"}']
    ]
    ,
    [
      'pinned cells: after the docs, in the cached prefix',
      notebook(note('pin', 'P', { pinned: true }), ai('1', 'Q1', 'R1'), ai('2', 'Q2')),
      2,
      [{ title: 'A', source: 'a.md', text: 'doc A' }],
      ['system[1]{"type":"ephemeral","ttl":"1h"}', 'messages[0][0]{"type":"ephemeral"}', 'messages[1][0]{"type":"ephemeral"}', 'messages[2][0]{"type":"ephemeral"}']
    ],
    [
      'pinned cells of a first prompt: their own mark before the last block',
      notebook(note('pin', 'P', { pinned: true }), note('n', 'N'), ai('1', 'Q1')),
      2,
      [],
      ['messages[0][0]{"type":"ephemeral"}', 'messages[0][1]{"type":"ephemeral"}']
    ]
  ])('cache marks: %s', (_name, nb, index, docs, expected) => {
    const s = { ...settings, docsCacheTTL: '1h' as const };
    const body = toAnthropicBody(preparePrompt(nb, index, { settings: s, docs }).request);
    expect(marks(body)).toEqual(expected);
    expect(marks(body).length).toBeLessThanOrEqual(4);
  });

  it('keeps the prefix byte-identical when a cell is added below', () => {
    const before = notebook(note('n', 'Intro'), ai('1', 'Q1', 'R1'), ai('2', 'Q2'));
    const after = notebook(note('n', 'Intro'), ai('1', 'Q1', 'R1'), ai('2', 'Q2', 'R2'), code('c', 'x', [], 2), ai('3', 'Q3'));
    const a = toAnthropicBody(preparePrompt(before, 2, { settings }).request);
    const b = toAnthropicBody(preparePrompt(after, 4, { settings }).request);
    // Anthropic matches the prefix by content; cache_control marks are not part of it.
    const prefix = (body: Record<string, unknown>) =>
      JSON.stringify([body.model, body.system, (body.messages as unknown[]).slice(0, 2)], (k, v) => (k === 'cache_control' ? undefined : v));
    expect(prefix(b)).toBe(prefix(a));
  });

  it.each([
    ['learning', 'The user is learning'],
    ['concise', 'Be concise']
  ])('dialog mode %s selects its instructions', (mode, text) => {
    const nb = { ...notebook(ai('p', 'Q')), metadata: { solveit_dialog_mode: mode } };
    expect(preparePrompt(nb, 0, { settings }).request.system).toContain(text);
  });

  it('applies notebook overrides and reports invalid metadata without failing', () => {
    const nb = { ...notebook(ai('p', 'Q')), metadata: { aimagic: { model: 'claude-opus-5-5', provider: 42, system: 'Answer in French.' } } };
    const prepared = preparePrompt(nb, 0, { settings });
    expect(prepared.request.model).toBe('claude-opus-5-5');
    expect(prepared.request.system).toContain('Answer in French.');
    expect(prepared.problems).toEqual(['aimagic.provider must be a non-empty string; it is ignored.']);
  });

  it('asks for thinking on use_thinking prompts', () => {
    const nb = notebook(ai('p', 'Q', undefined, { use_thinking: true }));
    const body = toAnthropicBody(preparePrompt(nb, 0, { settings: { ...settings, maxTokens: 1000, thinkingBudget: 2048 } }).request);
    expect(body.thinking).toEqual({ type: 'enabled', budget_tokens: 2048 });
    expect(body.max_tokens).toBeGreaterThan(2048);
  });
});
