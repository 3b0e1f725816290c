/**
 * Tool use as the Messages API checks it and as the fake scripts it.
 *
 * Checks: a request holding `tool_use` or `tool_result` blocks must define tools; every
 * `tool_use` of an assistant message is answered by a `tool_result` with the same id in the
 * next message, a user message, where the results come first; no `tool_result` answers a
 * call the previous message did not make; ids are unique and match `^[a-zA-Z0-9_-]+$`.
 *
 * Scripts: a queued reply may be `{text?, tool_calls: [{name, input, id?}]}` instead of a
 * string; the fake then answers with the text, then one `tool_use` block per call, and
 * `stop_reason: "tool_use"`.
 */
import { randomBytes } from 'crypto';
import { invalid } from './errors';
import { Json, isObject } from './json';
import { ValidMessage } from './validate';

/** A tool call a scripted reply makes. */
export interface ScriptedCall {
  name: string;
  input: Json;
  /** The call's id; made up (`toolu_…`) when absent. */
  id?: string;
}

/** A queued reply: its exact text, or text and tool calls. */
export type ScriptedReply = string | { text?: string; tool_calls?: ScriptedCall[] };

const ID = /^[a-zA-Z0-9_-]+$/;

/**
 * Check the tool blocks of a request's messages.
 *
 * @param messages - The validated messages.
 * @param toolCount - How many tools the request defines.
 * @throws ApiError (400) as the API answers.
 */
export function checkToolTurns(messages: ValidMessage[], toolCount: number): void {
  const seen = new Set<string>();
  let uses = false;
  let pending: { at: number; ids: string[] } | undefined;
  messages.forEach((message, m) => {
    const results: string[] = [];
    let pastResults = false;
    message.content.forEach((block, b) => {
      const path = `messages.${m}.content.${b}`;
      if (block.type === 'tool_use') {
        uses = true;
        const id = block.json.id as string;
        if (!ID.test(id)) {
          throw invalid(`${path}.id: String should match pattern '^[a-zA-Z0-9_-]+$'`);
        }
        if (seen.has(id)) {
          throw invalid(`${path}: \`tool_use\` ids must be unique (${id})`);
        }
        seen.add(id);
      } else if (block.type === 'tool_result') {
        uses = true;
        const id = block.json.tool_use_id as string;
        if (!pending?.ids.includes(id)) {
          throw invalid(
            `${path}: unexpected \`tool_use_id\` found in \`tool_result\` blocks: ${id}. ` +
              'Each `tool_result` block must have a corresponding `tool_use` block in the previous message.'
          );
        }
        if (pastResults) {
          throw invalid(`${path}: \`tool_result\` blocks must come before any other content in the user message`);
        }
        results.push(id);
      } else {
        pastResults = true;
      }
    });
    if (pending) {
      const missing = pending.ids.filter(id => !results.includes(id));
      if (missing.length) {
        throw invalid(
          `messages.${pending.at}: \`tool_use\` ids were found without \`tool_result\` blocks immediately after: ${missing.join(', ')}. ` +
            'Each `tool_use` block must have a corresponding `tool_result` block in the next message.'
        );
      }
    }
    const calls = message.role === 'assistant' ? message.content.filter(b => b.type === 'tool_use').map(b => b.json.id as string) : [];
    pending = calls.length ? { at: m, ids: calls } : undefined;
  });
  if (uses && toolCount === 0) {
    throw invalid('Requests which include `tool_use` or `tool_result` blocks must define tools.');
  }
}

/**
 * With thinking on, the assistant message whose calls the final user message answers must
 * start with its (signed) thinking block, as the API requires when a tool loop goes on.
 *
 * @param messages - The validated messages.
 */
export function checkThinkingBeforeTools(messages: ValidMessage[]): void {
  const last = messages.length - 1;
  if (last < 1 || messages[last].role !== 'user' || messages[last].content[0]?.type !== 'tool_result') {
    return;
  }
  const first = messages[last - 1].content[0];
  if (first && first.type !== 'thinking' && first.type !== 'redacted_thinking') {
    throw invalid(
      `messages.${last - 1}.content.0.type: Expected \`thinking\` or \`redacted_thinking\`, but found \`${first.type}\`. ` +
        'When `thinking` is enabled, a final `assistant` message must start with a thinking block (preceeding the lastmost set of `tool_use` and `tool_result` blocks).'
    );
  }
}

/**
 * Read a queued reply from the control API: a string, or text with tool calls.
 *
 * @param value - One entry of `replies`.
 * @param path - Where it was, for the error message.
 */
export function parseScriptedReply(value: unknown, path: string): ScriptedReply {
  if (typeof value === 'string') {
    return value;
  }
  if (!isObject(value)) {
    throw invalid(`${path}: expected a string or {text?, tool_calls}`);
  }
  const text = value.text;
  if (text !== undefined && typeof text !== 'string') {
    throw invalid(`${path}.text: expected a string`);
  }
  const calls = value.tool_calls ?? [];
  if (!Array.isArray(calls) || calls.some(c => !isObject(c) || typeof c.name !== 'string' || !isObject(c.input))) {
    throw invalid(`${path}.tool_calls: expected a list of {name, input, id?}`);
  }
  return { text, tool_calls: calls as unknown as ScriptedCall[] };
}

/**
 * The text and the calls of a queued reply.
 *
 * @param reply - The reply.
 */
export function scriptParts(reply: ScriptedReply): { text: string; calls: Required<ScriptedCall>[] } {
  if (typeof reply === 'string') {
    return { text: reply, calls: [] };
  }
  const calls = (reply.tool_calls ?? []).map(c => ({ name: c.name, input: c.input, id: c.id ?? newToolId() }));
  return { text: reply.text ?? '', calls };
}

/** A fresh tool call id, shaped like the API's. */
export function newToolId(): string {
  const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
  return 'toolu_' + Array.from(randomBytes(24), b => alphabet[b % alphabet.length]).join('');
}
