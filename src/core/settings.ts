/**
 * The settings the core needs, their defaults, and the notebook's own overrides.
 */
import { SHARED } from './shared';
import { DialogMode, SolveitSettings, readSolveit } from './solveit';
import { CacheTTL } from './types';

export type { DialogMode } from './solveit';

/** Settings that shape a request. */
export interface AISettings {
  /** Provider id, e.g. `anthropic`. */
  provider: string;
  /** Model id. */
  model: string;
  /** Longest reply, in tokens. */
  maxTokens: number;
  /** Extra system instructions from the user's settings. */
  systemPrompt: string;
  /** Longest text kept of one output, in characters. */
  maxOutputChars: number;
  /** Most input tokens the dialogue may take (estimated); 0 for no limit. */
  budgetTokens: number;
  /** Cache lifetime of the docs prefix. */
  docsCacheTTL: CacheTTL;
  /** Thinking budget in tokens for prompts flagged `use_thinking`. */
  thinkingBudget: number;
  /** Longest value of a `$`name`` variable kept in a prompt, in characters; 0 for no limit. */
  maxVariableChars: number;
  /** Whether PNG/JPEG outputs go to the model as images (when the model takes images). */
  sendImages: boolean;
  /** Longest run of one tool call in the kernel, in seconds; past it the kernel is interrupted. */
  toolTimeout: number;
  /** Most model requests of one reply's tool loop. */
  toolSteps: number;
}

/** Defaults: a current Claude model and generous limits (from the shared data file). */
export const DEFAULT_SETTINGS: AISettings = Object.freeze({ ...SHARED.defaultSettings });

/** What a notebook's metadata may set for itself (`metadata.aimagic`). */
export interface NotebookOverrides {
  provider?: string;
  model?: string;
  system?: string;
  docs?: DocRef[];
  mode: DialogMode;
  /** SolveIt's own notebook settings (`solveit` object, `solveit_dialog_mode`). */
  solveit: SolveitSettings;
}

/** A context doc named by a notebook. */
export interface DocRef {
  source: string;
  title?: string;
  enabled?: boolean;
  /** For an llms.txt: fetch the linked pages and send them joined (llms-ctx style). */
  expand?: boolean;
  /** For an expanded llms.txt: include the section named "Optional". */
  optional?: boolean;
}

/** Overrides read from a notebook, with what was wrong in them. */
export interface ReadOverrides {
  overrides: NotebookOverrides;
  /** Human-readable problems; invalid entries are ignored, never rewritten. */
  problems: string[];
}

/**
 * Read and check a notebook's `aimagic` metadata and SolveIt's (`solveit`, `solveit_dialog_mode`).
 *
 * Metadata may have been written by hand or by another tool: anything malformed is
 * reported and ignored, nothing throws.
 *
 * @param metadata - The notebook's metadata.
 */
export function readNotebookOverrides(metadata: { [key: string]: unknown } | undefined): ReadOverrides {
  const problems: string[] = [];
  const solveit = readSolveit(metadata, problems);
  const overrides: NotebookOverrides = { mode: solveit.mode ?? 'standard', solveit };
  const raw = metadata?.aimagic;
  if (raw === undefined) {
    return { overrides, problems };
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    problems.push('Notebook metadata "aimagic" must be an object; it is ignored.');
    return { overrides, problems };
  }
  const meta = raw as { [key: string]: unknown };
  for (const key of ['provider', 'model', 'system'] as const) {
    const value = meta[key];
    if (value === undefined) {
      continue;
    }
    if (typeof value === 'string' && (key === 'system' || value.trim())) {
      overrides[key] = value;
    } else {
      problems.push(`aimagic.${key} must be a non-empty string; it is ignored.`);
    }
  }
  if (meta.docs !== undefined) {
    overrides.docs = Private.readDocs(meta.docs, problems);
  }
  return { overrides, problems };
}

namespace Private {
  /**
   * Read the docs list, keeping the valid entries.
   */
  export function readDocs(value: unknown, problems: string[]): DocRef[] {
    if (!Array.isArray(value)) {
      problems.push('aimagic.docs must be a list; it is ignored.');
      return [];
    }
    const docs: DocRef[] = [];
    value.forEach((entry, i) => {
      const doc = entry as { [key: string]: unknown };
      if (typeof doc !== 'object' || doc === null || typeof doc.source !== 'string' || !doc.source.trim()) {
        problems.push(`aimagic.docs[${i}] needs a "source" (a path or URL); it is ignored.`);
        return;
      }
      if (doc.title !== undefined && typeof doc.title !== 'string') {
        problems.push(`aimagic.docs[${i}].title must be a string; it is ignored.`);
      }
      if (doc.enabled !== undefined && typeof doc.enabled !== 'boolean') {
        problems.push(`aimagic.docs[${i}].enabled must be true or false; the doc is kept enabled.`);
      }
      for (const flag of ['expand', 'optional'] as const) {
        if (doc[flag] !== undefined && typeof doc[flag] !== 'boolean') {
          problems.push(`aimagic.docs[${i}].${flag} must be true or false; it is ignored.`);
        }
      }
      docs.push({
        source: doc.source,
        title: typeof doc.title === 'string' ? doc.title : undefined,
        enabled: doc.enabled === false ? false : true,
        ...(doc.expand === true ? { expand: true } : {}),
        ...(doc.optional === true ? { optional: true } : {})
      });
    });
    return docs;
  }
}
