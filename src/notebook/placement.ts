/**
 * Where AI Magic's widgets go in a cell: right under the input, above the reply footer and
 * JupyterLab's own (normally empty) cell footer.
 */
import { Cell } from '@jupyterlab/cells';
import { PanelLayout, Widget } from '@lumino/widgets';

/**
 * Put a widget under a cell's input once the cell has built its own parts.
 *
 * Notebooks create cell DOM lazily (windowing); adding earlier would put the widget before
 * the input.
 *
 * @param cell - The cell.
 * @param widget - The widget to place.
 */
export async function placeUnderInput(cell: Cell, widget: Widget): Promise<void> {
  await cell.ready;
  if (cell.isDisposed || widget.isDisposed) {
    return;
  }
  const layout = cell.layout as PanelLayout;
  // Above the reply footer (so a streaming reply sits over it) and JupyterLab's cell footer.
  const footer = layout.widgets.findIndex(w => w.hasClass('jp-aimagic-Footer') || w.hasClass('jp-Cell-footer'));
  layout.insertWidget(footer < 0 ? layout.widgets.length : footer, widget);
}
