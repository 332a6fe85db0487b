import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', 'tools/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // process.env is read in server/config.ts only.
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Read configuration through server/config.ts.' }],
    },
  },
  {
    // Loaded once, without its runtime warning on Node.js 20 (server/oidc/oidcProviderLibrary.ts).
    files: ['server/**'],
    ignores: ['server/oidc/oidcProviderLibrary.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', { paths: [{ name: 'oidc-provider', message: 'Import values from server/oidc/oidcProviderLibrary.ts.', allowTypeImports: true }] }],
    },
  },
  {
    files: ['client/**'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['server/main.ts', 'server/cli.ts', 'test/**', 'bench/**', 'examples/**', 'vitest.config.ts', 'vite.config.ts'],
    rules: { 'no-restricted-properties': 'off' },
  },
);
