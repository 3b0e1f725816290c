/**
 * Small DOM helpers shared by the extension's own views (the docs panel, the prompt view,
 * the folded tool calls).
 */

/**
 * A new element, with a class and text when given.
 *
 * @param tag - The element's tag.
 * @param className - Its classes (none when empty).
 * @param text - Its text (none when undefined).
 */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, className = '', text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) {
    node.className = className;
  }
  if (text !== undefined) {
    node.textContent = text;
  }
  return node;
}
