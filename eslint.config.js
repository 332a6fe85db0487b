import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

// Loaded once, without its runtime warning on Node.js 20 (server/oidc/oidcProviderLibrary.ts).
const OIDC_PROVIDER = { name: 'oidc-provider', message: 'Import values from server/oidc/oidcProviderLibrary.ts.', allowTypeImports: true };
// @simplewebauthn/server (and its ASN.1 stack) loads at the first ceremony, not at start: only
// the modules that server/webauthn/ceremonyLibrary.ts gathers import its values.
const CEREMONY_LIBRARY = ['server/webauthn/ceremonyLibrary.ts', 'server/webauthn/responseStructure.ts', 'server/webauthn/verifyAssertion.ts', 'server/webauthn/publicKeyCache.ts', 'server/webauthn/attestationTrust.ts'];
const WEBAUTHN_LIBRARY = ['@simplewebauthn/server', '@simplewebauthn/server/helpers'].map((name) => ({ name, message: 'Use loadCeremonyLibrary() (server/webauthn/loadCeremonyLibrary.ts): the library loads at the first ceremony.', allowTypeImports: true }));

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
    files: ['server/**'],
    ignores: ['server/oidc/oidcProviderLibrary.ts', ...CEREMONY_LIBRARY],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { paths: [OIDC_PROVIDER, ...WEBAUTHN_LIBRARY] }] },
  },
  {
    files: CEREMONY_LIBRARY,
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { paths: [OIDC_PROVIDER] }] },
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
