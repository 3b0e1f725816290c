/**
 * The standalone fake: argument parsing, and `node fakes/anthropic/run.js` end to end
 * (plain Node, no build step).
 */
import { ChildProcess, spawn } from 'child_process';
import * as path from 'path';
import { parseArgs } from './cli';
import { FakeAnthropicOptions } from './server';

describe('parseArgs', () => {
  it.each<[string[], FakeAnthropicOptions]>([
    [[], {}],
    [['--port', '0'], { port: 0 }],
    [['--port', '8123', '--host', '0.0.0.0'], { port: 8123, host: '0.0.0.0' }],
    [['--key', 'a', '--key', 'b'], { apiKeys: ['a', 'b'] }],
    [['--delta-delay', '0'], { deltaDelayMs: 0 }]
  ])('%j', (argv, options) => {
    expect(parseArgs(argv)).toEqual(options);
  });

  it.each<[string[], RegExp]>([
    [['--port'], /needs a value/],
    [['--port', 'x'], /non-negative integer/],
    [['--verbose', '1'], /unknown option --verbose/]
  ])('refuses %j', (argv, message) => {
    expect(() => parseArgs(argv)).toThrow(message);
  });
});

describe('node run.js', () => {
  let child: ChildProcess | undefined;
  afterEach(() => {
    if (child && child.exitCode === null) {
      child.kill('SIGKILL');
    }
  });

  /** Start run.js and resolve with the URL it announces. */
  function start(args: string[]): Promise<string> {
    child = spawn(process.execPath, [path.join(__dirname, 'run.js'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    return new Promise((resolve, reject) => {
      let out = '';
      let err = '';
      child!.stdout!.on('data', chunk => {
        out += chunk;
        const match = /^FAKE_ANTHROPIC_URL=(http:\/\/127\.0\.0\.1:\d+)\n$/.exec(out);
        if (match) {
          resolve(match[1]);
        }
      });
      child!.stderr!.on('data', chunk => (err += chunk));
      child!.on('exit', code => reject(new Error(`run.js exited with ${code}: ${out}${err}`)));
    });
  }

  /** Resolve with the exit code once the child exits. */
  function exited(): Promise<number | null> {
    return new Promise(resolve => child!.once('exit', code => resolve(code)));
  }

  it.each(['SIGTERM', 'SIGINT'] as const)('serves on a free port with the given key and stops on %s', async signal => {
    const url = await start(['--port', '0', '--key', 'cli-key']);
    const headers = { 'anthropic-version': '2026-10-21' };
    const ok = await fetch(`${url}/v1/models/claude-haiku-4-5`, { headers: { ...headers, 'x-api-key': 'cli-key' } });
    expect(await ok.json()).toMatchObject({ type: 'model', id: 'claude-haiku-4-5' });
    const refused = await fetch(`${url}/v1/models`, { headers: { ...headers, 'x-api-key': 'test-key' } });
    expect(refused.status).toBe(401);

    const exit = exited();
    child!.kill(signal);
    expect(await exit).toBe(0);
  });

  it('exits with status 2 and usage on a bad option', async () => {
    child = spawn(process.execPath, [path.join(__dirname, 'run.js'), '--bogus', '1'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr!.on('data', chunk => (err += chunk));
    expect(await exited()).toBe(2);
    expect(err).toMatch(/unknown option --bogus[\s\S]*usage:/);
  });
});
