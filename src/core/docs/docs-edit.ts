/**
 * Edits of a notebook's `aimagic.docs` as the docs panel makes them: on the raw metadata, so
 * entries this version does not understand (written by hand or by another tool) and other
 * keys of `aimagic` are kept exactly as they were. When the metadata cannot be edited safely
 * (`aimagic` or `aimagic.docs` of the wrong type) nothing is changed until the user asks.
 */
import { DocRef, readNotebookOverrides } from '../settings';

/** One valid entry, with its position in the raw list. */
export interface DocEntry {
  /** Index in the raw `aimagic.docs` list. */
  raw: number;
  ref: DocRef;
}

/** What the panel may do with a notebook's docs metadata. */
export interface DocsEditState {
  /** False when `aimagic` or `aimagic.docs` has the wrong type: editing would overwrite it. */
  editable: boolean;
  /** Problems of the docs metadata, for the user. */
  problems: string[];
  entries: DocEntry[];
}

/** An edit of the docs list. */
export type DocsEdit =
  | { op: 'add'; source: string; title?: string }
  | { op: 'remove'; raw: number }
  | { op: 'move'; raw: number; by: -1 | 1 }
  | { op: 'set'; raw: number; key: 'enabled' | 'expand' | 'optional'; value: boolean };

/**
 * Read the docs metadata for editing.
 *
 * @param metadata - The notebook's metadata.
 */
export function docsEditState(metadata: Record<string, unknown> | undefined): DocsEditState {
  const { overrides, problems } = readNotebookOverrides(metadata);
  const docProblems = problems.filter(p => p.startsWith('aimagic.docs') || p.startsWith('Notebook metadata "aimagic"'));
  const raw = metadata?.aimagic;
  const container = raw === undefined || (typeof raw === 'object' && raw !== null && !Array.isArray(raw));
  const docs = container ? (raw as Record<string, unknown> | undefined)?.docs : undefined;
  const editable = container && (docs === undefined || Array.isArray(docs));
  const valid = Array.isArray(docs)
    ? docs.flatMap((d, i) => (typeof d === 'object' && d !== null && typeof (d as DocRef).source === 'string' && (d as DocRef).source.trim() ? [i] : []))
    : [];
  const entries = (overrides.docs ?? []).map((ref, k) => ({ raw: valid[k], ref }));
  return { editable, problems: docProblems, entries };
}

/**
 * The new `aimagic` metadata after an edit.
 *
 * @param metadata - The notebook's metadata.
 * @param edit - The edit.
 * @throws Error when the metadata is not editable (see {@link docsEditState}).
 */
export function editDocs(metadata: Record<string, unknown> | undefined, edit: DocsEdit): Record<string, unknown> {
  if (!docsEditState(metadata).editable) {
    throw new Error('The notebook\'s "aimagic" metadata is not in a form that can be edited; reset the docs list first.');
  }
  const aimagic = { ...((metadata?.aimagic as Record<string, unknown> | undefined) ?? {}) };
  const docs = [...((aimagic.docs as unknown[] | undefined) ?? [])];
  switch (edit.op) {
    case 'add':
      docs.push(edit.title ? { source: edit.source, title: edit.title } : { source: edit.source });
      break;
    case 'remove':
      docs.splice(edit.raw, 1);
      break;
    case 'move': {
      const to = edit.raw + edit.by;
      if (to >= 0 && to < docs.length) {
        [docs[edit.raw], docs[to]] = [docs[to], docs[edit.raw]];
      }
      break;
    }
    case 'set': {
      const entry = { ...(docs[edit.raw] as Record<string, unknown>) };
      // Defaults are left implicit so a notebook's metadata stays small and readable.
      const isDefault = edit.key === 'enabled' ? edit.value : !edit.value;
      if (isDefault) {
        delete entry[edit.key];
      } else {
        entry[edit.key] = edit.value;
      }
      docs[edit.raw] = entry;
      break;
    }
  }
  aimagic.docs = docs;
  return aimagic;
}

/**
 * The `aimagic` metadata with an empty docs list, other keys kept when `aimagic` is an
 * object: what "reset" writes, only when the user asks.
 *
 * @param metadata - The notebook's metadata.
 */
export function resetDocs(metadata: Record<string, unknown> | undefined): Record<string, unknown> {
  const raw = metadata?.aimagic;
  const base = typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? { ...(raw as Record<string, unknown>) } : {};
  return { ...base, docs: [] };
}
