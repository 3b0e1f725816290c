/**
 * The AI Magic service: settings, the providers, and the replies in flight.
 */
import { ISessionContext } from '@jupyterlab/apputils';
import { ICellModel, Cell } from '@jupyterlab/cells';
import { INotebookModel } from '@jupyterlab/notebook';
import { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import { ServerConnection } from '@jupyterlab/services';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { ISignal, Signal } from '@lumino/signaling';
import { ChatProvider } from '../core/providers/provider';
import { AISettings, DEFAULT_SETTINGS } from '../core/settings';
import { ConnectionSettings, ProviderFactory } from './connection';
import { recordError, runAICell } from './runner';
import { IAIMagic } from './tokens';

/** The id of the plugin that owns the settings. */
export const SETTINGS_PLUGIN = 'jupyterlab-aimagic:settings';

/** Implementation of {@link IAIMagic}. */
export class AIMagicService implements IAIMagic {
  /**
   * @param rendermime - For the streaming view.
   * @param serverSettings - The Jupyter server connection.
   */
  constructor(
    private readonly rendermime: IRenderMimeRegistry,
    serverSettings: ServerConnection.ISettings
  ) {
    this._providers = new ProviderFactory(serverSettings);
  }

  get settings(): AISettings {
    return this._settings;
  }

  get connection(): ConnectionSettings {
    return this._connection;
  }

  get rerunAnsweredOnRunAll(): boolean {
    return this._rerun;
  }

  get settingsChanged(): ISignal<IAIMagic, void> {
    return this._settingsChanged;
  }

  get runningChanged(): ISignal<IAIMagic, ICellModel> {
    return this._runningChanged;
  }

  get replyWritten(): ISignal<IAIMagic, IAIMagic.IReplyWritten> {
    return this._replyWritten;
  }

  get blocksStreamed(): ISignal<IAIMagic, IAIMagic.IBlocksStreamed> {
    return this._blocksStreamed;
  }

  /**
   * Follow the user's settings.
   *
   * @param settings - The loaded settings of {@link SETTINGS_PLUGIN}.
   */
  useSettings(settings: ISettingRegistry.ISettings): void {
    this._registry = settings;
    const read = () => {
      const c = settings.composite as Record<string, unknown>;
      const str = (k: string, d: string) => (typeof c[k] === 'string' ? (c[k] as string) : d);
      const num = (k: string, d: number) => (typeof c[k] === 'number' ? (c[k] as number) : d);
      this._settings = {
        provider: str('provider', DEFAULT_SETTINGS.provider),
        model: str('model', DEFAULT_SETTINGS.model) || DEFAULT_SETTINGS.model,
        maxTokens: num('maxTokens', DEFAULT_SETTINGS.maxTokens),
        systemPrompt: str('systemPrompt', ''),
        maxOutputChars: num('maxOutputChars', DEFAULT_SETTINGS.maxOutputChars),
        budgetTokens: num('budgetTokens', DEFAULT_SETTINGS.budgetTokens),
        docsCacheTTL: c.docsCacheTTL === '1h' ? '1h' : '5m',
        thinkingBudget: num('thinkingBudget', DEFAULT_SETTINGS.thinkingBudget),
        maxVariableChars: num('maxVariableChars', DEFAULT_SETTINGS.maxVariableChars),
        sendImages: c.sendImages !== false,
        toolTimeout: num('toolTimeout', DEFAULT_SETTINGS.toolTimeout),
        toolSteps: num('toolSteps', DEFAULT_SETTINGS.toolSteps)
      };
      this._connection = {
        mode: c.connection === 'direct' ? 'direct' : 'proxy',
        apiKeys: (c.apiKeys as Record<string, string>) ?? {},
        baseURLs: (c.baseURLs as Record<string, string>) ?? {}
      };
      this._rerun = c.rerunAnsweredOnRunAll === true;
      this._settingsChanged.emit();
    };
    read();
    settings.changed.connect(read);
  }

  /** {@inheritDoc IAIMagic.setSetting} */
  async setSetting(key: string, value: unknown): Promise<void> {
    if (!this._registry) {
      throw new Error('Settings are not loaded.');
    }
    await this._registry.set(key, value as never);
  }

  /**
   * Register a run so it can be stopped, and run it.
   *
   * @param cell - The AI cell.
   * @param notebook - Its notebook model.
   * @param run - The run, given an abort signal.
   */
  async schedule(cell: Cell, notebook: INotebookModel, run: (signal: AbortSignal) => Promise<boolean>): Promise<boolean> {
    const model = cell.model;
    this._running.get(model)?.abort();
    const controller = new AbortController();
    this._running.set(model, controller);
    this._runningChanged.emit(model);
    try {
      return await run(controller.signal);
    } catch (e) {
      recordError(model, 'internal', `AI Magic failed unexpectedly: ${(e as Error).message}`);
      console.error('AI Magic run failed', e);
      return false;
    } finally {
      if (this._running.get(model) === controller) {
        this._running.delete(model);
      }
      this._runningChanged.emit(model);
    }
  }

  /**
   * Run one AI cell now.
   */
  run(cell: Cell, notebook: INotebookModel, signal: AbortSignal, sessionContext?: ISessionContext): Promise<boolean> {
    return runAICell(cell, notebook, {
      settings: this._settings,
      rendermime: this.rendermime,
      provider: id => this._providers.create(id, this._connection),
      signal,
      sessionContext,
      onReply: () => this._replyWritten.emit({ cell, notebook }),
      onBlocks: (body, finished) => this._blocksStreamed.emit({ cell, notebook, body, finished })
    });
  }

  /** {@inheritDoc IAIMagic.isRunning} */
  isRunning(cell: ICellModel): boolean {
    return !!this._runOf(cell);
  }

  /** {@inheritDoc IAIMagic.stop} */
  stop(cell: ICellModel): boolean {
    const controller = this._runOf(cell);
    controller?.abort();
    return !!controller;
  }

  /** The run of a cell; a moved cell is a new model with the same id, still the same run. */
  private _runOf(cell: ICellModel): AbortController | undefined {
    return this._running.get(cell) ?? [...this._running].find(([model]) => model.id === cell.id)?.[1];
  }

  /** {@inheritDoc IAIMagic.stopAll} */
  stopAll(): number {
    const all = [...this._running.values()];
    all.forEach(c => c.abort());
    return all.length;
  }

  /** {@inheritDoc IAIMagic.provider} */
  provider(id: string): Promise<ChatProvider> {
    return this._providers.create(id, this._connection);
  }

  /** {@inheritDoc IAIMagic.listModels} */
  async listModels(): Promise<string[]> {
    const provider = await this._providers.create(this._settings.provider, this._connection);
    return provider.listModels();
  }

  private _providers: ProviderFactory;
  private _settings: AISettings = { ...DEFAULT_SETTINGS };
  private _connection: ConnectionSettings = { mode: 'proxy', apiKeys: {}, baseURLs: {} };
  private _rerun = false;
  private _registry: ISettingRegistry.ISettings | null = null;
  private _running = new Map<ICellModel, AbortController>();
  private _settingsChanged = new Signal<IAIMagic, void>(this);
  private _runningChanged = new Signal<IAIMagic, ICellModel>(this);
  private _replyWritten = new Signal<IAIMagic, IAIMagic.IReplyWritten>(this);
  private _blocksStreamed = new Signal<IAIMagic, IAIMagic.IBlocksStreamed>(this);
}
