/**
 * Start-up loads only the extension's own code: each provider SDK is a chunk loaded by the
 * first request to that provider.
 */
import { expect, test } from '@jupyterlab/galata';
import { addPrompt, queueReplies, resetFake, waitForFooter } from './helpers';

test.use({ autoGoto: true });

/** Bytes of the extension's JS the page has loaded so far, and the files. */
async function extensionJS(page: import('@playwright/test').Page): Promise<{ bytes: number; files: string[] }> {
  return page.evaluate(() => {
    const entries = performance.getEntriesByType('resource') as PerformanceResourceTiming[];
    const ours = entries.filter(e => /\/lab\/extensions\/jupyterlab-aimagic\/static\/.*\.js/.test(e.name));
    return { bytes: ours.reduce((sum, e) => sum + e.decodedBodySize, 0), files: ours.map(e => e.name.replace(/.*\/static\//, '')) };
  });
}

test('start-up loads at most 150 KiB of the extension, and the SDK comes with the first prompt', async ({ page, request }) => {
  await resetFake(request);
  await page.notebook.createNew('startup.ipynb');
  const atStart = await extensionJS(page);
  console.log(`extension JS at start-up: ${(atStart.bytes / 1024).toFixed(1)} KiB in ${atStart.files.length} files`);
  expect(atStart.bytes).toBeGreaterThan(0);
  expect(atStart.bytes).toBeLessThanOrEqual(150 * 1024);

  await queueReplies(request, ['Loaded on first use.']);
  await addPrompt(page, 'Hello?');
  await waitForFooter(page, 1);
  const afterPrompt = await extensionJS(page);
  const sdk = afterPrompt.bytes - atStart.bytes;
  console.log(`loaded by the first Anthropic request: ${(sdk / 1024).toFixed(1)} KiB`);
  // The Anthropic SDK is well over 100 KiB: it arrived now, not at start-up.
  expect(sdk).toBeGreaterThan(100 * 1024);
});
