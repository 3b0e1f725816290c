/**
 * Run the fake standalone (usually through `node fakes/anthropic/run.js`, which needs no
 * build step):
 *
 *   node fakes/anthropic/run.js [--port N] [--host H] [--key K]... [--delta-delay MS]
 *
 * `--port 0` (the default) picks a free port. `--key` may repeat; without it the key is
 * `test-key`. Once listening it prints one line, `FAKE_ANTHROPIC_URL=http://HOST:PORT`, so a
 * parent process can read the address; it stops on SIGTERM or SIGINT.
 */
import { FakeAnthropicOptions, startFakeAnthropic } from './server';

/**
 * Parse the command line.
 *
 * @param argv - Arguments after the script name.
 */
export function parseArgs(argv: readonly string[]): FakeAnthropicOptions {
  const options: FakeAnthropicOptions = {};
  const keys: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (value === undefined) {
      throw new Error(`${flag} needs a value`);
    }
    const number = (): number => {
      if (!/^\d+$/.test(value)) {
        throw new Error(`${flag} needs a non-negative integer, not ${JSON.stringify(value)}`);
      }
      return Number(value);
    };
    switch (flag) {
      case '--port':
        options.port = number();
        break;
      case '--host':
        options.host = value;
        break;
      case '--key':
        keys.push(value);
        break;
      case '--delta-delay':
        options.deltaDelayMs = number();
        break;
      default:
        throw new Error(`unknown option ${flag}`);
    }
    i += 1;
  }
  if (keys.length) {
    options.apiKeys = keys;
  }
  return options;
}

/** Start the server from `process.argv` and stop it on a signal (what run.js calls). */
export async function main(): Promise<void> {
  let options: FakeAnthropicOptions;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (err) {
    console.error(`fake-anthropic: ${(err as Error).message}`);
    console.error('usage: run.js [--port N] [--host H] [--key K]... [--delta-delay MS]');
    process.exit(2);
  }
  const fake = await startFakeAnthropic(options);
  process.stdout.write(`FAKE_ANTHROPIC_URL=${fake.url}\n`);
  const stop = (): void => {
    fake.close().then(() => process.exit(0), () => process.exit(1));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
