/**
 * Docs for AI cells in JupyterLab: workspace files through Jupyter's contents API, URLs
 * through the server extension's fetch route (no CORS trouble, an on-disk cache, limits).
 */
import { URLExt } from '@jupyterlab/coreutils';
import { Contents, ServerConnection } from '@jupyterlab/services';
import { DocLoader, LoadedText } from '../core/docs/docs';

/**
 * A loader over the Jupyter server.
 *
 * @param contents - The contents manager.
 * @param settings - The server connection settings.
 */
export function browserDocLoader(contents: Contents.IManager, settings: ServerConnection.ISettings): DocLoader {
  return {
    async readFile(path: string): Promise<LoadedText> {
      let model: Contents.IModel;
      try {
        model = await contents.get(path, { type: 'file', format: 'text', content: true });
      } catch (e) {
        const status = (e as ServerConnection.ResponseError).response?.status;
        if (status === 404) {
          throw new Error(`no file "${path}".`);
        }
        const message = (e as Error).message;
        throw new Error(/UTF-8|utf-8|decode/.test(message) ? 'not a text file (it is not UTF-8 text).' : `could not read "${path}": ${message}`);
      }
      if (typeof model.content !== 'string') {
        throw new Error(`"${path}" is not a text file.`);
      }
      return { text: model.content };
    },

    async fetchURL(url: string, refresh: boolean): Promise<LoadedText> {
      let response: Response;
      try {
        // A POST, so Jupyter's XSRF check applies: no other page can make the server fetch.
        const init = { method: 'POST', body: JSON.stringify({ url, refresh }) };
        response = await ServerConnection.makeRequest(URLExt.join(settings.baseUrl, 'aimagic/docs/fetch'), init, settings);
      } catch (e) {
        throw new Error(`the Jupyter server could not be reached (${(e as Error).message}).`);
      }
      const body = (await response.json().catch(() => ({}))) as { text?: string; stale?: string | null; error?: { message?: string } };
      if (response.status === 404 && !body.error) {
        throw new Error('URLs are fetched by the AI Magic server extension, which is not running on this Jupyter server.');
      }
      if (!response.ok || typeof body.text !== 'string') {
        throw new Error(body.error?.message ?? `the Jupyter server answered ${response.status}.`);
      }
      return { text: body.text, ...(body.stale ? { stale: body.stale } : {}) };
    }
  };
}
