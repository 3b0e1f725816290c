/**
 * The conformance table against the TypeScript core: every case's body must be the one the
 * table holds, to the byte (key order included: it is the cached prefix). pytest holds the
 * kernel-side magic to the same table. `AIMAGIC_UPDATE_CONFORMANCE=1 npx jest conformance`
 * rewrites the expected bodies from this side, after a deliberate change of the request.
 */
import { caseBody, readCases, writeCase } from '../testing/conformance';

const UPDATE = process.env.AIMAGIC_UPDATE_CONFORMANCE === '1';

describe('conformance table (TypeScript side)', () => {
  const cases = readCases();

  it('has the cases the issue asks for', () => {
    expect(cases.length).toBeGreaterThanOrEqual(12);
  });

  it.each(cases.flatMap(([file, c]) => c.providers.map(p => [file, p, c] as const)))('%s for %s', async (file, provider, c) => {
    const body = await caseBody(c, provider);
    if (UPDATE) {
      c.expect = { ...(c.expect ?? {}), [provider]: body };
      writeCase(file, c);
      return;
    }
    expect(c.expect?.[provider]).toBeDefined();
    expect(JSON.stringify(body)).toBe(JSON.stringify(c.expect?.[provider]));
  });
});
