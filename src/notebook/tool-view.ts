/**
 * Tool calls in a rendered reply: each `{.tool}` block, which markdown renders as a JSON
 * code block, becomes one folded line `🔧 name(args) → result` that opens on the arguments
 * and the whole result; a call still running shows ⏳. The reply text stays SolveIt's format:
 * only the rendered DOM changes, the same way while the reply streams and after.
 */
import { ToolBlock, readToolBlock, toolSummary } from '../core/context/tool-blocks';
import { el } from './dom';

/** The class of a rendered tool call. */
export const TOOL_CALL_CLASS = 'jp-aimagic-ToolCall';

/**
 * Replace the tool blocks under a node by their folded view. Cheap when there are none, so
 * it can run on every render.
 *
 * @param root - A rendered markdown node (or any ancestor of one).
 */
export function renderToolBlocks(root: HTMLElement): void {
  for (const code of Array.from(root.querySelectorAll('pre > code'))) {
    const text = code.textContent ?? '';
    // A tool block always has args; an ordinary JSON example with an id and a name stays code.
    if (!text.trimStart().startsWith('{') || !text.includes('"args"')) {
      continue;
    }
    const pre = code.parentElement as HTMLElement;
    const block = readToolBlock(text, true);
    if (block) {
      pre.replaceWith(Private.view(block));
    }
  }
}

/**
 * Keep the tool blocks under a node folded as it re-renders (a streaming reply, a markdown
 * cell rendered again).
 *
 * @param root - The node to watch.
 * @returns Stops watching.
 */
export function watchToolBlocks(root: HTMLElement): () => void {
  renderToolBlocks(root);
  // Only what was added is looked at: a streaming reply adds a little at a time to a lot.
  const observer = new MutationObserver(records => {
    for (const record of records) {
      for (const node of Array.from(record.addedNodes)) {
        if (node.nodeType === Node.ELEMENT_NODE) {
          const element = node as HTMLElement;
          // Code added into a block that was already there: look at that block.
          renderToolBlocks(element.tagName === 'CODE' && element.parentElement ? element.parentElement : element);
        }
      }
    }
  });
  observer.observe(root, { childList: true, subtree: true });
  return () => observer.disconnect();
}

namespace Private {
  /** The folded view of one call. */
  export function view(block: ToolBlock): HTMLElement {
    const running = block.result === undefined;
    const details = el('details', `${TOOL_CALL_CLASS}${running ? ' jp-mod-running' : ''}${block.isError ? ' jp-mod-error' : ''}`);
    details.dataset.toolId = block.id;
    details.dataset.toolName = block.name;
    const icon = running ? '⏳' : block.isError ? '⚠️' : '🔧';
    const summary = el('summary', `${TOOL_CALL_CLASS}-summary`);
    summary.append(el('span', `${TOOL_CALL_CLASS}-icon`, icon), el('code', `${TOOL_CALL_CLASS}-line`, toolSummary(block)));
    if (running) {
      summary.append(el('span', `${TOOL_CALL_CLASS}-status`, 'running…'));
    }
    details.append(summary);
    const args = Object.entries(block.args);
    if (args.length) {
      const list = el('dl', `${TOOL_CALL_CLASS}-args`);
      for (const [name, value] of args) {
        list.append(el('dt', '', name), el('dd', '', typeof value === 'string' ? value : JSON.stringify(value, null, 1)));
      }
      details.append(list);
    }
    if (!running) {
      details.append(el('pre', `${TOOL_CALL_CLASS}-result`, block.result || '(no result)'));
    }
    return details;
  }
}
