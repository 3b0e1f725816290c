import { readFileSync } from 'fs';
import { join } from 'path';
import { KERNEL_TOOLS_EXPRESSION, KERNEL_TOOLS_SOURCE } from './kernel-tools-code';

describe('kernel-tools-code', () => {
  it('is the current jupyterlab_aimagic/kernel/tools.py (run `node scripts/gen-kernel-code.js` if not)', () => {
    const source = readFileSync(join(__dirname, '../../jupyterlab_aimagic/kernel/tools.py'), 'utf8');
    expect(KERNEL_TOOLS_SOURCE === source).toBe(true);
    expect(source).toContain(`\nFRONTEND_EXPRESSION = '${KERNEL_TOOLS_EXPRESSION}'\n`);
  });
});
