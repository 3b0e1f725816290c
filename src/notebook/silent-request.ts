/**
 * Ask the kernel something without a trace in it: an empty, silent execution whose
 * `user_expressions` carry the question, so neither the history nor the execution count
 * moves. `$`name`` variables and tools (&`name`) both go through here.
 */
import { ISessionContext } from '@jupyterlab/apputils';
import { Kernel, KernelMessage } from '@jupyterlab/services';
import { PromptError } from '../core/context/dialogue';

/** The request's future, for callers that follow its messages (a tool call's time limit). */
export type SilentFuture = Kernel.IShellFuture<KernelMessage.IExecuteRequestMsg, KernelMessage.IExecuteReplyMsg>;

/**
 * The notebook's kernel when it is there to answer, else undefined.
 *
 * @param session - The notebook's session context.
 */
export function liveKernel(session: ISessionContext | undefined): Kernel.IKernelConnection | undefined {
  const kernel = session?.session?.kernel;
  if (!kernel || kernel.status === 'dead' || kernel.connectionStatus !== 'connected') {
    return undefined;
  }
  return kernel;
}

/**
 * Send the expressions in a silent, history-free execution.
 *
 * @param kernel - The kernel.
 * @param expressions - Python expressions by key.
 */
export function requestSilently(kernel: Kernel.IKernelConnection, expressions: Record<string, string>): SilentFuture {
  return kernel.requestExecute({ code: '', silent: true, store_history: false, user_expressions: expressions, allow_stdin: false, stop_on_error: false });
}

/**
 * Evaluate the expressions silently and wait for the reply, before anything is sent to a model.
 *
 * @param kernel - The kernel.
 * @param expressions - Python expressions by key.
 * @param what - What is being read, for the messages ("reading $`x`").
 * @param signal - Stops waiting.
 * @throws PromptError when stopped or when the kernel does not answer.
 */
export async function askSilently(
  kernel: Kernel.IKernelConnection,
  expressions: Record<string, string>,
  what: string,
  signal?: AbortSignal
): Promise<KernelMessage.IExecuteReplyMsg> {
  const future = requestSilently(kernel, expressions);
  const aborted = new Promise<never>((_, reject) => {
    signal?.addEventListener('abort', () => reject(new PromptError(`Stopped while ${what}.`)), { once: true });
  });
  try {
    return await Promise.race([future.done, aborted]);
  } catch (e) {
    if (e instanceof PromptError) {
      throw e;
    }
    throw new PromptError(`The kernel did not answer while ${what}: ${(e as Error).message ?? e}. Nothing was sent.`);
  } finally {
    future.dispose();
  }
}
