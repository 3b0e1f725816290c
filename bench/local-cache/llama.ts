/**
 * Start and stop the real llama.cpp server that scripts/local-engine/engine.py builds, on a
 * port and slot directory of the benchmark's own, so it can be restarted between runs.
 */
import { ChildProcess, spawn } from 'child_process';
import { existsSync } from 'fs';
import { homedir } from 'os';
import { join } from 'path';

const CACHE = process.env.AIMAGIC_CACHE || join(homedir(), '.cache', 'jupyterlab-aimagic');
/** The engine's pinned build and model (engine.py: NODE_LLAMA_CPP_VERSION, MODEL_FILE). */
export const BINARY = join(CACHE, 'llama-server', '3.21.1', 'llama-server');
export const MODEL = join(CACHE, 'models', 'SmolLM2-135M-Instruct.Q4_1.gguf');

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
    if (!existsSync(BINARY) || !existsSync(MODEL)) {
      throw new Error(`${BINARY} or ${MODEL} is missing: run python3 scripts/local-engine/engine.py build && python3 scripts/local-engine/engine.py model`);
    }
    const threads = process.env.AIMAGIC_BENCH_THREADS || '2';
    this._proc = spawn(
      BINARY,
      ['--model', MODEL, '--alias', 'smollm2', '--host', '127.0.0.1', '--port', String(this.port), '--threads', threads, '--threads-batch', threads,
        '--ctx-size', String(this.ctx), '--parallel', '1', '--slot-save-path', this.slotDir, '--jinja', '--no-webui'],
      { stdio: ['ignore', 'ignore', 'pipe'] }
    );
    let log = '';
    this._proc.stderr?.on('data', c => (log = (log + String(c)).slice(-3000)));
    for (const deadline = Date.now() + 120000; Date.now() < deadline; ) {
      if (this._proc.exitCode !== null) {
        throw new Error(`llama-server exited with ${this._proc.exitCode}:\n${log}`);
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
    throw new Error(`llama-server not healthy after 120 s:\n${log}`);
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
