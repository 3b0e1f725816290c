/**
 * Jest runs the pure core, the command line and the fake provider servers in plain Node.
 * No JupyterLab package is imported by anything under test here (see STYLE.md).
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/src', '<rootDir>/fakes', '<rootDir>/bench'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.tsx?$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }]
  },
  testTimeout: 30000
};
