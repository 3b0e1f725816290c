/**
 * The control API under `/_fake/` (no key needed): the same powers as the methods of
 * `FakeAnthropic`, for tests and benchmarks that drive the fake from another process.
 *
 *   POST /_fake/faults   [fault, ...] or {faults: [...]}   queue faults   → {queued}
 *   POST /_fake/replies  {replies: [string | {text?, tool_calls}]}  queue replies  → {queued}
 *   GET  /_fake/log                                        requests so far (LoggedRequest[])
 *   POST /_fake/reset                                      fresh state    → {ok}
 *   POST /_fake/keys     {keys: string[]}                  accepted keys  → {ok}
 */
import { parseJson } from './body';
import { ApiError, invalid } from './errors';
import { FaultError, parseFaults } from './faults';
import { Exchange, sendJson } from './respond';
import { resetState } from './state';
import { parseScriptedReply } from './tool-use';

/**
 * Answer a control request.
 *
 * @param ex - The exchange.
 * @param path - The path, starting with `/_fake/`.
 * @param bodyText - The request body.
 */
export function handleControl(ex: Exchange, path: string, bodyText: string): void {
  const { state } = ex;
  const route = `${ex.req.method} ${path}`;
  const body = (): unknown => parseJson(bodyText);
  const strings = (key: string): string[] => {
    const list = (body() as Record<string, unknown> | null)?.[key];
    if (!Array.isArray(list) || list.some(s => typeof s !== 'string')) {
      throw invalid(`${key}: expected a list of strings`);
    }
    return list as string[];
  };

  switch (route) {
    case 'GET /_fake/log':
      return sendJson(ex, 200, state.log);
    case 'POST /_fake/faults':
      try {
        state.faults.push(...parseFaults(body()));
      } catch (e) {
        throw e instanceof FaultError ? invalid(e.message) : e;
      }
      return sendJson(ex, 200, { queued: state.faults.pending.length });
    case 'POST /_fake/replies': {
      const list = (body() as Record<string, unknown> | null)?.replies;
      if (!Array.isArray(list)) {
        throw invalid('replies: expected a list of strings or {text?, tool_calls}');
      }
      state.replies.push(...list.map((r, i) => parseScriptedReply(r, `replies.${i}`)));
      return sendJson(ex, 200, { queued: state.replies.length });
    }
    case 'POST /_fake/reset':
      resetState(state);
      return sendJson(ex, 200, { ok: true });
    case 'POST /_fake/keys':
      state.keys = new Set(strings('keys'));
      return sendJson(ex, 200, { ok: true });
    default:
      throw new ApiError(404, 'not_found_error', `Not Found: ${route}`);
  }
}
