/**
 * Tool calling as Chat Completions checks it and as the fake scripts it.
 *
 * Checks: `tools` are `{type: "function", function: {name, description?, parameters?}}` with
 * unique names matching `^[a-zA-Z0-9_-]{1,64}$` and object parameters; an assistant message
 * with `tool_calls` is followed by one `tool` message per call id before anything else; a
 * `tool` message answers a call of the assistant message before it.
 *
 * Scripts: a queued reply may be `{text?, tool_calls: [{name, arguments, id?}]}`; the fake
 * then streams the text, then the calls as `delta.tool_calls` fragments, and
 * `finish_reason: "tool_calls"`.
 */
import { invalid } from './errors';

/** A tool call a scripted reply makes. */
export interface ScriptedCall {
  name: string;
  arguments: Record<string, unknown>;
  id?: string;
}

/** A queued reply: its exact text, or text and tool calls. */
export type ScriptedReply = string | { text?: string; tool_calls?: ScriptedCall[] };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Check `tools`.
 *
 * @param value - The field as sent.
 * @returns How many tools there are.
 */
export function checkTools(value: unknown): number {
  if (value === undefined || value === null) {
    return 0;
  }
  if (!Array.isArray(value)) {
    throw invalid("Invalid type for 'tools': expected an array of objects.", 'tools', 'invalid_type');
  }
  const names = new Set<string>();
  value.forEach((tool, i) => {
    const at = `tools[${i}]`;
    if (!isObject(tool) || tool.type !== 'function' || !isObject(tool.function)) {
      throw invalid(`Missing required parameter: '${at}.function'.`, `${at}.function`, 'missing_required_parameter');
    }
    const fn = tool.function;
    if (typeof fn.name !== 'string' || !/^[a-zA-Z0-9_-]{1,64}$/.test(fn.name)) {
      throw invalid(
        `Invalid '${at}.function.name': string does not match pattern. Expected a string that matches the pattern '^[a-zA-Z0-9_-]+$'.`,
        `${at}.function.name`,
        'invalid_value'
      );
    }
    if (names.has(fn.name)) {
      throw invalid(`Duplicate function name '${fn.name}' in 'tools'.`, 'tools', 'invalid_value');
    }
    names.add(fn.name);
    if (fn.parameters !== undefined && (!isObject(fn.parameters) || fn.parameters.type !== 'object')) {
      throw invalid(`Invalid schema for function '${fn.name}': schema must be a JSON Schema of 'type: "object"'.`, `${at}.function.parameters`, 'invalid_function_parameters');
    }
  });
  return value.length;
}

/**
 * Check that tool calls and tool messages pair up.
 *
 * @param messages - The messages as sent (already checked one by one).
 */
export function checkToolMessages(messages: Record<string, unknown>[]): void {
  let open: { at: number; ids: string[] } | undefined;
  messages.forEach((m, i) => {
    if (m.role === 'tool') {
      const id = m.tool_call_id;
      if (typeof id !== 'string') {
        throw invalid(`Missing required parameter: 'messages.[${i}].tool_call_id'.`, `messages.[${i}].tool_call_id`, 'missing_required_parameter');
      }
      if (!open || !open.ids.includes(id)) {
        throw invalid(
          "Invalid parameter: messages with role 'tool' must be a response to a preceeding message with 'tool_calls'.",
          `messages.[${i}].role`
        );
      }
      open.ids = open.ids.filter(x => x !== id);
      return;
    }
    if (open && open.ids.length) {
      throw invalid(
        `An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. The following tool_call_ids did not have response messages: ${open.ids.join(', ')}`,
        `messages.[${open.at}].role`
      );
    }
    open = undefined;
    if (m.role === 'assistant' && Array.isArray(m.tool_calls)) {
      const ids = m.tool_calls.map((c, j) => {
        const at = `messages.[${i}].tool_calls.[${j}]`;
        if (!isObject(c) || typeof c.id !== 'string' || c.type !== 'function' || !isObject(c.function) || typeof c.function.name !== 'string') {
          throw invalid(`Invalid '${at}': expected {id, type: 'function', function: {name, arguments}}.`, at, 'invalid_value');
        }
        if (typeof c.function.arguments !== 'string') {
          throw invalid(`Invalid type for '${at}.function.arguments': expected a string.`, `${at}.function.arguments`, 'invalid_type');
        }
        return c.id;
      });
      open = { at: i, ids };
    }
  });
  if (open && open.ids.length) {
    throw invalid(
      `An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. The following tool_call_ids did not have response messages: ${open.ids.join(', ')}`,
      `messages.[${open.at}].role`
    );
  }
}

/**
 * Read a queued reply from the control API.
 *
 * @param value - One entry of the list.
 */
export function isScriptedReply(value: unknown): value is ScriptedReply {
  if (typeof value === 'string') {
    return true;
  }
  return (
    isObject(value) &&
    (value.text === undefined || typeof value.text === 'string') &&
    (value.tool_calls === undefined ||
      (Array.isArray(value.tool_calls) && value.tool_calls.every(c => isObject(c) && typeof c.name === 'string' && isObject(c.arguments))))
  );
}

/**
 * The text and the calls of a queued reply, ids filled in.
 *
 * @param reply - The reply.
 * @param n - The request's number, for ids.
 */
export function scriptParts(reply: ScriptedReply, n: number): { text: string; calls: Required<ScriptedCall>[] } {
  if (typeof reply === 'string') {
    return { text: reply, calls: [] };
  }
  return { text: reply.text ?? '', calls: (reply.tool_calls ?? []).map((c, i) => ({ ...c, id: c.id ?? `call_${n}_${i}_fake` })) };
}
