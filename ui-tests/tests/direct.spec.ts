/**
 * Direct mode: the browser talks to the provider itself with a key from the settings
 * (JupyterLite, or by choice). The key is used for the request and written nowhere else.
 */
import { expect, galata, test } from '@jupyterlab/galata';
import { FAKE, addPrompt, messageRequests, metadataAt, resetFake, sourceAt, waitForError, waitForFooter } from './helpers';

test.beforeEach(async ({ request }) => {
  await resetFake(request);
});

test.describe('with a key in the settings', () => {
  test.use({
    autoGoto: true,
    mockSettings: {
      ...galata.DEFAULT_SETTINGS,
      'jupyterlab-aimagic:settings': { connection: 'direct', apiKeys: { anthropic: 'test-key' }, baseURLs: { anthropic: FAKE } }
    }
  });

  test('the reply comes straight from the provider and the key stays out of the notebook', async ({ page, request, tmpPath }) => {
    await page.notebook.createNew('direct.ipynb');
    await page.notebook.setCell(0, 'markdown', 'Direct notes');
    await addPrompt(page, 'Hello directly');
    await waitForFooter(page, 1);
    const [sent] = await messageRequests(request);
    // The browser's own request: it carries the SDK's browser header and an Origin.
    expect(sent.headers['anthropic-dangerous-direct-browser-access']).toBe('true');
    expect(sent.headers['origin']).toMatch(/^http:\/\/localhost:/);
    expect(await sourceAt(page, 1)).toContain('Hello directly');
    await page.notebook.save();
    const saved = await page.request.get(`/api/contents/${tmpPath}/direct.ipynb?content=1`);
    expect(await saved.text()).not.toContain('test-key');
    expect(JSON.stringify(await metadataAt(page, 1))).not.toContain('test-key');
  });
});

test.describe('without a key', () => {
  test.use({
    autoGoto: true,
    mockSettings: { ...galata.DEFAULT_SETTINGS, 'jupyterlab-aimagic:settings': { connection: 'direct' } }
  });

  test('says where to put one and sends nothing', async ({ page, request }) => {
    await page.notebook.createNew();
    await page.notebook.setCell(0, 'markdown', 'notes');
    await addPrompt(page, 'Anyone there?');
    const message = await waitForError(page, 1);
    expect(message).toMatch(/No Anthropic API key: the connection is "direct" but the settings hold no key/);
    expect(await sourceAt(page, 1)).toBe('Anyone there?');
    expect(await messageRequests(request)).toHaveLength(0);
  });
});
