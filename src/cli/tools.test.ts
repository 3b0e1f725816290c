/**
 * The dry run with tools: earlier tool calls print as the provider's tool turns, exactly as
 * sent; `--tools FILE.json` stands in for the kernel for the names the prompts offer, and a
 * name without a schema stops the run with a message naming it.
 */
import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { appendToolBlock } from '../core/context/tool-blocks';
import { ai, code, notebook } from '../core/testing/notebooks';
import { main } from './aimagic';

const dir = mkdtempSync(join(tmpdir(), 'aimagic-cli-tools-'));
const reply = appendToolBlock('Checking.', { id: 'toolu_1', name: 'add', args: { a: 1, b: 2 }, result: '3' }) + 'It is 3.';
const nb = notebook(code('c', 'def add(a, b): return a + b'), ai('p1', 'Add with &`add`.', reply), ai('p2', 'Now use &`[add, mul]`.'));
const path = join(dir, 'tools.ipynb');
writeFileSync(path, JSON.stringify(nb));
const schemas = join(dir, 'schemas.json');
writeFileSync(
  schemas,
  JSON.stringify({
    add: { description: 'Add two numbers.', parameters: { type: 'object', properties: { a: { type: 'integer' }, b: { type: 'integer' } } } },
    mul: { type: 'object', description: 'Multiply.', properties: { x: { type: 'number' } } }
  })
);

describe('aimagic prompt with tools', () => {
  it('prints the tools in the order offered and earlier calls as tool turns', async () => {
    const out = await main(['prompt', path, '--cell', '2', '--tools', schemas]);
    expect(out.stderr).toBe('');
    const body = JSON.parse(out.stdout);
    expect(body.tools).toEqual([
      { name: 'add', description: 'Add two numbers.', input_schema: { type: 'object', properties: { a: { type: 'integer' }, b: { type: 'integer' } } } },
      { name: 'mul', description: 'Multiply.', input_schema: { type: 'object', properties: { x: { type: 'number' } } } }
    ]);
    expect(body.messages.map((m: { role: string; content: Array<{ type: string }> }) => [m.role, m.content.map(b => b.type)])).toEqual([
      ['user', ['text']],
      ['assistant', ['text', 'tool_use']],
      ['user', ['tool_result']],
      ['assistant', ['text']],
      ['user', ['text']]
    ]);
  });

  it('prints OpenAI tool_calls and tool messages for OpenAI', async () => {
    const out = await main(['prompt', path, '--cell', '2', '--tools', schemas, '--provider', 'openai', '--model', 'gpt-5.1-mini']);
    const body = JSON.parse(out.stdout);
    expect(body.messages.map((m: { role: string }) => m.role)).toEqual(['system', 'user', 'assistant', 'tool', 'assistant', 'user']);
    expect(body.messages[2].tool_calls[0]).toEqual({ id: 'toolu_1', type: 'function', function: { name: 'add', arguments: '{"a":1,"b":2}' } });
  });

  it.each<[string, string[], RegExp]>([
    ['no --tools', [], /no schema for &`add`, &`mul`: the dry run has no kernel to describe them\. Pass --tools FILE\.json/],
    ['a name missing from the file', ['--tools', join(dir, 'one.json')], /no schema for &`mul`: /]
  ])('%s: says which names it could not resolve', async (_name, flags, message) => {
    writeFileSync(join(dir, 'one.json'), JSON.stringify({ add: { type: 'object', properties: {} } }));
    const out = await main(['prompt', path, '--cell', '2', ...flags]);
    expect(out.code).toBe(1);
    expect(out.stdout).toBe('');
    expect(out.stderr).toMatch(message);
  });
});
