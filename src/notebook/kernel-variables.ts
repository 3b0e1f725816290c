/**
 * Fetch the values of `$`name`` variables from the notebook's kernel, without a trace in
 * it: the names are the `user_expressions` of a silent request (see silent-request.ts).
 */
import { ISessionContext } from '@jupyterlab/apputils';
import { PromptError } from '../core/context/dialogue';
import { askSilently, liveKernel } from './silent-request';

/**
 * The plain-text representation of each name, as the kernel shows it.
 *
 * @param session - The notebook's session context (none: no kernel).
 * @param names - Variable names (identifiers, dotted attributes allowed).
 * @param signal - Stops waiting for the kernel.
 * @throws PromptError naming the unknown variables, or saying the kernel is not there.
 */
export async function fetchVariables(
  session: ISessionContext | undefined,
  names: string[],
  signal?: AbortSignal
): Promise<Record<string, string>> {
  if (!names.length) {
    return {};
  }
  const refs = names.map(n => `$\`${n}\``).join(', ');
  const kernel = liveKernel(session);
  if (!kernel) {
    throw new PromptError(
      `The prompt uses ${refs}, but this notebook has no running kernel to read ${names.length > 1 ? 'them' : 'it'} from. ` +
        'Start or restart the kernel, run the cells that define the variables, then run the prompt again.'
    );
  }
  const expressions: Record<string, string> = {};
  names.forEach((name, i) => (expressions[`v${i}`] = name));
  const reply = await askSilently(kernel, expressions, `reading ${refs}`, signal);
  const results = (reply.content as { user_expressions?: Record<string, unknown> }).user_expressions ?? {};
  const values: Record<string, string> = {};
  const problems: string[] = [];
  names.forEach((name, i) => {
    const result = results[`v${i}`] as { status?: string; data?: Record<string, unknown>; ename?: string; evalue?: string } | undefined;
    const text = result?.data?.['text/plain'];
    if (result?.status === 'ok' && typeof text === 'string') {
      values[name] = text;
    } else if (result?.ename === 'NameError' || result?.ename === 'AttributeError') {
      problems.push(`$\`${name}\` is not defined in the kernel (${result.ename}: ${result.evalue ?? ''})`);
    } else {
      problems.push(`$\`${name}\` could not be read (${result?.ename ?? 'no answer'}${result?.evalue ? `: ${result.evalue}` : ''})`);
    }
  });
  if (problems.length) {
    throw new PromptError(`${problems.join('; ')}. Define it by running a cell, or fix the name; nothing was sent.`);
  }
  return values;
}
