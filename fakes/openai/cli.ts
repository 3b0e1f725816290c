/**
 * Run the fake standalone (through `node fakes/openai/run.js`, which needs no build step):
 *
 *   node fakes/openai/run.js [--port N] [--host H] [--key K]... [--no-key] [--llama SLOT_DIR] [--alias NAME]
 *
 * `--port 0` (the default) picks a free port. Without `--key` the key is `test-key`;
 * `--no-key` accepts requests without one, as local servers do. `--llama DIR` plays
 * llama.cpp's server with slot files under DIR. Prints `FAKE_OPENAI_URL=http://HOST:PORT/v1`
 * once listening; stops on SIGTERM or SIGINT.
 */
import { FakeOpenAIOptions, startFakeOpenAI } from './server';

/**
 * Parse the command line.
 *
 * @param argv - Arguments after the script name.
 */
export function parseArgs(argv: string[]): FakeOpenAIOptions {
  const options: FakeOpenAIOptions = {};
  const keys: string[] = [];
  let noKey = false;
  for (let i = 0; i < argv.length; i++) {
    const value = () => {
      const v = argv[++i];
      if (v === undefined) {
        throw new Error(`${argv[i - 1]} needs a value`);
      }
      return v;
    };
    switch (argv[i]) {
      case '--port':
        options.port = Number(value());
        break;
      case '--host':
        options.host = value();
        break;
      case '--key':
        keys.push(value());
        break;
      case '--no-key':
        noKey = true;
        break;
      case '--llama':
        options.llama = { ...options.llama, slotSavePath: value() };
        break;
      case '--alias':
        options.llama = { slotSavePath: options.llama?.slotSavePath ?? '', alias: value() };
        break;
      default:
        throw new Error(`unknown argument ${argv[i]}`);
    }
  }
  options.apiKeys = noKey ? [] : keys.length ? keys : ['test-key'];
  return options;
}

/** Start the fake from the command line. */
export async function main(): Promise<void> {
  const fake = await startFakeOpenAI(parseArgs(process.argv.slice(2)));
  process.stdout.write(`FAKE_OPENAI_URL=${fake.url}\n`);
  const stop = () => void fake.close().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
