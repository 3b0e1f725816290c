import { replyTurns } from './reply-turns';
import { appendToolBlock, writeThinking } from './tool-blocks';
import { Turn } from '../types';

const call = (id: string, result = `r${id}`, isError = false) => ({ id, name: 'f', args: { x: id }, result, isError });
const use = (id: string) => ({ type: 'tool_use', id, name: 'f', args: { x: id } });
const res = (id: string, result = `r${id}`) => ({ type: 'tool_result', id, result });
const text = (t: string) => ({ type: 'text', text: t });

describe('replyTurns', () => {
  it.each<[string, string, Turn[]]>([
    ['text only', 'Hello.', [{ role: 'assistant', parts: [text('Hello.')] }] as Turn[]],
    [
      'text, a call, text',
      appendToolBlock('Looking.', call('1')) + 'Found it.',
      [
        { role: 'assistant', parts: [text('Looking.'), use('1')] },
        { role: 'user', parts: [res('1')] },
        { role: 'assistant', parts: [text('Found it.')] }
      ] as Turn[]
    ],
    [
      'two calls in one step, then one more',
      appendToolBlock(appendToolBlock(appendToolBlock('', call('1')), call('2')) + 'Next.', call('3')) + 'Done.',
      [
        { role: 'assistant', parts: [use('1'), use('2')] },
        { role: 'user', parts: [res('1'), res('2')] },
        { role: 'assistant', parts: [text('Next.'), use('3')] },
        { role: 'user', parts: [res('3')] },
        { role: 'assistant', parts: [text('Done.')] }
      ] as Turn[]
    ],
    [
      'ends with a call (step limit): ends with its result',
      appendToolBlock('Try.', call('1', 'boom', true)),
      [
        { role: 'assistant', parts: [text('Try.'), use('1')] },
        { role: 'user', parts: [{ ...res('1', 'boom'), isError: true }] }
      ] as Turn[]
    ],
    ['thinking is not sent', `${writeThinking('secret plan')}Answer.`, [{ role: 'assistant', parts: [text('Answer.')] }] as Turn[]],
    ['only thinking: nothing', writeThinking('t'), []]
  ])('%s', (_name, reply, turns) => {
    expect(replyTurns(reply)).toEqual(turns);
  });
});
