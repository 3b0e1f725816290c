/**
 * Lint rules. The one that matters most: src/core stays free of JupyterLab and Lumino, so
 * it runs and is tested in plain Node (DESIGN §4, STYLE.md).
 */
module.exports = {
  root: true,
  parser: '@typescript-eslint/parser',
  parserOptions: { project: false, sourceType: 'module', ecmaVersion: 2022 },
  plugins: ['@typescript-eslint'],
  extends: ['eslint:recommended', 'plugin:@typescript-eslint/recommended'],
  env: { browser: true, node: true, es2022: true },
  ignorePatterns: ['lib/', 'node_modules/', 'jupyterlab_aimagic/', 'ui-tests/', '**/*.js', '**/*.d.ts'],
  rules: {
    '@typescript-eslint/no-explicit-any': 'off',
    '@typescript-eslint/no-namespace': 'off',
    '@typescript-eslint/no-unused-vars': ['error', { args: 'none', varsIgnorePattern: '^_' }],
    curly: ['error', 'all'],
    eqeqeq: ['error', 'smart']
  },
  overrides: [
    {
      files: ['src/core/**/*.ts'],
      rules: {
        'no-restricted-imports': [
          'error',
          {
            patterns: [
              { group: ['@jupyterlab/*', '@lumino/*', '@jupyter/*'], message: 'src/core must not import JupyterLab or Lumino: convert at the edge (src/notebook).' },
              { group: ['../notebook/*', '../plugins/*', '../../notebook/*', '../../plugins/*'], message: 'src/core must not depend on the JupyterLab glue.' }
            ]
          }
        ]
      }
    }
  ]
};
