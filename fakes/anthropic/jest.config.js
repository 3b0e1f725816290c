/**
 * Jest config for the fake Anthropic server's own tests, used until (and besides) the
 * project's root jest.config.js: `npx jest -c fakes/anthropic/jest.config.js`.
 *
 * tsconfig.json sets `isolatedModules`, so ts-jest only transpiles: type checking is
 * `tsc --noEmit -p fakes/anthropic`'s job, and the suite starts in seconds.
 */
module.exports = {
  rootDir: __dirname,
  testEnvironment: 'node',
  testMatch: ['<rootDir>/*.test.ts'],
  // Generous: the CLI tests start Node processes, and the machine may be shared and busy.
  testTimeout: 30000,
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }]
  }
};
