/**
 * The arguments of a streamed tool call, from the JSON text its fragments add up to.
 */

/**
 * Parse a tool call's arguments. No text means no arguments; a value that is not an object
 * (some local models send one) is kept under `value`, so nothing the model sent is lost.
 *
 * @param json - The arguments as the provider streamed them.
 * @throws SyntaxError when the text is not JSON.
 */
export function parseToolArgs(json: string): Record<string, unknown> {
  if (!json.trim()) {
    return {};
  }
  const value = JSON.parse(json) as unknown;
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : { value };
}
