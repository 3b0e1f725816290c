/**
 * Pre-warm a notebook's docs prefix when its docs change (setting "prewarmDocs"): one
 * non-streamed Anthropic request with `max_tokens: 0` through the same connection the AI
 * cells use, so the first prompt reads the docs from the cache instead of writing them.
 */
import type Anthropic from '@anthropic-ai/sdk';
import { URLExt } from '@jupyterlab/coreutils';
import { INotebookModel } from '@jupyterlab/notebook';
import { ServerConnection } from '@jupyterlab/services';
import { loadAnthropic } from '../core/providers/sdk';
import { prewarmBody } from '../core/request/prewarm';
import { hashText } from '../core/hash';
import { readNotebookOverrides } from '../core/settings';
import { DocPart } from '../core/types';
import { jupyterFetch } from './connection';
import { IAIMagic } from './tokens';

/** Sends pre-warming requests, once per distinct docs prefix of a notebook. */
export class DocsPrewarmer {
  /**
   * @param service - The AI Magic service (settings and connection).
   * @param serverSettings - The Jupyter server connection.
   * @param onChange - Called when a notebook's pre-warm note changes.
   */
  constructor(
    private readonly service: IAIMagic,
    private readonly serverSettings: ServerConnection.ISettings,
    private readonly onChange: (model: INotebookModel) => void
  ) {}

  /** Whether pre-warming is on (the "prewarmDocs" setting). */
  enabled = false;

  /**
   * What the last pre-warm of a notebook did, for the docs panel.
   *
   * @param model - The notebook model.
   */
  note(model: INotebookModel): string | undefined {
    return this._notes.get(model);
  }

  /**
   * A prompt is being sent with these docs: it writes the prefix itself, no pre-warm needed.
   *
   * @param model - The notebook model.
   * @param docs - The docs sent.
   */
  markUsed(model: INotebookModel, docs: Omit<DocPart, 'cache'>[]): void {
    const key = this._key(model, docs);
    if (key) {
      this._warm.set(model, key);
    }
  }

  /**
   * Pre-warm when enabled and the docs prefix is not known to be cached yet.
   *
   * A notebook that chooses its own provider, model or instructions is not pre-warmed until
   * the user ran an AI cell in it: otherwise merely opening someone else's notebook could
   * spend the user's money on a model (and text) the notebook picked.
   *
   * @param model - The notebook model.
   * @param docs - Its loaded docs.
   * @param ranHere - Whether the user ran an AI cell in this notebook.
   */
  async maybeWarm(model: INotebookModel, docs: Omit<DocPart, 'cache'>[], ranHere: boolean): Promise<void> {
    if (!this.enabled) {
      return;
    }
    const { overrides } = readNotebookOverrides(model.metadata as Record<string, unknown>);
    if (!ranHere && (overrides.provider || overrides.model || overrides.system)) {
      this._notes.set(model, 'Docs cache not pre-warmed: this notebook chooses its own model or instructions; it is pre-warmed after you run an AI cell in it.');
      this.onChange(model);
      return;
    }
    const settings = this.service.settings;
    const body = prewarmBody(model.metadata as Record<string, unknown>, settings, docs);
    const key = this._key(model, docs);
    const provider = overrides.provider ?? settings.provider;
    if (!body || !key || this._warm.get(model) === key || provider !== 'anthropic') {
      return;
    }
    this._warm.set(model, key);
    this._notes.set(model, 'Pre-warming the docs cache…');
    this.onChange(model);
    try {
      const message = await (await this._client()).messages.create(body as unknown as Anthropic.MessageCreateParamsNonStreaming);
      const usage = message.usage;
      const written = usage.cache_creation_input_tokens ?? 0;
      const read = usage.cache_read_input_tokens ?? 0;
      this._notes.set(
        model,
        written || read
          ? `Docs cache pre-warmed: ${written.toLocaleString('en')} tokens written, ${read.toLocaleString('en')} already cached.`
          : 'Docs cache not pre-warmed: the docs are below the model\'s minimum cacheable length.'
      );
    } catch (e) {
      this._warm.delete(model);
      this._notes.set(model, `Pre-warming the docs cache failed: ${(e as Error).message}`);
    }
    this.onChange(model);
  }

  /** The SDK client for the current connection. */
  private async _client(): Promise<Anthropic> {
    const Anthropic = await loadAnthropic();
    const c = this.service.connection;
    if (c.mode === 'direct') {
      return new Anthropic({ apiKey: c.apiKeys.anthropic ?? '', baseURL: c.baseURLs.anthropic?.trim() || undefined, dangerouslyAllowBrowser: true, maxRetries: 1 });
    }
    return new Anthropic({
      apiKey: 'set-by-the-jupyter-server',
      baseURL: URLExt.join(this.serverSettings.baseUrl, 'aimagic/proxy/anthropic'),
      fetch: jupyterFetch(this.serverSettings),
      dangerouslyAllowBrowser: true,
      maxRetries: 1
    });
  }

  /** What identifies a cached docs prefix: the system blocks as sent, and the model. */
  private _key(model: INotebookModel, docs: Omit<DocPart, 'cache'>[]): string | null {
    const body = prewarmBody(model.metadata as Record<string, unknown>, this.service.settings, docs);
    return body ? hashText(JSON.stringify([body.model, body.system])) : null;
  }

  private _warm = new WeakMap<INotebookModel, string>();
  private _notes = new WeakMap<INotebookModel, string>();
}
