/**
 * The real llama.cpp server for the local-engine UI tests: the binary and model that
 * scripts/local-engine/engine.py builds and fetches into its cache, started on the test's own
 * port with its own slot directory, so a test can stop and restart it.
 */
import { ChildProcess, spawn } from 'child_process';
import { existsSync, mkdtempSync } from 'fs';
import { homedir, tmpdir } from 'os';
import { join } from 'path';

const CACHE = process.env.AIMAGIC_CACHE || join(homedir(), '.cache', 'jupyterlab-aimagic');
/** The engine's pinned build (engine.py NODE_LLAMA_CPP_VERSION) and model. */
export const BINARY = join(CACHE, 'llama-server', '3.21.1', 'llama-server');
export const MODEL = join(CACHE, 'models', 'SmolLM2-135M-Instruct.Q4_1.gguf');
export const MODEL_ALIAS = 'smollm2-135m-instruct';
/** The port the Jupyter server's "local" upstream points at (jupyter_server_test_config.py). */
export const LOCAL_PORT = Number(process.env.AIMAGIC_LOCAL_PORT || '8767');

/** A llama-server process that can be restarted on the same port and slot directory. */
export class LlamaServer {
  /** The slot save directory, kept across restarts. */
  readonly slotDir = mkdtempSync(join(tmpdir(), 'aimagic-ui-slots-'));

  /** Start and wait until healthy. */
  async start(): Promise<void> {
    if (!existsSync(BINARY) || !existsSync(MODEL)) {
      throw new Error(
        `The local engine is not built: ${BINARY} or ${MODEL} is missing. ` +
          'Run "python3 scripts/local-engine/engine.py build && python3 scripts/local-engine/engine.py model" first (scripts/test.sh does).'
      );
    }
    this._proc = spawn(
      BINARY,
      ['--model', MODEL, '--alias', MODEL_ALIAS, '--host', '127.0.0.1', '--port', String(LOCAL_PORT), '--threads', '2', '--threads-batch', '2',
        '--ctx-size', '4096', '--parallel', '1', '--slot-save-path', this.slotDir, '--jinja', '--no-webui'],
      { stdio: ['ignore', 'ignore', 'pipe'], env: Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('LLAMA_'))) }
    );
    let log = '';
    this._proc.stderr?.on('data', chunk => (log = (log + String(chunk)).slice(-4000)));
    const deadline = Date.now() + 120000;
    while (Date.now() < deadline) {
      if (this._proc.exitCode !== null) {
        throw new Error(`llama-server exited with ${this._proc.exitCode}:\n${log}`);
      }
      try {
        if ((await fetch(`http://127.0.0.1:${LOCAL_PORT}/health`)).ok) {
          return;
        }
      } catch {
        // Not listening yet.
      }
      await new Promise(r => setTimeout(r, 200));
    }
    throw new Error(`llama-server did not become healthy in 120 s:\n${log}`);
  }

  /** Stop it (SIGTERM) and wait for the exit. */
  async stop(): Promise<void> {
    const proc = this._proc;
    this._proc = null;
    if (!proc || proc.exitCode !== null) {
      return;
    }
    const exited = new Promise(r => proc.once('exit', r));
    proc.kill('SIGTERM');
    await exited;
  }

  private _proc: ChildProcess | null = null;
}
