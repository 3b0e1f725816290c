#!/usr/bin/env node
/**
 * `aimagic prompt NOTEBOOK --cell N`: print, as JSON, the exact request body the AI cell at
 * index N would send. It runs the same core code as the extension.
 */
import { readFileSync } from 'fs';
import { preparePrompt } from '../core/assemble';
import { NotebookJSON } from '../core/nbformat';
import { providerInfo } from '../core/providers/registry';
import { AISettings, DEFAULT_SETTINGS } from '../core/settings';

const USAGE = `Usage: aimagic prompt NOTEBOOK.ipynb --cell N [options]

Prints the exact JSON request body that the AI cell at index N (0-based) would send.

Options:
  --provider ID          provider (default ${DEFAULT_SETTINGS.provider})
  --model ID             model (default ${DEFAULT_SETTINGS.model}; the notebook's metadata may override)
  --max-tokens N         longest reply (default ${DEFAULT_SETTINGS.maxTokens})
  --system TEXT          extra system instructions
  --max-output-chars N   longest output kept per output (default ${DEFAULT_SETTINGS.maxOutputChars})
  --budget N             context budget in tokens, 0 for none (default ${DEFAULT_SETTINGS.budgetTokens})
  --docs-ttl 5m|1h       cache lifetime of the docs (default ${DEFAULT_SETTINGS.docsCacheTTL})
  --summary              print what went in (turns, omitted cells, problems) to stderr
`;

/** Parsed command line. */
interface Args {
  notebook: string;
  cell: number;
  settings: AISettings;
  summary: boolean;
}

/**
 * Parse the command line.
 *
 * @param argv - Arguments after the program name.
 * @throws Error with a usage message.
 */
export function parseArgs(argv: string[]): Args {
  const [command, notebook, ...rest] = argv;
  if (command !== 'prompt' || !notebook) {
    throw new Error(USAGE);
  }
  const settings: AISettings = { ...DEFAULT_SETTINGS };
  let cell: number | undefined;
  let summary = false;
  const int = (flag: string, value: string | undefined): number => {
    const v = Number(value);
    if (value === undefined || !Number.isInteger(v) || v < 0) {
      throw new Error(`${flag} needs a whole number, not ${JSON.stringify(value)}.\n\n${USAGE}`);
    }
    return v;
  };
  for (let i = 0; i < rest.length; i++) {
    const flag = rest[i];
    const value = rest[i + 1];
    switch (flag) {
      case '--cell': cell = int(flag, value); i++; break;
      case '--provider': settings.provider = need(flag, value); i++; break;
      case '--model': settings.model = need(flag, value); i++; break;
      case '--max-tokens': settings.maxTokens = int(flag, value); i++; break;
      case '--system': settings.systemPrompt = need(flag, value); i++; break;
      case '--max-output-chars': settings.maxOutputChars = int(flag, value); i++; break;
      case '--budget': settings.budgetTokens = int(flag, value); i++; break;
      case '--docs-ttl':
        if (value !== '5m' && value !== '1h') {
          throw new Error(`--docs-ttl is 5m or 1h.\n\n${USAGE}`);
        }
        settings.docsCacheTTL = value; i++; break;
      case '--summary': summary = true; break;
      default: throw new Error(`Unknown option ${flag}.\n\n${USAGE}`);
    }
  }
  if (cell === undefined) {
    throw new Error(`--cell is required.\n\n${USAGE}`);
  }
  return { notebook, cell, settings, summary };
}

/**
 * A flag's value, which must be present.
 */
function need(flag: string, value: string | undefined): string {
  if (value === undefined) {
    throw new Error(`${flag} needs a value.\n\n${USAGE}`);
  }
  return value;
}

/**
 * Run the command.
 *
 * @param argv - Arguments after the program name.
 * @returns Text for stdout and stderr, and the exit code.
 */
export function main(argv: string[]): { stdout: string; stderr: string; code: number } {
  let args: Args;
  try {
    args = parseArgs(argv);
  } catch (e) {
    return { stdout: '', stderr: (e as Error).message, code: 2 };
  }
  try {
    const notebook = JSON.parse(readFileSync(args.notebook, 'utf8')) as NotebookJSON;
    if (!notebook || !Array.isArray(notebook.cells)) {
      throw new Error(`${args.notebook} is not a notebook (no cells).`);
    }
    if (args.cell >= notebook.cells.length) {
      throw new Error(`--cell ${args.cell} is past the last cell (${notebook.cells.length - 1}).`);
    }
    const prepared = preparePrompt(notebook, args.cell, { settings: args.settings });
    const body = providerInfo(prepared.settings.provider).toBody(prepared.request);
    const notes = prepared.problems.map(p => `warning: ${p}`);
    if (args.summary) {
      const d = prepared.dialogue;
      notes.push(`${d.turns.length} turns from ${d.cellCount} cells; ${d.omitted.length} left out for the budget${d.omitted.length ? `: ${d.omitted.join(', ')}` : ''}`);
    }
    return { stdout: JSON.stringify(body, null, 2) + '\n', stderr: notes.map(n => n + '\n').join(''), code: 0 };
  } catch (e) {
    return { stdout: '', stderr: `aimagic: ${(e as Error).message}\n`, code: 1 };
  }
}

if (require.main === module) {
  const { stdout, stderr, code } = main(process.argv.slice(2));
  process.stdout.write(stdout);
  process.stderr.write(stderr);
  process.exitCode = code;
}
