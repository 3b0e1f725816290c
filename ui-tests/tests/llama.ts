/**
 * The local engine as the Jupyter server runs it for the UI tests (jupyter_server_test_config.py):
 * where it keeps its slot files, and how to stop it as `jupyter aimagic engine stop` does (by
 * the pid in its state file), so that the next AI cell has the server start it again.
 */
import { existsSync, readFileSync } from 'fs';
import { join } from 'path';

export const MODEL_ALIAS = 'smollm2-135m-instruct';
/** The engine's cache for this run (set by playwright.config.js). */
const CACHE = process.env.AIMAGIC_TEST_ENGINE_CACHE as string;

/** The engine the Jupyter server started. */
export class LocalEngine {
  /** The slot save directory, kept across restarts. */
  readonly slotDir = join(CACHE, 'slots');

  /** The running engine's pid, from its state file; undefined when none is recorded. */
  pid(): number | undefined {
    const state = join(CACHE, 'engine', 'engine.json');
    return existsSync(state) ? (JSON.parse(readFileSync(state, 'utf8')) as { pid: number }).pid : undefined;
  }

  /** Stop it (SIGTERM, as `jupyter aimagic engine stop`) and wait for the exit. */
  async stop(): Promise<void> {
    const pid = this.pid();
    if (pid === undefined) {
      throw new Error('No engine is recorded as running.');
    }
    process.kill(pid, 'SIGTERM');
    for (const deadline = Date.now() + 30000; Date.now() < deadline; await new Promise(r => setTimeout(r, 100))) {
      // Gone, or exited and waiting for the Jupyter server to reap it (a zombie).
      const stat = existsSync(`/proc/${pid}/stat`) ? readFileSync(`/proc/${pid}/stat`, 'utf8') : '';
      if (!stat || stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) {
        return;
      }
    }
    throw new Error(`The engine (pid ${pid}) did not stop in 30 s.`);
  }
}
