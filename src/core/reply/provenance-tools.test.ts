/**
 * A reply of a tool loop records its calls and steps, and the footer says how many and how
 * it ended; usage and cost are the sums the loop gives.
 */
import { footerText, provenanceOf } from './provenance';
import { ReplyResult } from './reply';

const result = (calls: number, steps: number, stopReason = 'end_turn'): ReplyResult => ({
  text: 'Done',
  stopReason,
  usage: { input: 10, output: 20, cacheRead: 0, cacheWrite: 0 },
  model: 'claude-sonnet-5-5',
  durationMs: 2000,
  toolCalls: Array.from({ length: calls }, (_, i) => ({ id: `t${i}`, name: 'f', args: {} })),
  thinking: '',
  steps
});

describe('tool loop provenance', () => {
  it.each<[string, ReplyResult, RegExp, Record<string, unknown>]>([
    ['no tools', result(0, 1), /· 20 out · 2\.0 s$/, {}],
    ['one call', result(1, 2), /· 20 out · 2\.0 s · 1 tool call in 2 steps$/, { toolCalls: 1, steps: 2 }],
    ['calls in one step (step limit)', result(3, 1, 'step_limit'), /· 3 tool calls · stopped at the step limit$/, { toolCalls: 3 }],
    ['stopped mid-loop', result(2, 3, 'stopped'), /· 2 tool calls in 3 steps · stopped$/, { toolCalls: 2, steps: 3 }]
  ])('%s', (_name, r, footer, recorded) => {
    const p = provenanceOf('anthropic', r, {});
    expect(p).toMatchObject(recorded);
    if (!recorded.steps) {
      expect(p.steps).toBeUndefined();
    }
    expect(footerText(p)).toMatch(footer);
  });
});
