/**
 * The same installed package works in Jupyter Notebook 7: AI cells are styled, the toolbar
 * button is there, and an AI cell gets its reply through the proxy.
 */
import { expect, test } from '@jupyterlab/galata';
import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { messageRequests, resetFake } from './helpers';

const port = Number(process.env.AIMAGIC_LAB_PORT || '8888') + 11;
let server: ChildProcess;
let root: string;

test.use({ autoGoto: false });

test.beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'aimagic-nb7-'));
  fs.copyFileSync(path.resolve(__dirname, '../../examples/demo.ipynb'), path.join(root, 'demo.ipynb'));
  const home = path.join(root, '.home');
  server = spawn('jupyter', ['notebook', '--config', path.resolve(__dirname, '../jupyter_server_test_config.py')], {
    cwd: path.resolve(__dirname, '..'),
    env: {
      ...process.env,
      AIMAGIC_LAB_PORT: String(port),
      JUPYTERLAB_GALATA_ROOT_DIR: root,
      ANTHROPIC_API_KEY: 'test-key',
      HOME: home,
      JUPYTER_CONFIG_DIR: path.join(home, 'config'),
      JUPYTER_DATA_DIR: path.join(home, 'data'),
      IPYTHONDIR: path.join(home, 'ipython')
    },
    stdio: ['ignore', 'pipe', 'pipe']
  });
  let output = '';
  server.stdout?.on('data', d => (output += d));
  server.stderr?.on('data', d => (output += d));
  for (let i = 0; i < 120; i++) {
    try {
      if ((await fetch(`http://localhost:${port}/api/status`)).ok) {
        return;
      }
    } catch {
      // not up yet
    }
    await new Promise(r => setTimeout(r, 500));
  }
  throw new Error(`Jupyter Notebook did not start:\n${output.slice(-2000)}`);
});

test.afterAll(() => {
  server?.kill();
});

test('AI cells work in Notebook 7', async ({ browser, request }) => {
  await resetFake(request);
  // A plain page: Galata's page fixture waits for JupyterLab, not Notebook 7.
  const page = await (await browser.newContext()).newPage();
  await page.goto(`http://localhost:${port}/notebooks/demo.ipynb`);
  const aiCell = page.locator('.jp-aimagic-AICell');
  await expect(aiCell).toHaveCount(1, { timeout: 60000 });
  await expect(page.locator('jp-button[data-command="aimagic:insert-ai-cell-below"]')).toBeVisible();
  await aiCell.click();
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+Enter');
  await expect(aiCell.locator('.jp-aimagic-Footer-info')).toContainText('claude-sonnet-5-5', { timeout: 45000 });
  const [sent] = await messageRequests(request);
  expect(JSON.stringify(sent.body)).toContain('areas = [math.pi');
});
