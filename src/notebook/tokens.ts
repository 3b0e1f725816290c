/**
 * The service shared by the executor, the commands and the cell decorations.
 */
import { Cell, ICellModel } from '@jupyterlab/cells';
import { INotebookModel } from '@jupyterlab/notebook';
import { Token } from '@lumino/coreutils';
import { ISignal } from '@lumino/signaling';
import { ChatProvider } from '../core/providers/provider';
import { AISettings } from '../core/settings';
import { ConnectionSettings } from './connection';

/** The running AI cells and the settings they use. */
export interface IAIMagic {
  /** Current settings (user settings; notebook overrides apply per request). */
  readonly settings: AISettings;
  /** Current connection settings. */
  readonly connection: ConnectionSettings;
  /** Whether to re-send answered AI cells during Run All. */
  readonly rerunAnsweredOnRunAll: boolean;
  /** Emitted when settings change. */
  readonly settingsChanged: ISignal<IAIMagic, void>;
  /** Emitted with the cell model when an AI cell starts or stops running. */
  readonly runningChanged: ISignal<IAIMagic, ICellModel>;
  /** Emitted after a reply was written into its AI cell. */
  readonly replyWritten: ISignal<IAIMagic, IAIMagic.IReplyWritten>;
  /** Emitted when a streaming reply has rendered more finished blocks (for their buttons). */
  readonly blocksStreamed: ISignal<IAIMagic, IAIMagic.IBlocksStreamed>;
  /**
   * Whether a reply is streaming or queued for this cell.
   *
   * @param cell - The cell model.
   */
  isRunning(cell: ICellModel): boolean;
  /**
   * Stop the reply of a cell (keeps what arrived).
   *
   * @param cell - The cell model.
   * @returns Whether anything was stopped.
   */
  stop(cell: ICellModel): boolean;
  /** Stop every running reply. */
  stopAll(): number;
  /** The model ids the current provider lists. */
  listModels(): Promise<string[]>;
  /**
   * The provider of an id, connected as the settings say (may throw ProviderError).
   *
   * @param id - Provider id.
   */
  provider(id: string): Promise<ChatProvider>;
  /**
   * Save a user setting of the settings plugin.
   *
   * @param key - Setting name.
   * @param value - New value.
   */
  setSetting(key: string, value: unknown): Promise<void>;
}

/** Types of {@link IAIMagic}. */
export namespace IAIMagic {
  /** A reply written into its cell. */
  export interface IReplyWritten {
    cell: Cell;
    notebook: INotebookModel;
  }

  /** Finished blocks of a reply still streaming, rendered. */
  export interface IBlocksStreamed {
    cell: Cell;
    notebook: INotebookModel;
    /** The node of the streaming view that holds the rendered reply. */
    body: HTMLElement;
    /** The text of the finished blocks, from the reply's start. */
    finished: string;
  }
}

/** The AI Magic service token. */
export const IAIMagic = new Token<IAIMagic>('jupyterlab-aimagic:IAIMagic', 'Runs AI cells and holds their settings.');
