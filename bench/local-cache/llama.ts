/**
 * Start and stop the project's local engine (llama.cpp's server from the xllamacpp wheel, run
 * as `python -m jupyterlab_aimagic.engine serve`), on a port and slot directory of the
 * benchmark's own, so it can be restarted between runs.
 */
import { ChildProcess, spawn } from 'child_process';
import { existsSync } from 'fs';
import { join } from 'path';

/** The virtual environment scripts/setup.sh made, else the Python on PATH. */
const VENV_PYTHON = join(__dirname, '..', '..', '..', '..', '.venv', 'bin', 'python');
export const PYTHON = process.env.AIMAGIC_PYTHON || (existsSync(VENV_PYTHON) ? VENV_PYTHON : 'python3');
/** The engine's default model (jupyterlab_aimagic/engine/models.py), fetched into its cache on first use. */
export const MODEL = process.env.AIMAGIC_BENCH_MODEL || 'smollm2-135m-instruct';

/** A llama-server process. */
export class Llama {
  /**
   * @param port - Port on 127.0.0.1.
   * @param slotDir - `--slot-save-path`.
   * @param ctx - Context size in tokens.
   */
  constructor(
    readonly port: number,
    readonly slotDir: string,
    readonly ctx: number
  ) {}

  /** The server's root URL. */
  get root(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Start and wait until healthy. */
  async start(): Promise<void> {
    const threads = process.env.AIMAGIC_BENCH_THREADS || '2';
    this._proc = spawn(
      PYTHON,
      ['-m', 'jupyterlab_aimagic.engine', 'serve', '--model', MODEL, '--alias', 'smollm2', '--port', String(this.port), '--threads', threads,
        '--ctx-size', String(this.ctx), '--slot-save-path', this.slotDir],
      { stdio: ['ignore', 'ignore', 'pipe'], env: { OMP_WAIT_POLICY: 'PASSIVE', ...process.env } }
    );
    let log = '';
    this._proc.stderr?.on('data', c => (log = (log + String(c)).slice(-3000)));
    for (const deadline = Date.now() + 120000; Date.now() < deadline; ) {
      if (this._proc.exitCode !== null) {
        throw new Error(`the engine exited with ${this._proc.exitCode}:\n${log}`);
      }
      try {
        if ((await fetch(`${this.root}/health`)).ok) {
          return;
        }
      } catch {
        // Not listening yet.
      }
      await new Promise(r => setTimeout(r, 200));
    }
    throw new Error(`the engine not healthy after 120 s:\n${log}`);
  }

  /** Stop and wait for the exit. */
  async stop(): Promise<void> {
    const proc = this._proc;
    this._proc = null;
    if (proc && proc.exitCode === null) {
      const exited = new Promise(r => proc.once('exit', r));
      proc.kill('SIGTERM');
      await exited;
    }
  }

  /**
   * Tokens of a text, by the server's own tokenizer.
   *
   * @param text - Any text.
   */
  async tokens(text: string): Promise<number> {
    const r = await fetch(`${this.root}/tokenize`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ content: text }) });
    return ((await r.json()) as { tokens: unknown[] }).tokens.length;
  }

  private _proc: ChildProcess | null = null;
}
