/**
 * Tool calls and thinking inside a reply, in SolveIt's own format (as AnswerDotAI/aidialog
 * reads and writes it), so a dialog with tool calls moves between SolveIt and JupyterLab.
 *
 * A call is a fenced block with the info string `json {.tool}` holding
 * `{id, name, args, result}` as indented JSON; the result is cut at 2,000 characters.
 * Because the JSON is indented and its strings escape their newlines, no line of the body
 * can close the fence, whatever the result holds (backticks and fences included).
 * Thinking sits between `<!--think_start-->` and `<!--think_end-->`, folded in a details
 * element; it is never sent back as text.
 */
import { parseCodeBlocks } from './codeblocks';
import { truncateMiddle } from './render';

/** The info string of a tool block. */
export const TOOL_INFO = 'json {.tool}';

/** Where thinking starts and ends in a reply. */
export const THINK_START = '<!--think_start-->';
export const THINK_END = '<!--think_end-->';

/** Longest result a tool block keeps, in characters (SolveIt's limit). */
export const TOOL_RESULT_CHARS = 2000;

/** One tool call as a reply holds it. */
export interface ToolBlock {
  id: string;
  name: string;
  args: Record<string, unknown>;
  /** The result; absent while the call still runs (only in a reply that is streaming). */
  result?: string;
  /** Whether the result is an error the tool met (`"error": true` in the block). */
  isError?: boolean;
}

/** A piece of a reply: text as written, or a tool call. */
export type ReplySegment = { type: 'text'; text: string } | { type: 'tool'; block: ToolBlock };

/** An opening info string of a tool block (extra spaces tolerated). */
const TOOL_INFO_RE = /^json\s+\{\.tool\}$/;

/** Thinking, closed or cut off by the end of the reply. */
const THINKING_RE = /<!--think_start-->[\s\S]*?(?:<!--think_end-->\s*|$)/g;

/**
 * The fenced block for a tool call, without blank lines around it.
 *
 * @param block - The call; a result longer than {@link TOOL_RESULT_CHARS} is cut in the middle.
 */
export function writeToolBlock(block: ToolBlock): string {
  const json: Record<string, unknown> = { id: block.id, name: block.name, args: block.args };
  if (block.result !== undefined) {
    json.result = truncateMiddle(block.result, TOOL_RESULT_CHARS);
  }
  if (block.isError) {
    json.error = true;
  }
  return `\`\`\`${TOOL_INFO}\n${JSON.stringify(json, null, 2)}\n\`\`\``;
}

/**
 * Append a tool block to a reply, with a blank line before and after it.
 *
 * @param reply - The reply so far.
 * @param block - The call.
 */
export function appendToolBlock(reply: string, block: ToolBlock): string {
  const before = reply.trim() ? `${reply.replace(/\s+$/, '')}\n\n` : '';
  return `${before}${writeToolBlock(block)}\n\n`;
}

/**
 * Thinking as SolveIt keeps it: between the markers, folded.
 *
 * @param text - The model's thinking.
 */
export function writeThinking(text: string): string {
  return `${THINK_START}\n<details><summary>Thinking</summary>\n\n${text.trim()}\n\n</details>\n${THINK_END}\n\n`;
}

/**
 * A reply without its thinking.
 *
 * @param reply - The reply text.
 */
export function stripThinking(reply: string): string {
  return reply.includes(THINK_START) ? reply.replace(THINKING_RE, '') : reply;
}

/**
 * Read a tool block's body; `undefined` when it is not a call this side can send again
 * (not JSON, no id or name, or a call the provider ran itself: `server`).
 *
 * @param body - The text between the fences.
 * @param streaming - Accept a block without a result (a call still running).
 */
export function readToolBlock(body: string, streaming = false): ToolBlock | undefined {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (!json || typeof json !== 'object' || Array.isArray(json)) {
    return undefined;
  }
  const d = json as Record<string, unknown>;
  if (typeof d.id !== 'string' || !d.id || typeof d.name !== 'string' || !d.name || d.server) {
    return undefined;
  }
  const args = d.args && typeof d.args === 'object' && !Array.isArray(d.args) ? (d.args as Record<string, unknown>) : {};
  const block: ToolBlock = { id: d.id, name: d.name, args };
  if (d.result === undefined || d.result === null) {
    if (!streaming) {
      block.result = '';
    }
  } else {
    // Non-string results (as other writers may store them) read as their JSON.
    block.result = typeof d.result === 'string' ? d.result : JSON.stringify(d.result);
  }
  if (d.error) {
    block.isError = true;
  }
  return block;
}

/**
 * Whether a fenced block's info string marks a tool block.
 *
 * @param info - The text after the opening fence.
 */
export function isToolInfo(info: string): boolean {
  return TOOL_INFO_RE.test(info.trim());
}

/**
 * Split a reply into text and tool calls, thinking removed; text that is only white space
 * between calls is left out. Only closed blocks count: a block cut off by the end of the
 * text stays text.
 *
 * @param reply - The reply text.
 */
export function parseReply(reply: string): ReplySegment[] {
  const text = stripThinking(reply);
  const lines = text.split(/\r?\n/);
  const segments: ReplySegment[] = [];
  let from = 0;
  for (const code of parseCodeBlocks(text)) {
    if (!code.closed || !isToolInfo(code.info)) {
      continue;
    }
    const block = readToolBlock(code.code);
    if (!block) {
      continue;
    }
    const before = lines.slice(from, code.startLine).join('\n');
    if (before.trim()) {
      segments.push({ type: 'text', text: before });
    }
    segments.push({ type: 'tool', block });
    from = code.endLine + 1;
  }
  const rest = lines.slice(from).join('\n');
  if (rest.trim()) {
    segments.push({ type: 'text', text: rest });
  }
  return segments;
}

/**
 * A short line for a call, as the folded block shows it: `name(a=1, b="x") → result`,
 * each value cut to `max` characters.
 *
 * @param block - The call.
 * @param max - Longest value shown.
 */
export function toolSummary(block: ToolBlock, max = 40): string {
  const show = (value: unknown): string => {
    const text = typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
    const cut = text.length > max ? `${text.slice(0, max)}…` : text;
    return typeof value === 'string' ? JSON.stringify(cut) : cut;
  };
  const args = Object.entries(block.args)
    .map(([k, v]) => `${k}=${show(v)}`)
    .join(', ');
  const call = `${block.name}(${args})`;
  return block.result === undefined ? call : `${call} → ${show(block.result.replace(/\s+/g, ' ').trim())}`;
}
