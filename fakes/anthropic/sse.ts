/**
 * Streaming a reply as server-sent events, in the API's order: `message_start`, `ping`,
 * per block `content_block_start` → deltas → `content_block_stop`, `message_delta`,
 * `message_stop`. A second `ping` comes halfway through the text, since clients must
 * tolerate one anywhere. Stream faults (drop, error event, slow) are applied here.
 */
import type Anthropic from '@anthropic-ai/sdk';
import { DEFAULT_MESSAGE } from './errors';
import { Fault } from './faults';
import { Outcome } from './log';
import { Reply, splitDeltas } from './reply';
import { Exchange, baseHeaders, sleep } from './respond';

/**
 * One SSE event.
 *
 * @param type - The event name (also the `type` of its data).
 * @param data - The event's data.
 */
export function sseEvent(type: string, data: unknown): string {
  return `event: ${type}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** What a stream needs. */
export interface StreamArgs {
  /** The message as `message_start` shows it (empty content, usage so far). */
  start: Anthropic.Message;
  reply: Reply;
  /** Final usage for `message_delta`. */
  usage: Anthropic.MessageDeltaUsage;
  deltaDelayMs: number;
  wordsPerDelta: number;
  /** The fault the request took, if any. */
  fault?: Fault;
  /** Called as `message_start` is sent: the moment cache entries become readable. */
  onStart(): void;
}

/**
 * Stream a reply; resolves with how the stream ended (also recorded in the log entry).
 *
 * @param ex - The exchange.
 * @param args - The reply and how to stream it.
 */
export async function streamReply(ex: Exchange, args: StreamArgs): Promise<Outcome> {
  const { res } = ex;
  const { reply, fault } = args;
  const delay = fault?.kind === 'slow' ? fault.deltaDelayMs : args.deltaDelayMs;
  const cutAfter = fault?.kind === 'drop-after' || fault?.kind === 'error-event-after' ? fault.deltas : Infinity;
  const send = (type: string, data: Record<string, unknown>): void => {
    res.write(sseEvent(type, { type, ...data }));
  };

  res.writeHead(200, {
    ...baseHeaders(ex.id, ex.req.headers.origin),
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive'
  });
  // Events must leave one by one, not coalesced, or clients would not really stream.
  res.socket?.setNoDelay(true);
  args.onStart();
  send('message_start', { message: args.start });
  send('ping', {});

  let index = 0;
  if (reply.thinking) {
    send('content_block_start', { index, content_block: { type: 'thinking', thinking: '', signature: '' } });
    for (const thinking of splitDeltas(reply.thinking.text, args.wordsPerDelta)) {
      await sleep(delay);
      if (ex.closed) {
        return 'aborted';
      }
      send('content_block_delta', { index, delta: { type: 'thinking_delta', thinking } });
    }
    send('content_block_delta', { index, delta: { type: 'signature_delta', signature: reply.thinking.signature } });
    send('content_block_stop', { index });
    index += 1;
  }

  const textBlock = reply.text !== '' || !reply.toolCalls;
  if (textBlock) {
    send('content_block_start', { index, content_block: { type: 'text', text: '', citations: null } });
  }
  const deltas = textBlock ? splitDeltas(reply.text, args.wordsPerDelta) : [];
  for (let i = 0; i < deltas.length && i < cutAfter; i++) {
    await sleep(delay);
    if (ex.closed) {
      return 'aborted';
    }
    send('content_block_delta', { index, delta: { type: 'text_delta', text: deltas[i] } });
    if (i === Math.floor(deltas.length / 2)) {
      send('ping', {});
    }
  }

  if (fault?.kind === 'drop-after') {
    // Let the written events reach the client before the connection goes: a real drop
    // follows delivered data, and a few milliseconds were not enough through the proxy on a
    // busy machine (the proxy's HTTP client then saw the reset before the last events).
    await sleep(Math.max(delay, 150));
    return Private.end(ex, 'dropped', () => res.socket?.destroy());
  }
  if (fault?.kind === 'error-event-after') {
    const type = fault.type ?? 'overloaded_error';
    send('error', { error: { type, message: fault.message ?? DEFAULT_MESSAGE[type] } });
    return Private.end(ex, 'error-event', () => res.end());
  }

  if (textBlock) {
    send('content_block_stop', { index });
    index += 1;
  }
  for (const call of reply.toolCalls ?? []) {
    // The arguments arrive as JSON fragments, as the API streams them.
    send('content_block_start', { index, content_block: { type: 'tool_use', id: call.id, name: call.name, input: {}, caller: { type: 'direct' } } });
    const json = JSON.stringify(call.input);
    for (let at = 0; at < json.length; at += 12) {
      await sleep(delay);
      if (ex.closed) {
        return 'aborted';
      }
      send('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: json.slice(at, at + 12) } });
    }
    send('content_block_stop', { index });
    index += 1;
  }
  send('message_delta', {
    delta: { container: null, stop_details: null, stop_reason: reply.stopReason, stop_sequence: reply.stopSequence },
    usage: args.usage
  });
  send('message_stop', {});
  return Private.end(ex, 'completed', () => res.end());
}

namespace Private {
  /** Record how the stream ended (before ending it, so a close event cannot say otherwise), then end it. */
  export function end(ex: Exchange, outcome: Outcome, finish: () => void): Outcome {
    if (ex.entry) {
      ex.entry.outcome = outcome;
    }
    finish();
    return outcome;
  }
}
