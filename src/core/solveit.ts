/**
 * SolveIt's notebook metadata, in both of its forms: the older top-level
 * `solveit_dialog_mode`, and the newer `solveit` object (`mode`, `ver`, `use_thinking`,
 * `use_tools`, `use_fence`, `default_code`) that current SolveIt exports carry.
 *
 * Reading accepts either (the object wins where both are present); writing changes the
 * form the notebook already uses and nothing else in it, so a dialog goes back to SolveIt
 * as it came.
 */

/** SolveIt's dialog modes. */
export type DialogMode = 'standard' | 'learning' | 'concise';

/** The dialog modes, in menu order. */
export const DIALOG_MODES: readonly DialogMode[] = ['standard', 'learning', 'concise'];

/** The older key of the dialog mode. */
export const LEGACY_MODE_KEY = 'solveit_dialog_mode';

/** The newer metadata object. */
export const SOLVEIT_KEY = 'solveit';

/** What a notebook's SolveIt metadata says, each field only when the notebook sets it. */
export interface SolveitSettings {
  mode?: DialogMode;
  /** The format version SolveIt wrote (2 in current exports). */
  ver?: number;
  /** Extended thinking for the dialog's prompts (a prompt's own `use_thinking` wins). */
  useThinking?: boolean;
  /** Whether `&`name`` tools are offered to the model. */
  useTools?: boolean;
  /** SolveIt's fenced-code reply setting. */
  useFence?: boolean;
  /** Whether new messages default to code. */
  defaultCode?: boolean;
}

/** The boolean fields of the `solveit` object and their names here. */
const FLAGS = [
  ['use_thinking', 'useThinking'],
  ['use_tools', 'useTools'],
  ['use_fence', 'useFence'],
  ['default_code', 'defaultCode']
] as const;

/**
 * Read SolveIt's metadata; anything malformed is reported and ignored, never rewritten.
 *
 * @param metadata - The notebook's metadata.
 * @param problems - Where to add what was wrong.
 */
export function readSolveit(metadata: { [key: string]: unknown } | undefined, problems: string[]): SolveitSettings {
  const settings: SolveitSettings = {};
  const legacy = metadata?.[LEGACY_MODE_KEY];
  if (legacy !== undefined) {
    if (isMode(legacy)) {
      settings.mode = legacy;
    } else {
      problems.push(`${LEGACY_MODE_KEY} must be "standard", "learning" or "concise", not ${JSON.stringify(legacy)}.`);
    }
  }
  const raw = metadata?.[SOLVEIT_KEY];
  if (raw === undefined) {
    return settings;
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    problems.push(`Notebook metadata "${SOLVEIT_KEY}" must be an object; it is ignored.`);
    return settings;
  }
  const meta = raw as { [key: string]: unknown };
  if (meta.mode !== undefined) {
    if (isMode(meta.mode)) {
      settings.mode = meta.mode;
    } else {
      problems.push(`solveit.mode must be "standard", "learning" or "concise", not ${JSON.stringify(meta.mode)}.`);
    }
  }
  if (meta.ver !== undefined) {
    if (typeof meta.ver === 'number') {
      settings.ver = meta.ver;
    } else {
      problems.push('solveit.ver must be a number; it is ignored.');
    }
  }
  for (const [key, name] of FLAGS) {
    const value = meta[key];
    // SolveIt has stored its flags as 0/1 as well as booleans.
    if (typeof value === 'boolean' || value === 0 || value === 1) {
      settings[name] = Boolean(value);
    } else if (value !== undefined) {
      problems.push(`solveit.${key} must be true or false; it is ignored.`);
    }
  }
  return settings;
}

/**
 * The metadata writes that set the dialog mode in the form the notebook already uses:
 * `solveit.mode` (other fields kept) when it has the object, `solveit_dialog_mode` when it
 * has that key or neither, both when it has both.
 *
 * @param metadata - The notebook's metadata as it is now.
 * @param mode - The new mode.
 * @returns Top-level keys and their new values.
 */
export function dialogModeWrites(metadata: { [key: string]: unknown } | undefined, mode: DialogMode): [string, unknown][] {
  const raw = metadata?.[SOLVEIT_KEY];
  const hasObject = typeof raw === 'object' && raw !== null && !Array.isArray(raw);
  const writes: [string, unknown][] = [];
  if (hasObject) {
    writes.push([SOLVEIT_KEY, { ...(raw as object), mode }]);
  }
  if (!hasObject || metadata?.[LEGACY_MODE_KEY] !== undefined) {
    writes.push([LEGACY_MODE_KEY, mode]);
  }
  return writes;
}

/**
 * Whether a value is a dialog mode.
 *
 * @param value - Any value.
 */
export function isMode(value: unknown): value is DialogMode {
  return typeof value === 'string' && (DIALOG_MODES as readonly string[]).includes(value);
}
