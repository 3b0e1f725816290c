/**
 * Code blocks of a reply -> the cells inserted below its AI cell, and where they go.
 *
 * Blocks in the kernel's language become code cells; shell blocks become code cells the
 * kernel can run (`!` lines or `%%bash` for IPython); other languages are left out or become
 * markdown, as the user chose. Inserted cells remember their AI cell, so the next insert from
 * the same reply lands after them and a re-run never touches them.
 */
import { CodeBlock } from '../context/codeblocks';

/** What to do with blocks in a language the kernel does not run. */
export type OtherBlocks = 'skip' | 'markdown';

/** The cell-metadata key (inside `aimagic`) naming the AI cell a cell was inserted from. */
export const FROM_KEY = 'from';

/** A cell to insert. */
export interface NewCell {
  cell_type: 'code' | 'markdown';
  source: string;
  metadata: { aimagic: { from: string } };
}

/** Options of {@link cellForBlock}. */
export interface BlockCellOptions {
  /** The kernel's language (`language_info.name`), e.g. `python`. */
  kernelLanguage: string;
  /** Whether the kernel is IPython (shell escapes and cell magics work). */
  ipython: boolean;
  /** Blocks in other languages. */
  other: OtherBlocks;
  /** Id of the AI cell the block comes from. */
  from: string;
}

/** Names a fence may give each kernel language. */
const ALIASES: Record<string, string[]> = {
  python: ['python', 'python3', 'py', 'py3', 'ipython', 'ipython3', 'ipy', 'pycon'],
  r: ['r', 'rscript'],
  julia: ['julia', 'jl'],
  javascript: ['javascript', 'js', 'node'],
  typescript: ['typescript', 'ts'],
  'c++': ['c++', 'cpp', 'cxx'],
  bash: ['bash', 'sh', 'shell', 'zsh']
};

/** Fence languages of shell commands. */
const SHELLS = ['bash', 'sh', 'shell', 'zsh', 'console', 'shell-session', 'terminal'];

/** Lines that need one shell for the whole block, not one per line. */
const NEEDS_ONE_SHELL = /^\s*(cd|export|source|\.|if|then|else|elif|fi|for|while|until|do|done|case|esac|function|set|alias|unset)(\s|$|\()|^\s*[A-Za-z_]\w*=|\\$|<<|[{}]\s*$/;

/**
 * How a block is treated for a kernel: `kernel` (runs as is), `shell`, or `other`.
 *
 * An untagged block is taken as the kernel's language: the system prompt asks for tags, and
 * the user chose to insert it.
 *
 * @param language - The block's language.
 * @param kernelLanguage - The kernel's language.
 */
export function blockKind(language: string, kernelLanguage: string): 'kernel' | 'shell' | 'other' {
  const kernel = kernelLanguage.toLowerCase();
  if (!language || language === kernel || (ALIASES[kernel] ?? []).includes(language)) {
    return 'kernel';
  }
  return SHELLS.includes(language) ? 'shell' : 'other';
}

/**
 * Shell commands as IPython code: one `!` line each (`%pip` for pip), or a `%%bash` cell
 * when the lines share state (cd, variables, loops, continuations).
 *
 * @param code - The shell block's code.
 */
export function shellForIPython(code: string): string {
  // Console transcripts prefix commands with "$ " and show output on other lines.
  const lines = code.split('\n');
  const prompted = lines.some(l => /^\s*\$ /.test(l));
  const commands = (prompted ? lines.filter(l => /^\s*\$ /.test(l)).map(l => l.replace(/^\s*\$ /, '')) : lines).filter(l => l.trim());
  if (commands.some(l => NEEDS_ONE_SHELL.test(l))) {
    return `%%bash\n${commands.join('\n')}`;
  }
  return commands
    .map(l => (l.trim().startsWith('#') ? l : /^\s*pip3? install\b/.test(l) ? l.replace(/^\s*pip3? /, '%pip ') : `!${l.trim()}`))
    .join('\n');
}

/**
 * The cell for one block, or `null` when it stays out.
 *
 * @param block - The code block.
 * @param options - Kernel language, IPython, what to do with other languages.
 */
export function cellForBlock(block: Pick<CodeBlock, 'language' | 'info' | 'code'>, options: BlockCellOptions): NewCell | null {
  const metadata = { aimagic: { from: options.from } };
  if (!block.code.trim()) {
    return null;
  }
  const kind = blockKind(block.language, options.kernelLanguage);
  if (kind === 'kernel') {
    return { cell_type: 'code', source: block.code, metadata };
  }
  if (kind === 'shell' && options.ipython) {
    return { cell_type: 'code', source: shellForIPython(block.code), metadata };
  }
  if (options.other === 'skip') {
    return null;
  }
  // Markdown keeps the block as the reader saw it; a longer fence survives backticks inside.
  const longest = Math.max(2, ...(block.code.match(/`+/g) ?? []).map(run => run.length));
  const fence = '`'.repeat(longest + 1);
  return { cell_type: 'markdown', source: `${fence}${block.info}\n${block.code}\n${fence}`, metadata };
}

/** What {@link insertionIndex} reads of a cell. */
export interface PlacedCell {
  id: string;
  /** The AI cell id the cell was inserted from, if any. */
  from?: string;
}

/**
 * Where cells from the AI cell at `aiIndex` go: right below it, after the cells already
 * inserted from it that still follow it.
 *
 * @param cells - The notebook's cells, in order.
 * @param aiIndex - Index of the AI cell.
 */
export function insertionIndex(cells: PlacedCell[], aiIndex: number): number {
  const id = cells[aiIndex].id;
  let at = aiIndex + 1;
  while (at < cells.length && cells[at].from === id) {
    at++;
  }
  return at;
}
