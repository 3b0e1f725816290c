/**
 * Commands for shaping the dialogue: code from replies into cells, skip and pin, the
 * dialog mode, and the prompt as it will be sent.
 */
import { JupyterFrontEnd } from '@jupyterlab/application';
import { InputDialog, MainAreaWidget, Notification } from '@jupyterlab/apputils';
import { ICellModel } from '@jupyterlab/cells';
import { INotebookTracker, NotebookPanel } from '@jupyterlab/notebook';
import { TranslationBundle } from '@jupyterlab/translation';
import { LabIcon } from '@jupyterlab/ui-components';
import { CellFlag } from '../core/context/aicell';
import { CodeBlock } from '../core/context/codeblocks';
import { OtherBlocks } from '../core/reply/codecells';
import { DialogMode } from '../core/settings';
import { dialogModeWrites, readSolveit } from '../core/solveit';
import { isAICellModel } from './executor';
import { InsertError, insertBlocks, replyBlocks } from './insert-code';
import { IAIMagic } from './tokens';

/** Command ids. */
export namespace DialogueCommandIDs {
  export const insertBlock = 'aimagic:insert-code-block';
  export const insertAll = 'aimagic:insert-all-code';
  export const toggleSkip = 'aimagic:toggle-skip';
  export const togglePin = 'aimagic:toggle-pin';
  export const dialogMode = 'aimagic:set-dialog-mode';
  export const showPrompt = 'aimagic:show-prompt';
}

/** The eye-with-a-slash of a skipped cell. */
export const skipIcon = new LabIcon({
  name: 'aimagic:skip',
  svgstr:
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" width="16"><path class="jp-icon3" fill="#616161" d="M12 6c4 0 7.3 2.5 9 6-.7 1.4-1.7 2.7-2.9 3.7l-1.4-1.4c.8-.7 1.5-1.4 2-2.3-1.5-2.6-4-4.2-6.7-4.2-.7 0-1.4.1-2 .3L8.4 6.5C9.5 6.2 10.7 6 12 6zM3.3 4.7l1.4-1.4 16 16-1.4 1.4-3-3c-1.4.6-2.8.9-4.3.9-4 0-7.3-2.5-9-6 .8-1.7 2-3.1 3.5-4.2zM7.7 9.1C6.6 9.9 5.7 10.9 5.1 12c1.5 2.6 4 4.2 6.9 4.2.9 0 1.8-.2 2.7-.5l-1.6-1.6c-.3.1-.7.1-1.1.1a3.2 3.2 0 0 1-3.2-3.2c0-.4 0-.8.1-1.1z"/></svg>'
});

/** The pin of a pinned cell. */
export const pinIcon = new LabIcon({
  name: 'aimagic:pin',
  svgstr:
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" width="16"><path class="jp-icon3" fill="#616161" d="M16 3v2h-1v6l2 3v2h-4v6l-1 1-1-1v-6H7v-2l2-3V5H8V3z"/></svg>'
});

/** What the commands need besides the application. */
export interface DialogueCommandOptions {
  tracker: INotebookTracker;
  service: IAIMagic;
  trans: TranslationBundle;
  /** What to do with blocks in other languages (a setting). */
  otherBlocks(): OtherBlocks;
}

/** The modes and their labels. */
const MODES: [DialogMode, string][] = [
  ['standard', 'Standard'],
  ['learning', 'Learning'],
  ['concise', 'Concise']
];

/**
 * Insert blocks of an AI cell's reply, saying why when it cannot.
 *
 * @param panel - The notebook panel.
 * @param cell - The AI cell's model (kept by callers, so a cell deleted meanwhile is noticed).
 * @param blocks - The blocks.
 * @param other - What to do with blocks in other languages.
 * @returns Whether cells were inserted.
 */
export function insertFromReply(panel: NotebookPanel, cell: ICellModel, blocks: CodeBlock[], other: OtherBlocks): boolean {
  const model = panel.content.model;
  if (!model) {
    return false;
  }
  try {
    const { at, count } = insertBlocks(model, cell, blocks, other);
    panel.content.activeCellIndex = at + count - 1;
    panel.content.deselectAll();
    return true;
  } catch (e) {
    Notification.warning(e instanceof InsertError ? e.message : `Could not insert the code: ${(e as Error).message}`, { autoClose: 8000 });
    return false;
  }
}

/**
 * Add the commands.
 *
 * @param app - The application.
 * @param options - Tracker, service, translations, settings.
 */
export function addDialogueCommands(app: JupyterFrontEnd, options: DialogueCommandOptions): void {
  const { tracker, service, trans } = options;
  const { commands } = app;
  const activeAI = () => {
    const panel = tracker.currentWidget;
    const cell = panel?.content.activeCell;
    return panel && cell && isAICellModel(cell.model) ? { panel, cell } : null;
  };
  const hasBlocks = () => {
    const ai = activeAI();
    return !!ai && replyBlocks(ai.cell.model).length > 0;
  };

  commands.addCommand(DialogueCommandIDs.insertBlock, {
    label: args => (typeof args.block === 'number' ? trans.__('Insert Code Block %1 as Cell', (args.block as number) + 1) : trans.__('Insert Code Block from Reply as Cell…')),
    caption: trans.__('Insert one code block of the active AI cell’s reply as a cell below it'),
    isEnabled: hasBlocks,
    execute: async args => {
      const ai = activeAI();
      if (!ai) {
        return;
      }
      const blocks = replyBlocks(ai.cell.model);
      let index = typeof args.block === 'number' ? (args.block as number) : blocks.length === 1 ? 0 : -1;
      if (index < 0) {
        const items = blocks.map((b, i) => `${i + 1}. ${b.language || 'untagged'}: ${b.code.split('\n')[0].slice(0, 60)}`);
        const choice = await InputDialog.getItem({ title: trans.__('Insert which code block?'), items });
        if (!choice.button.accept || choice.value === null) {
          return;
        }
        index = items.indexOf(choice.value);
      }
      if (!blocks[index]) {
        Notification.warning(trans.__('The reply has no code block %1.', index + 1), { autoClose: 5000 });
        return;
      }
      insertFromReply(ai.panel, ai.cell.model, [blocks[index]], options.otherBlocks());
    }
  });

  commands.addCommand(DialogueCommandIDs.insertAll, {
    label: trans.__('Insert All Code from Reply as Cells'),
    caption: trans.__('Insert every code block of the active AI cell’s reply as cells below it (not run)'),
    isEnabled: hasBlocks,
    execute: () => {
      const ai = activeAI();
      if (ai) {
        insertFromReply(ai.panel, ai.cell.model, replyBlocks(ai.cell.model), options.otherBlocks());
      }
    }
  });

  const flagCommand = (id: string, flag: CellFlag, label: string, caption: string, icon: LabIcon) => {
    const selected = () => {
      const notebook = tracker.currentWidget?.content;
      if (!notebook) {
        return [];
      }
      const chosen = notebook.widgets.filter(w => notebook.isSelectedOrActive(w));
      return chosen.length ? chosen : notebook.activeCell ? [notebook.activeCell] : [];
    };
    commands.addCommand(id, {
      label,
      caption,
      icon,
      isEnabled: () => !!tracker.currentWidget?.content.activeCell,
      isToggled: () => tracker.currentWidget?.content.activeCell?.model.getMetadata(flag) === true,
      execute: () => {
        const cells = selected();
        // One click sets every selected cell like the active one would become.
        const on = tracker.currentWidget?.content.activeCell?.model.getMetadata(flag) !== true;
        for (const cell of cells) {
          if (on) {
            cell.model.setMetadata(flag, true);
          } else {
            cell.model.deleteMetadata(flag);
          }
        }
        commands.notifyCommandChanged(id);
      }
    });
  };
  flagCommand(DialogueCommandIDs.toggleSkip, 'skipped', trans.__('Skip Cell in AI Context'), trans.__('Leave this cell out of what AI prompts send (toggle)'), skipIcon);
  flagCommand(DialogueCommandIDs.togglePin, 'pinned', trans.__('Pin Cell in AI Context'), trans.__('Always send this cell with AI prompts, whatever the budget (toggle)'), pinIcon);
  tracker.activeCellChanged.connect(() => {
    commands.notifyCommandChanged(DialogueCommandIDs.toggleSkip);
    commands.notifyCommandChanged(DialogueCommandIDs.togglePin);
  });

  const currentMode = (): DialogMode => {
    const model = tracker.currentWidget?.content.model;
    return (model && readSolveit(model.metadata, []).mode) || 'standard';
  };
  commands.addCommand(DialogueCommandIDs.dialogMode, {
    label: args => {
      const mode = MODES.find(([m]) => m === args.mode);
      return mode ? trans.__('Dialog Mode: %1', mode[1]) : trans.__('Set Dialog Mode…');
    },
    caption: trans.__('Standard, learning (step by step, you write the code) or concise answers, for this notebook'),
    isEnabled: () => !!tracker.currentWidget?.content.model,
    isToggled: args => args.mode !== undefined && args.mode === currentMode(),
    execute: async args => {
      const model = tracker.currentWidget?.content.model;
      if (!model) {
        return;
      }
      let mode = MODES.find(([m]) => m === args.mode)?.[0];
      if (!mode) {
        const labels = MODES.map(([, l]) => l);
        const choice = await InputDialog.getItem({
          title: trans.__('Dialog mode of this notebook'),
          items: labels,
          current: MODES.findIndex(([m]) => m === currentMode())
        });
        if (!choice.button.accept) {
          return;
        }
        mode = MODES.find(([, l]) => l === choice.value)?.[0];
      }
      if (mode) {
        // In the form the notebook already uses (SolveIt's `solveit.mode` or the older key).
        for (const [key, value] of dialogModeWrites(model.metadata, mode)) {
          model.setMetadata(key, value);
        }
        Notification.info(trans.__('Dialog mode: %1. The next prompts use it.', mode), { autoClose: 3000 });
      }
    }
  });

  commands.addCommand(DialogueCommandIDs.showPrompt, {
    label: trans.__('Show AI Prompt'),
    caption: trans.__('Show the exact request the active AI cell would send, without sending it'),
    isEnabled: () => !!activeAI(),
    execute: async () => {
      const ai = activeAI();
      if (!ai) {
        Notification.info(trans.__('Select an AI cell to see the request it would send.'), { autoClose: 4000 });
        return;
      }
      // Loaded on first use: start-up does not carry the view's code.
      const { PromptView } = await import('./prompt-view');
      const view = new PromptView(service, ai.panel, ai.cell);
      const widget = new MainAreaWidget({ content: view });
      widget.id = `aimagic-prompt-${Date.now()}`;
      widget.title.label = trans.__('Prompt: %1', ai.panel.title.label);
      widget.title.closable = true;
      app.shell.add(widget, 'main', { mode: 'split-right' });
      void view.load();
    }
  });
}
