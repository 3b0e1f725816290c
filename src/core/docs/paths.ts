/**
 * Workspace paths as Jupyter's contents API uses them: `/`-separated, relative to the server
 * root, no leading slash. Pure string work, the same in the browser and in Node.
 */

/**
 * The folder of a path (`''` for the root).
 *
 * @param path - A workspace path.
 */
export function dirname(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

/**
 * Join two path pieces with one `/`.
 *
 * @param a - A folder.
 * @param b - A relative path.
 */
export function joinPath(a: string, b: string): string {
  return a ? `${a.replace(/\/+$/, '')}/${b}` : b;
}

/**
 * Resolve `.` and `..` and drop empty segments.
 *
 * @param path - A path.
 * @returns The normal path, or null when `..` would leave the root.
 */
export function normalizePath(path: string): string | null {
  const out: string[] = [];
  for (const segment of path.split('/')) {
    if (!segment || segment === '.') {
      continue;
    }
    if (segment === '..') {
      if (!out.length) {
        return null;
      }
      out.pop();
    } else {
      out.push(segment);
    }
  }
  return out.join('/');
}
