/**
 * Dialogue engineering: code from replies into cells, skip and pin, dialog mode, show prompt.
 */
import { JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { INotebookTracker } from '@jupyterlab/notebook';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';
import { parseCodeBlocks } from '../core/context/codeblocks';
import { OtherBlocks } from '../core/reply/codecells';
import { attachButtonsToBlocks } from '../notebook/block-buttons';
import { DialogueCommandIDs, addDialogueCommands, insertFromReply } from '../notebook/dialogue-commands';
import { DialogueDecorator } from '../notebook/dialogue-decorator';
import { InsertError, insertBlocks, replyBlocks } from '../notebook/insert-code';
import { SETTINGS_PLUGIN } from '../notebook/service';
import { IAIMagic } from '../notebook/tokens';

export const dialoguePlugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyterlab-aimagic:dialogue',
  description: 'Insert code from replies as cells, skip and pin cells, switch the dialog mode, show the prompt before sending.',
  autoStart: true,
  requires: [INotebookTracker, IAIMagic, ISettingRegistry],
  optional: [ICommandPalette, ITranslator],
  activate: async (
    app: JupyterFrontEnd,
    tracker: INotebookTracker,
    service: IAIMagic,
    registry: ISettingRegistry,
    palette: ICommandPalette | null,
    translator: ITranslator | null
  ) => {
    const trans = (translator ?? nullTranslator).load('jupyterlab_aimagic');
    const prefs = { other: 'skip' as OtherBlocks, auto: false };
    try {
      const settings = await registry.load(SETTINGS_PLUGIN);
      const read = () => {
        prefs.other = settings.composite.otherCodeBlocks === 'markdown' ? 'markdown' : 'skip';
        prefs.auto = settings.composite.autoInsertCode === true;
      };
      read();
      settings.changed.connect(read);
    } catch (e) {
      console.warn('AI Magic: settings could not be loaded; code insertion uses its defaults.', e);
    }
    addDialogueCommands(app, { tracker, service, trans, otherBlocks: () => prefs.other });
    const category = trans.__('AI Magic');
    for (const command of Object.values(DialogueCommandIDs)) {
      palette?.addItem({ command, category });
    }
    for (const mode of ['standard', 'learning', 'concise']) {
      palette?.addItem({ command: DialogueCommandIDs.dialogMode, category, args: { mode } });
    }
    tracker.widgetAdded.connect((_, panel) => {
      new DialogueDecorator(panel.content, { insert: (cell, blocks) => insertFromReply(panel, cell, blocks, prefs.other) });
    });
    // Finished code blocks of a reply still streaming get their buttons at once.
    service.blocksStreamed.connect((_, { cell, notebook, body, finished }) => {
      const panel = tracker.find(p => p.model === notebook);
      const pres = Array.from(body.querySelectorAll(':scope > .jp-aimagic-Streaming-piece:not(:last-child) pre'));
      const blocks = parseCodeBlocks(finished).filter(b => b.closed);
      if (panel) {
        attachButtonsToBlocks(pres, blocks, block => insertFromReply(panel, cell.model, [block], prefs.other));
      }
    });
    service.replyWritten.connect((_, { cell, notebook }) => {
      const blocks = replyBlocks(cell.model).filter(b => b.closed);
      if (!prefs.auto || !blocks.length) {
        return;
      }
      try {
        insertBlocks(notebook, cell.model, blocks, prefs.other);
      } catch (e) {
        // Automatic insertion stays quiet about replies without code for this kernel.
        if (!(e instanceof InsertError)) {
          throw e;
        }
      }
    });
  }
};
