/**
 * Kernel variables in prompts, SolveIt's `$`name`` syntax: find the names, then put their
 * current values (plain-text representations, fetched by the glue) into the prompt.
 */
import { truncateMiddle } from './render';

/** A variable reference: `$` and a backticked name, dotted attributes allowed. */
const REFERENCE = /\$`([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)`/g;

/**
 * The variable names a prompt refers to, each once, in order of first use.
 *
 * @param prompt - The prompt text.
 */
export function findVariables(prompt: string): string[] {
  const names: string[] = [];
  for (const match of prompt.matchAll(REFERENCE)) {
    if (!names.includes(match[1])) {
      names.push(match[1]);
    }
  }
  return names;
}

/**
 * The prompt as the model reads it: each `$`name`` becomes `` `name` ``, and the values
 * follow the prompt in `<variable>` tags, each cut in the middle past `maxChars`.
 *
 * Names without a value stay as written, so an earlier prompt whose values were not
 * recorded still reads as the user wrote it.
 *
 * @param prompt - The prompt text.
 * @param values - Plain-text representations by name.
 * @param maxChars - Longest value kept (0: no limit).
 */
export function expandVariables(prompt: string, values: Record<string, string>, maxChars: number): string {
  const names = findVariables(prompt).filter(name => typeof values[name] === 'string');
  if (!names.length) {
    return prompt;
  }
  const text = prompt.replace(REFERENCE, (whole, name: string) => (names.includes(name) ? `\`${name}\`` : whole));
  const tags = names.map(name => `<variable name="${name}">\n${truncateMiddle(values[name].replace(/\n+$/, ''), maxChars)}\n</variable>`);
  return `${text}\n\nCurrent values of the variables named above:\n${tags.join('\n')}`;
}

/**
 * The variables recorded on an answered AI cell (`metadata.aimagic.variables`), so an
 * earlier prompt is sent again exactly as it was sent the first time.
 *
 * @param metadata - The AI cell's metadata.
 */
export function recordedVariables(metadata: { [key: string]: unknown } | undefined): Record<string, string> {
  const recorded = (metadata?.aimagic as { variables?: unknown } | undefined)?.variables;
  if (!recorded || typeof recorded !== 'object' || Array.isArray(recorded)) {
    return {};
  }
  const values: Record<string, string> = {};
  for (const [name, value] of Object.entries(recorded)) {
    if (typeof value === 'string') {
      values[name] = value;
    }
  }
  return values;
}
