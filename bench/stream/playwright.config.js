/**
 * The stream benchmark runs in the UI tests' setting (JupyterLab with the extension, the fake
 * providers, Debian's Chromium), from ui-tests so its packages resolve: see bench/README.md.
 */
const path = require('path');
const base = require('../../ui-tests/playwright.config.js');

const uiTests = path.join(__dirname, '../../ui-tests');
module.exports = {
  ...base,
  testDir: __dirname,
  testMatch: '*.bench.ts',
  timeout: 30 * 60000,
  retries: 0,
  outputDir: path.join(uiTests, 'test-results', `bench-${process.env.AIMAGIC_LAB_PORT || '8888'}`),
  reporter: [['list']],
  use: { ...base.use, trace: 'off' },
  webServer: base.webServer.map(server => ({ ...server, cwd: uiTests }))
};
