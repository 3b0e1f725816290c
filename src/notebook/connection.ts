/**
 * How the browser reaches a provider: through the Jupyter server's proxy (the key stays on
 * the server) or directly with a key from the settings (JupyterLite, or by choice).
 */
import { ServerConnection } from '@jupyterlab/services';
import { URLExt } from '@jupyterlab/coreutils';
import { ChatProvider, ProviderError } from '../core/providers/provider';
import { providerInfo } from '../core/providers/registry';

/** Connection settings. */
export interface ConnectionSettings {
  /** `proxy` (default) or `direct`. */
  mode: 'proxy' | 'direct';
  /** Direct mode: keys by provider id. Never written to a notebook. */
  apiKeys: Record<string, string>;
  /** Direct mode: base URLs by provider id (empty: the provider's own). */
  baseURLs: Record<string, string>;
}

/**
 * A fetch that sends SDK requests through Jupyter's own authenticated connection.
 *
 * The SDK puts its (placeholder) key in `Authorization`; Jupyter needs that header for its
 * own token, so it is removed here and the proxy adds the real key on the server.
 *
 * @param settings - The Jupyter server connection settings.
 */
export function jupyterFetch(settings: ServerConnection.ISettings): typeof fetch {
  return (async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const headers = new Headers(init?.headers);
    headers.delete('authorization');
    headers.delete('x-api-key');
    headers.delete('anthropic-dangerous-direct-browser-access');
    return ServerConnection.makeRequest(url, { ...init, headers }, settings);
  }) as typeof fetch;
}

/** What the proxy said about itself. */
interface ProxyStatus {
  providers: Record<string, { key: boolean; upstream: string; keyEnv: string | null }>;
}

/**
 * Makes providers for requests and checks, once, that the proxy is there.
 */
export class ProviderFactory {
  /**
   * @param serverSettings - The Jupyter server connection settings.
   */
  constructor(private readonly serverSettings: ServerConnection.ISettings) {}

  /**
   * A provider for the given id and connection settings.
   *
   * @param id - Provider id.
   * @param connection - Connection settings.
   * @throws ProviderError when it cannot be used (no key, no proxy).
   */
  async create(id: string, connection: ConnectionSettings): Promise<ChatProvider> {
    const info = providerInfo(id);
    if (connection.mode === 'direct') {
      const apiKey = connection.apiKeys[id]?.trim();
      if (!apiKey && info.needsKey) {
        throw new ProviderError(
          'no_key',
          `No ${info.label} API key: the connection is "direct" but the settings hold no key for ${id}. ` +
            `Put one in Settings → AI Magic → API keys, or switch the connection to "proxy" and set ${info.keyEnv} on the Jupyter server.`
        );
      }
      const baseURL = connection.baseURLs[id]?.trim() || info.defaultBaseURL;
      return info.create({ apiKey: apiKey || 'no-key', baseURL, browser: true, endpoint: baseURL ?? `${info.label}'s API` });
    }
    await this.checkProxy(id);
    return info.create({
      apiKey: 'set-by-the-jupyter-server',
      baseURL: URLExt.join(this.serverSettings.baseUrl, 'aimagic/proxy', id),
      fetch: jupyterFetch(this.serverSettings),
      browser: true,
      endpoint: this._upstreams.get(id) ? `${this._upstreams.get(id)} (through the Jupyter server)` : 'the Jupyter server'
    });
  }

  /**
   * Check the proxy route and the key on the server; remembered once good.
   */
  async checkProxy(id: string): Promise<void> {
    if (this._proxyOk.has(id)) {
      return;
    }
    const info = providerInfo(id);
    let response: Response;
    try {
      response = await ServerConnection.makeRequest(URLExt.join(this.serverSettings.baseUrl, 'aimagic/status'), {}, this.serverSettings);
    } catch (e) {
      throw new ProviderError('network', `Could not reach the Jupyter server (${(e as Error).message}). Is it still running?`);
    }
    if (response.status === 404) {
      throw new ProviderError(
        'unsupported',
        'The AI Magic server extension is not running on this Jupyter server, so there is no key proxy. ' +
          'Install the Python package (pip install jupyterlab_aimagic), check "jupyter server extension list", and restart Jupyter; ' +
          'or set the connection to "direct" in Settings → AI Magic and give a key there.'
      );
    }
    if (!response.ok) {
      throw new ProviderError('server', `The AI Magic server extension answered ${response.status} to a status check.`);
    }
    const status = (await response.json()) as ProxyStatus;
    const provider = status.providers?.[id];
    if (!provider) {
      throw new ProviderError(
        'unsupported',
        `The Jupyter server's AI Magic proxy has no upstream for "${id}". Add one to c.AIMagic.upstreams ` +
          `(${info.baseURLConvention}), e.g. c.AIMagic.upstreams.update({"${id}": "${info.defaultBaseURL ?? 'https://…'}"}), and restart Jupyter.`
      );
    }
    this._upstreams.set(id, provider.upstream);
    if (provider.keyEnv && !provider.key) {
      throw new ProviderError(
        'no_key',
        `No ${info.label} API key: set ${provider.keyEnv} in the environment of the Jupyter server and restart it ` +
          `(for example: export ${provider.keyEnv}=… before "jupyter lab"), or use the "direct" connection with a key in Settings → AI Magic.`
      );
    }
    this._proxyOk.add(id);
  }

  private _proxyOk = new Set<string>();
  private _upstreams = new Map<string, string>();
}
