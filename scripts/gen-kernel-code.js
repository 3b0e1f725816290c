#!/usr/bin/env node
/**
 * Embed the kernel-side Python (jupyterlab_aimagic/kernel/tools.py) in a TypeScript module,
 * so the frontend sends the very file that pytest tests. Run by `npm run build:lib`; a jest
 * test fails when the committed module is out of date.
 */
const { readFileSync, writeFileSync } = require('fs');
const { join } = require('path');

const root = join(__dirname, '..');
const source = readFileSync(join(root, 'jupyterlab_aimagic/kernel/tools.py'), 'utf8');
const out = join(root, 'src/notebook/kernel-tools-code.ts');
const expression = /^FRONTEND_EXPRESSION = '(.*)'$/m.exec(source);
if (!expression) {
  throw new Error('tools.py has no one-line FRONTEND_EXPRESSION = \'…\'');
}
const text =
  '// Generated from jupyterlab_aimagic/kernel/tools.py by scripts/gen-kernel-code.js: do not edit.\n\n' +
  '/** The Python source of the kernel side of tools, sent to the kernel as it is. */\n' +
  `export const KERNEL_TOOLS_SOURCE = ${JSON.stringify(source)};\n\n` +
  '/** The expression that runs it (FRONTEND_EXPRESSION): %SOURCE% and %REQUEST% are string literals. */\n' +
  `export const KERNEL_TOOLS_EXPRESSION = ${JSON.stringify(expression[1])};\n`;
let old = '';
try {
  old = readFileSync(out, 'utf8');
} catch {
  // first run
}
if (old !== text) {
  writeFileSync(out, text);
}
