/**
 * "Insert as cell" buttons on the code blocks of a rendered reply, where the user reads them.
 *
 * The rendered markdown of an AI cell holds the prompt, the reply heading SolveIt's separator
 * renders as, and the reply. Every `<pre>` after that heading is matched, in order, to a
 * fenced block of the reply by its text, so a button always inserts the block it sits under.
 */
import { Cell } from '@jupyterlab/cells';
import { CodeBlock } from '../core/context/codeblocks';

/** The class of the row holding a block's button. */
export const BLOCK_ACTIONS_CLASS = 'jp-aimagic-BlockActions';

/**
 * Add (or refresh) the buttons of a rendered AI cell. Does nothing to the DOM when the
 * buttons are already right, so it is safe to call from a mutation observer.
 *
 * @param cell - The AI cell widget.
 * @param blocks - The fenced blocks of its reply.
 * @param onInsert - Called with the block whose button was clicked.
 */
export function attachBlockButtons(cell: Cell, blocks: CodeBlock[], onInsert: (block: CodeBlock) => void): void {
  const root = cell.inputArea?.node.querySelector('.jp-RenderedMarkdown');
  if (!root) {
    return;
  }
  const heading = Array.from(root.querySelectorAll('h1, h2, h3, h4, h5, h6')).find(h => h.textContent?.includes('🤖Reply🤖'));
  const pres = heading ? Array.from(root.querySelectorAll('pre')).filter(pre => heading.compareDocumentPosition(pre) & Node.DOCUMENT_POSITION_FOLLOWING) : [];
  attachButtonsToBlocks(pres, blocks, onInsert);
}

/**
 * Match `<pre>` elements to fenced blocks by their text, in order, and give each matched one
 * its button (also used by the streaming view for its finished blocks).
 *
 * @param pres - The rendered code blocks, in order.
 * @param blocks - The fenced blocks they may show.
 * @param onInsert - Called with the block whose button was clicked.
 */
export function attachButtonsToBlocks(pres: Element[], blocks: CodeBlock[], onInsert: (block: CodeBlock) => void): void {
  let next = 0;
  for (const pre of pres) {
    const text = Private.normalise(pre.textContent ?? '');
    const found = blocks.findIndex((b, i) => i >= next && Private.normalise(b.code) === text);
    const row = pre.nextElementSibling?.classList.contains(BLOCK_ACTIONS_CLASS) ? (pre.nextElementSibling as HTMLElement) : null;
    if (found < 0) {
      row?.remove();
      continue;
    }
    next = found + 1;
    const block = blocks[found];
    if (row && row.dataset.code === block.code) {
      Private.handlers.set(row, () => onInsert(block));
      continue;
    }
    row?.remove();
    pre.after(Private.makeRow(block, () => onInsert(block)));
  }
}

namespace Private {
  /** Click handlers by row, replaced on each pass so they see the current reply. */
  export const handlers = new WeakMap<HTMLElement, () => void>();

  /** Text compared between a `<pre>` and a block: line ends and outer blank lines ignored. */
  export function normalise(text: string): string {
    return text.replace(/\r\n/g, '\n').replace(/^\n+|\s+$/g, '');
  }

  /** The row under a block: one button. */
  export function makeRow(block: CodeBlock, onClick: () => void): HTMLElement {
    const row = document.createElement('div');
    row.className = BLOCK_ACTIONS_CLASS;
    row.dataset.code = block.code;
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'jp-Button jp-mod-minimal jp-aimagic-InsertBlock';
    button.textContent = 'Insert as cell';
    button.title = `Insert this ${block.language || 'code'} block as a cell below the reply`;
    handlers.set(row, onClick);
    button.addEventListener('click', event => {
      event.stopPropagation();
      handlers.get(row)?.();
    });
    // A double click on rendered markdown opens the editor; not on the button.
    button.addEventListener('dblclick', event => event.stopPropagation());
    row.append(button);
    return row;
  }
}
