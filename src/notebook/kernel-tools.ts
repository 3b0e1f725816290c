/**
 * The kernel side of tools: describe the callables a prompt offers (`&`name``) and run the
 * model's calls, in the notebook's kernel and without a trace in it. Both send the Python of
 * jupyterlab_aimagic/kernel/tools.py as the `user_expressions` of a silent, history-free
 * request, as `$`name`` variables are read (silent-request.ts), so neither the history nor
 * the execution count moves and nothing is left in the user's namespace.
 */
import { ISessionContext } from '@jupyterlab/apputils';
import { Kernel, KernelMessage } from '@jupyterlab/services';
import { PromptError } from '../core/context/dialogue';
import { truncateMiddle } from '../core/context/render';
import { ToolCall, ToolOutcome, ToolSpec } from '../core/types';
import { askSilently, liveKernel, requestSilently, SilentFuture } from './silent-request';

/** Longest result sent back to the model, in characters; longer ones are cut in the middle. */
export const MAX_TOOL_RESULT_CHARS = 20000;

/** How long an interrupted kernel has to answer before the call is given up on. */
const INTERRUPT_GRACE_MS = 5000;

/**
 * The specs of the tools a prompt offers, their schemas made in the kernel from each
 * callable's signature, annotations and docstring, in the order of `names`.
 *
 * @param session - The notebook's session context (none: no kernel).
 * @param names - Tool names, as `toolRefs` finds them.
 * @param signal - Stops waiting for the kernel.
 * @throws PromptError naming each name that cannot be offered (unknown, not callable, a
 *   signature that cannot be a schema), or saying that there is no kernel.
 */
export async function describeKernelTools(session: ISessionContext | undefined, names: string[], signal?: AbortSignal): Promise<ToolSpec[]> {
  if (!names.length) {
    return [];
  }
  const refs = names.map(n => `&\`${n}\``).join(', ');
  const kernel = liveKernel(session);
  if (!kernel) {
    throw new PromptError(
      `The prompt offers ${refs}, but this notebook has no running kernel to find ${names.length > 1 ? 'them' : 'it'} in. ` +
        'Start or restart the kernel, run the cells that define the functions, then run the prompt again.'
    );
  }
  await Private.loadCode();
  const reply = await askSilently(kernel, Private.expressions({ op: 'describe', names }), `describing ${refs}`, signal);
  const answer = Private.answerOf(reply);
  if ('failure' in answer) {
    throw new PromptError(`The kernel could not describe ${refs} (${answer.failure}). Nothing was sent.`);
  }
  const { tools, errors } = answer.value as { tools?: ToolSpec[]; errors?: { name: string; message: string }[] };
  if (errors?.length) {
    const problems = errors.map(e => e.message).join('; ');
    throw new PromptError(`${problems}. Define or fix ${errors.length > 1 ? 'them' : 'it'} in a cell, or take the name out of the prompt; nothing was sent.`);
  }
  if (!Array.isArray(tools) || !tools.every(Private.isToolSpec)) {
    throw new PromptError(`The kernel answered something unexpected while describing ${refs}. Nothing was sent.`);
  }
  return tools;
}

/**
 * Run one tool call in the kernel, silently, and say what it gave.
 *
 * The call's own failures are outcomes, never exceptions: an exception the tool raised (type,
 * message, short traceback), a call past `timeoutMs` (the kernel is interrupted), Stop (the
 * kernel is interrupted at once; a call still waiting behind other code is interrupted as
 * soon as it starts, and the outcome comes back without waiting for it). Results are cut in
 * the middle past {@link MAX_TOOL_RESULT_CHARS}.
 *
 * @param session - The notebook's session context.
 * @param call - The model's call.
 * @param options - `timeoutMs`: longest run, counted from when the kernel starts it;
 *   `signal`: Stop.
 * @throws Error when there is no kernel, or it died or restarted during the call: the loop
 *   cannot go on, and the message says so.
 */
export function runKernelTool(session: ISessionContext | undefined, call: ToolCall, options: { timeoutMs: number; signal?: AbortSignal }): Promise<ToolOutcome> {
  const kernel = liveKernel(session);
  if (!kernel) {
    return Promise.reject(new Error(`The notebook's kernel is not running, so the tool ${call.name} could not run. Start or restart the kernel and run the prompt again.`));
  }
  if (options.signal?.aborted) {
    return Promise.resolve({ result: 'Stopped before the tool ran.', isError: true });
  }
  return Private.loadCode().then(() => new Private.Run(session!, kernel, call, options).outcome);
}

namespace Private {
  /** The Python side (30 KB of source), loaded with the first tool use, not at start-up. */
  let code: typeof import('./kernel-tools-code') | null = null;

  /** Load the Python side once. */
  export async function loadCode(): Promise<void> {
    code ??= await import('./kernel-tools-code');
  }

  /**
   * The user expression that answers one request on the Python side: it compiles tools.py
   * into a fresh namespace (nothing lands in the user's) and calls its `frontend`.
   */
  export function expressions(request: object): Record<string, string> {
    // A JSON string is also a valid Python string literal. One pass: the source contains the placeholders' names.
    const { KERNEL_TOOLS_EXPRESSION, KERNEL_TOOLS_SOURCE } = code!;
    const literals: Record<string, string> = { '%SOURCE%': JSON.stringify(KERNEL_TOOLS_SOURCE), '%REQUEST%': JSON.stringify(JSON.stringify(request)) };
    return { r: KERNEL_TOOLS_EXPRESSION.replace(/%SOURCE%|%REQUEST%/g, key => literals[key]) };
  }

  /** The Python side's JSON answer, or why there is none. */
  export function answerOf(reply: KernelMessage.IExecuteReplyMsg): { value: unknown } | { failure: string } {
    const content = reply.content as { status: string; ename?: string; evalue?: string; user_expressions?: Record<string, unknown> };
    if (content.status !== 'ok') {
      return { failure: content.ename ? `${content.ename}: ${content.evalue ?? ''}` : `the execution was ${content.status}` };
    }
    const result = content.user_expressions?.r as { status?: string; data?: Record<string, unknown>; ename?: string; evalue?: string } | undefined;
    const text = result?.data?.['text/plain'];
    if (result?.status !== 'ok' || typeof text !== 'string') {
      return { failure: result?.ename ? `${result.ename}: ${result.evalue ?? ''}` : 'no answer' };
    }
    try {
      return { value: JSON.parse(text) };
    } catch {
      return { failure: `an answer that is not JSON: ${text.slice(0, 200)}` };
    }
  }

  export function isToolSpec(value: unknown): value is ToolSpec {
    const spec = value as ToolSpec;
    return typeof spec?.name === 'string' && typeof spec.description === 'string' && typeof spec.parameters === 'object' && spec.parameters !== null;
  }

  /** What the Python side's `call` answers. */
  interface CallAnswer {
    status: 'ok' | 'error' | 'interrupted';
    result: string;
  }

  /** One call in flight: the request, its time limit, Stop, and the kernel's fate. */
  export class Run {
    /** Settles once, with the outcome or the error that ends the loop. */
    readonly outcome: Promise<ToolOutcome>;

    constructor(
      private _session: ISessionContext,
      private _kernel: Kernel.IKernelConnection,
      private _call: ToolCall,
      private _options: { timeoutMs: number; signal?: AbortSignal }
    ) {
      this.outcome = new Promise<ToolOutcome>((resolve, reject) => {
        this._resolve = resolve;
        this._reject = reject;
      });
      this._future = requestSilently(_kernel, expressions({ op: 'call', name: _call.name, args: _call.args, max_chars: MAX_TOOL_RESULT_CHARS }));
      this._future.onIOPub = msg => this._onIOPub(msg);
      this._future.done.then(
        reply => this._onReply(reply),
        (e: Error) => this._fail(this._kernelFate() ?? `the kernel stopped answering (${e?.message ?? e})`)
      );
      _options.signal?.addEventListener('abort', this._onAbort);
      _kernel.statusChanged.connect(this._onStatus, this);
      _session.kernelChanged.connect(this._onKernelChanged, this);
    }

    private _onIOPub(msg: KernelMessage.IIOPubMessage): void {
      const type = msg.header.msg_type;
      if (type === 'status' && (msg as KernelMessage.IStatusMsg).content.execution_state === 'busy' && !this._started) {
        this._started = true;
        if (this._stopped) {
          this._interrupt();
        } else {
          this._timer = setTimeout(() => {
            this._timedOut = true;
            this._interrupt();
          }, this._options.timeoutMs);
        }
      } else if (type === 'stream') {
        // Python-level output is captured in the kernel; this is what bypassed it (C code).
        this._displayed.push((msg as KernelMessage.IStreamMsg).content.text);
      } else if (type === 'display_data' || type === 'execute_result') {
        const data = (msg as KernelMessage.IDisplayDataMsg).content.data ?? {};
        const text = data['text/plain'];
        this._displayed.push(typeof text === 'string' ? `${text}\n` : `[${Object.keys(data).sort().join(', ')} output]\n`);
      }
    }

    private _onReply(reply: KernelMessage.IExecuteReplyMsg): void {
      const answer = answerOf(reply);
      const seconds = `${Math.round(this._options.timeoutMs / 100) / 10} s`;
      let outcome: ToolOutcome;
      if ('value' in answer && ((answer.value as CallAnswer).status === 'ok' || (answer.value as CallAnswer).status === 'error')) {
        const value = answer.value as CallAnswer;
        outcome = { result: value.result, isError: value.status === 'error' };
      } else {
        const printed = 'value' in answer ? (answer.value as CallAnswer).result : answer.failure;
        const headline = this._timedOut
          ? `Timed out after ${seconds}: the kernel was interrupted.`
          : this._stopped
            ? 'Stopped by the user: the kernel was interrupted.'
            : 'The call was interrupted in the kernel.';
        outcome = { result: `${headline}\n\n${printed}`, isError: true };
      }
      const displayed = this._displayed.join('');
      if (displayed.trim()) {
        outcome.result += `\n\n[displayed]\n${displayed.replace(/\n+$/, '')}`;
      }
      outcome.result = truncateMiddle(outcome.result, MAX_TOOL_RESULT_CHARS);
      this._settle(() => this._resolve(outcome));
    }

    private _onAbort = (): void => {
      this._stopped = true;
      if (this._started) {
        this._interrupt();
      } else {
        // Still queued behind other code: do not interrupt that; the call is interrupted as it starts.
        this._settle(() => this._resolve({ result: 'Stopped before the tool ran.', isError: true }), true);
      }
    };

    private _onStatus(): void {
      const fate = this._kernelFate();
      if (fate) {
        this._fail(fate);
      }
    }

    /** What happened to the kernel, when it can no longer answer this call. */
    private _kernelFate(): string | undefined {
      switch (this._kernel.status) {
        case 'dead':
          return 'the kernel died';
        case 'autorestarting':
          return 'the kernel died (it is being restarted)';
        case 'restarting':
          // The server reports a restart after a crash this way too.
          return 'the kernel restarted (it died, or was restarted)';
        default:
          return undefined;
      }
    }

    private _onKernelChanged(): void {
      this._fail('the notebook switched to another kernel');
    }

    private _interrupt(): void {
      clearTimeout(this._timer);
      if (this._grace === undefined) {
        void this._kernel.interrupt().catch(() => undefined);
        this._grace = setTimeout(() => {
          const why = this._timedOut ? `ran past ${this._options.timeoutMs / 1000} s and` : 'was stopped but';
          this._settle(() =>
            this._resolve({ result: `The tool ${why} did not stop when the kernel was interrupted; the kernel is still busy. Restart it if it does not come back.`, isError: true })
          );
        }, INTERRUPT_GRACE_MS);
      }
    }

    private _fail(why: string): void {
      this._settle(() =>
        // No full stop: the loop goes on with what it keeps.
        this._reject(new Error(`The tool ${this._call.name} did not finish: ${why}; run the cells that define the tools again, then the prompt`))
      );
    }

    /**
     * Settle the outcome once and stop listening; `keepWatching` leaves the request's
     * handler in place, so a call Stopped while queued is interrupted as soon as it starts.
     */
    private _settle(settle: () => void, keepWatching = false): void {
      if (this._settled) {
        return;
      }
      this._settled = true;
      clearTimeout(this._timer);
      clearTimeout(this._grace);
      this._options.signal?.removeEventListener('abort', this._onAbort);
      this._kernel.statusChanged.disconnect(this._onStatus, this);
      this._session.kernelChanged.disconnect(this._onKernelChanged, this);
      if (!keepWatching) {
        this._future.dispose();
      }
      settle();
    }

    private _future: SilentFuture;
    private _resolve!: (outcome: ToolOutcome) => void;
    private _reject!: (error: Error) => void;
    private _started = false;
    private _stopped = false;
    private _timedOut = false;
    private _settled = false;
    private _timer: ReturnType<typeof setTimeout> | undefined;
    private _grace: ReturnType<typeof setTimeout> | undefined;
    private _displayed: string[] = [];
  }
}
