/**
 * Galata runs JupyterLab with the extension and the project's fake Anthropic server, in
 * Debian's Chromium (Playwright cannot download its own browser here).
 */
const path = require('path');
const baseConfig = require('@jupyterlab/galata/lib/playwright-config');

const fakePort = process.env.AIMAGIC_FAKE_ANTHROPIC_PORT || '8766';
// Derived from the Anthropic fake's port unless given, so parallel runs never share one.
const fakeOpenAIPort = process.env.AIMAGIC_FAKE_OPENAI_PORT || String(Number(fakePort) + 1000);
const labPort = process.env.AIMAGIC_LAB_PORT || '8888';
process.env.TARGET_URL = process.env.TARGET_URL || `http://localhost:${labPort}`;
const testHome = path.join(__dirname, '.jupyter-test-home');
// The local engine's model cache of whoever runs the tests (HOME is moved below).
// Kept in process.env too: specs that start their own server (notebook7) pass it on.
const engineCache = (process.env.AIMAGIC_CACHE = process.env.AIMAGIC_CACHE || path.join(require('os').homedir(), '.cache', 'jupyterlab-aimagic'));
// The engine's slots, log and state for this run (tests/llama.ts reads them).
process.env.AIMAGIC_TEST_ENGINE_CACHE = process.env.AIMAGIC_TEST_ENGINE_CACHE || path.join(testHome, 'engine-cache');
const env = {
  ...process.env,
  ANTHROPIC_API_KEY: 'test-key',
  OPENAI_API_KEY: 'test-key',
  AIMAGIC_FAKE_ANTHROPIC_PORT: fakePort,
  AIMAGIC_FAKE_OPENAI_PORT: fakeOpenAIPort,
  AIMAGIC_LAB_PORT: labPort,
  AIMAGIC_CACHE: engineCache,
  HOME: testHome,
  JUPYTER_CONFIG_DIR: path.join(testHome, 'config'),
  JUPYTER_DATA_DIR: path.join(testHome, 'data'),
  IPYTHONDIR: path.join(testHome, 'ipython')
};

module.exports = {
  ...baseConfig,
  timeout: 90000,
  // One output folder per port: runs on other ports must not delete each other's artifacts.
  outputDir: `test-results/${labPort}`,
  retries: process.env.CI ? 1 : 0,
  workers: 1,
  reporter: [['list'], ['html', { open: 'never', outputFolder: `playwright-report/${labPort}` }]],
  use: {
    ...baseConfig.use,
    baseURL: process.env.TARGET_URL,
    video: 'off',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic'
      ]
    }
  },
  webServer: [
    {
      command: `node ../fakes/anthropic/run.js --port ${fakePort} --key test-key`,
      url: `http://127.0.0.1:${fakePort}/_fake/log`,
      timeout: 60000,
      reuseExistingServer: false
    },
    {
      command: `node ../fakes/openai/run.js --port ${fakeOpenAIPort} --key test-key`,
      url: `http://127.0.0.1:${fakeOpenAIPort}/_fake/log`,
      timeout: 60000,
      reuseExistingServer: false
    },
    {
      command: 'jupyter lab --config jupyter_server_test_config.py',
      url: `http://localhost:${labPort}/lab`,
      timeout: 120000,
      reuseExistingServer: false,
      env
    }
  ]
};
