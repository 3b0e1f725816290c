#!/usr/bin/env node
/**
 * `aimagic prompt NOTEBOOK --cell N`: print, as JSON, the exact request body the AI cell at
 * index N would send. It runs the same core code as the extension.
 */
import { readFileSync } from 'fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'path';
import { preparePrompt } from '../core/request/assemble';
import { docsToSend, droppedDocsError, loadDocs } from '../core/docs/docs';
import { htmlToMarkdown } from '../core/context/html-markdown';
import { isAICell, splitAICell } from '../core/context/aicell';
import { findVariables } from '../core/context/variables';
import { prepareImages } from '../core/request/prepare-images';
import { NotebookJSON } from '../core/nbformat';
import { providerInfo } from '../core/providers/registry';
import { AISettings, DEFAULT_SETTINGS, readNotebookOverrides } from '../core/settings';
import { nodeDocLoader } from './node-doc-loader';
import { offeredToolNames } from '../core/request/tool-offer';
import { ToolSpec } from '../core/types';

const USAGE = `Usage: aimagic prompt NOTEBOOK.ipynb --cell N [options]

Prints the exact JSON request body that the AI cell at index N (0-based) would send,
with the notebook's context docs (aimagic.docs) loaded as the extension loads them: paths
relative to the notebook (a leading / from the root), URLs fetched (http and https only,
5 MB, 20 s, 5 redirects). A doc that cannot be loaded stops the dry run, as it stops the cell.
Images are scaled to the provider's limits by the same code as in the browser, byte for byte.

Options:
  --provider ID          provider (default ${DEFAULT_SETTINGS.provider})
  --model ID             model (default ${DEFAULT_SETTINGS.model}; the notebook's metadata may override)
  --max-tokens N         longest reply (default ${DEFAULT_SETTINGS.maxTokens})
  --system TEXT          extra system instructions
  --max-output-chars N   longest output kept per output (default ${DEFAULT_SETTINGS.maxOutputChars})
  --budget N             context budget in tokens, 0 for none (default ${DEFAULT_SETTINGS.budgetTokens})
  --docs-ttl 5m|1h       cache lifetime of the docs (default ${DEFAULT_SETTINGS.docsCacheTTL})
  --root DIR             the Jupyter server's root, where "/path" docs start (default: the
                         current folder when the notebook is inside it, else the notebook's)
  --var NAME=VALUE       the value of $\`NAME\` in the prompt, as the kernel would give it
                         (its repr); once for each variable the prompt names
  --no-images            send no images (as the setting "Send images" off)
  --tools FILE.json      schemas of the tools the prompts offer (&\`name\`), since the dry run
                         has no kernel: {"name": {"description": "...", "parameters": {JSON
                         Schema}}} or {"name": {JSON Schema}}; a name without one stops the run
  --summary              print what went in (turns, omitted cells, problems) to stderr

Tool calls of earlier replies ({.tool} blocks) are printed as the provider's tool turns,
exactly as they are sent.
`;

/** Parsed command line. */
interface Args {
  notebook: string;
  cell: number;
  settings: AISettings;
  summary: boolean;
  root?: string;
  /** Values of the prompt's `$`name`` variables. */
  variables: Record<string, string>;
  tools?: string;
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
  let root: string | undefined;
  const variables: Record<string, string> = {};
  let tools: string | undefined;
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
      case '--root': root = need(flag, value); i++; break;
      case '--no-images': settings.sendImages = false; break;
      case '--var': {
        const match = /^([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)=([\s\S]*)$/.exec(need(flag, value));
        if (!match) {
          throw new Error(`--var is NAME=VALUE, not ${JSON.stringify(value)}.\n\n${USAGE}`);
        }
        variables[match[1]] = match[2];
        i++;
        break;
      }
      case '--tools': tools = need(flag, value); i++; break;
      default: throw new Error(`Unknown option ${flag}.\n\n${USAGE}`);
    }
  }
  if (cell === undefined) {
    throw new Error(`--cell is required.\n\n${USAGE}`);
  }
  return { notebook, cell, settings, summary, root, variables, tools };
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
export async function main(argv: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
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
    const { root, notebookPath } = Private.workspace(args.notebook, args.root);
    const dropped = droppedDocsError(notebook.metadata);
    if (dropped) {
      throw new Error(dropped);
    }
    const refs = readNotebookOverrides(notebook.metadata).overrides.docs ?? [];
    const statuses = await loadDocs(refs, { notebookPath, loader: nodeDocLoader(root) });
    const { docs, error } = docsToSend(statuses);
    if (error) {
      throw new Error(error);
    }
    const target = notebook.cells[args.cell];
    const { prompt } = isAICell(target) ? splitAICell(target.source ?? '') : { prompt: '' };
    const missing = findVariables(prompt).filter(name => !Object.hasOwn(args.variables, name));
    if (missing.length) {
      throw new Error(`the prompt names ${missing.map(n => `$\`${n}\``).join(', ')}: give ${missing.length > 1 ? 'their values' : 'its value'} with ${missing.map(n => `--var ${n}=VALUE`).join(' ')}.`);
    }
    const tools = Private.tools(offeredToolNames(notebook, args.cell), args.tools);
    const images = await prepareImages(notebook, args.settings);
    const prepared = preparePrompt(notebook, args.cell, { settings: args.settings, docs, htmlToMarkdown, images, variables: args.variables, tools });
    const body = providerInfo(prepared.settings.provider).toBody(prepared.request);
    const notes = prepared.problems.map(p => `warning: ${p}`);
    notes.push(...statuses.filter(s => s.state === 'stale').map(s => `warning: doc "${s.title}" is an older copy: ${s.reason}`));
    if (args.summary) {
      const d = prepared.dialogue;
      notes.push(...statuses.map(s => `doc ${s.index + 1}: "${s.title}" (${s.source}) ${s.state}${s.state === 'disabled' ? '' : `, ~${s.tokens} tokens`}`));
      notes.push(`${d.turns.length} turns from ${d.cellCount} cells; ${d.omitted.length} left out for the budget${d.omitted.length ? `: ${d.omitted.join(', ')}` : ''}`);
    }
    return { stdout: JSON.stringify(body, null, 2) + '\n', stderr: notes.map(n => n + '\n').join(''), code: 0 };
  } catch (e) {
    return { stdout: '', stderr: `aimagic: ${(e as Error).message}\n`, code: 1 };
  }
}

namespace Private {
  /**
   * The specs of the offered tools from a `--tools` file, in the order offered.
   *
   * @throws Error naming the tools without a schema.
   */
  export function tools(names: string[], file: string | undefined): ToolSpec[] {
    if (!names.length) {
      return [];
    }
    let table: Record<string, unknown> = {};
    if (file) {
      const parsed = JSON.parse(readFileSync(file, 'utf8')) as unknown;
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
        throw new Error(`${file} must hold a JSON object of tool name -> schema.`);
      }
      table = parsed as Record<string, unknown>;
    }
    const missing = names.filter(n => !table[n] || typeof table[n] !== 'object');
    if (missing.length) {
      throw new Error(
        `no schema for ${missing.map(n => `&\`${n}\``).join(', ')}: the dry run has no kernel to describe ${missing.length > 1 ? 'them' : 'it'}. ` +
          `Pass --tools FILE.json with {"${missing[0]}": {"description": "...", "parameters": {"type": "object", "properties": {...}}}}.`
      );
    }
    return names.map(name => {
      const entry = table[name] as Record<string, unknown>;
      const parameters = (entry.parameters ?? entry.input_schema ?? entry) as Record<string, unknown>;
      if (parameters.type !== 'object') {
        throw new Error(`the schema of ${name} in ${file} is not a JSON Schema of type "object".`);
      }
      const description = typeof entry.description === 'string' ? entry.description : '';
      // A bare schema's own description is the tool's; it is not a parameter.
      const { description: _d, ...bare } = parameters;
      return { name, description, parameters: entry.parameters || entry.input_schema ? parameters : bare };
    });
  }

  /**
   * The server root and the notebook's path from it.
   */
  export function workspace(notebookFile: string, rootOption?: string): { root: string; notebookPath: string } {
    const file = resolve(notebookFile);
    const cwd = process.cwd();
    const inside = (dir: string) => {
      const rel = relative(dir, file);
      return !rel.startsWith('..') && !isAbsolute(rel);
    };
    const root = rootOption ? resolve(rootOption) : inside(cwd) ? cwd : dirname(file);
    if (!inside(root)) {
      throw new Error(`the notebook ${notebookFile} is not inside --root ${rootOption}.`);
    }
    return { root, notebookPath: relative(root, file).split(sep).join('/') };
  }
}

if (require.main === module) {
  void main(process.argv.slice(2)).then(({ stdout, stderr, code }) => {
    process.stdout.write(stdout);
    process.stderr.write(stderr);
    process.exitCode = code;
  });
}
