/**
 * The service shared by the executor, the commands and the cell decorations.
 */
import { ICellModel } from '@jupyterlab/cells';
import { Token } from '@lumino/coreutils';
import { ISignal } from '@lumino/signaling';
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
   * Save a user setting of the settings plugin.
   *
   * @param key - Setting name.
   * @param value - New value.
   */
  setSetting(key: string, value: unknown): Promise<void>;
}

/** The AI Magic service token. */
export const IAIMagic = new Token<IAIMagic>('jupyterlab-aimagic:IAIMagic', 'Runs AI cells and holds their settings.');
