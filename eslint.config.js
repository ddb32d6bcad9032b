// One lint configuration for the whole tree (`pnpm lint`, part of the test command). Formatting
// is Prettier's (`.prettierrc.json`); eslint-config-prettier turns off the rules that would fight it.
// Beside the recommended rules it holds the architecture's boundaries, so that a build fails
// when a pure core reaches for I/O or a feature reaches into another's internals.
import js from '@eslint/js'
import prettier from 'eslint-config-prettier'
import svelte from 'eslint-plugin-svelte'
import globals from 'globals'
import tseslint from 'typescript-eslint'

/** What a pure core may not touch: the I/O edges are the ports' business (`ports.ts`). */
const IO_GLOBALS = [
  'fetch',
  'indexedDB',
  'navigator',
  'localStorage',
  'sessionStorage',
  'XMLHttpRequest',
  'WebSocket',
  'caches',
  'setTimeout',
  'setInterval',
  'document',
  'window',
]
const IO_MODULES = ['idb', 'comlink', 'node:*', 'better-sqlite3', 'pg', 'fastify']

const restrictedGlobals = (names) =>
  names.map((name) => ({ name, message: `a pure core does not do I/O: reach ${name} through a port (ports.ts)` }))

/** Imports a pure core may not make: I/O libraries, and the layers that sit above it. */
const coreImports = (features) => ({
  paths: [],
  patterns: [
    { group: IO_MODULES, message: 'a pure core does not do I/O: put it behind a port (ports.ts)' },
    {
      group: ['**/worker/**', '**/adapters/**', '**/state/**', '**/components/**', '**/shared/io/**', '**/app/**', ...features],
      message: 'a pure core imports only its ports, shared/core and @boxoffice/tickets',
    },
  ],
})

export default tseslint.config(
  {
    ignores: ['**/node_modules/**', '**/dist/**', 'reports/**', 'test-results/**', 'playwright-report/**', 'bench/results/**', 'data/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...svelte.configs.recommended,
  prettier,
  ...svelte.configs.prettier,
  {
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      globals: { ...globals.node, ...globals.browser },
    },
    rules: {
      // The codebase marks deliberately unused bindings with a leading underscore.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      // Test doubles and JSON from the wire are typed loosely on purpose, in tests only (below).
      '@typescript-eslint/no-explicit-any': 'error',
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: {
      parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.svelte'], svelteFeatures: { experimentalGenerics: true } },
    },
  },
  {
    files: ['**/*.test.ts', '**/testing/**', 'e2e/**', 'bench/**', 'loadtest/**', 'packages/testkit/**', 'api/test/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // Playwright reads a fixture's dependencies from its destructuring: `async ({}, use)` has none.
    files: ['e2e/**'],
    rules: { 'no-empty-pattern': 'off' },
  },

  // ---- Boundaries ----
  {
    // A feature uses its own layers and shared/; the other feature only through the app shell.
    // (The core rules below repeat this: in a flat config the last block that sets a rule wins.)
    files: ['web/src/batches/**/*.{ts,svelte}'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/checkin/**', '**/app/**'], message: 'batches/ does not reach into check-in or the app shell' }] },
      ],
    },
  },
  {
    files: ['web/src/checkin/**/*.{ts,svelte}'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/batches/**', '**/app/**'], message: 'checkin/ does not reach into batches or the app shell' }] },
      ],
    },
  },
  {
    files: ['web/src/batches/core/**/*.ts', 'web/src/batches/ports.ts'],
    ignores: ['**/*.test.ts', '**/testing/**'],
    rules: {
      'no-restricted-imports': ['error', coreImports(['**/checkin/**'])],
      'no-restricted-globals': ['error', ...restrictedGlobals(IO_GLOBALS)],
    },
  },
  {
    files: ['web/src/checkin/core/**/*.ts', 'web/src/checkin/ports.ts'],
    ignores: ['**/*.test.ts', '**/testing/**'],
    rules: {
      'no-restricted-imports': ['error', coreImports(['**/batches/**'])],
      'no-restricted-globals': ['error', ...restrictedGlobals(IO_GLOBALS)],
    },
  },
  {
    files: ['web/src/shared/core/**/*.ts'],
    // The one deadline helper owns the one timer a request's deadline needs (abort.ts).
    ignores: ['**/*.test.ts', 'web/src/shared/core/abort.ts'],
    rules: {
      'no-restricted-imports': ['error', coreImports(['**/batches/**', '**/checkin/**'])],
      'no-restricted-globals': ['error', ...restrictedGlobals(IO_GLOBALS)],
    },
  },
  {
    // Tests, the bench and the load test share code through packages/testkit only.
    files: ['e2e/**/*.ts', 'bench/**/*.ts', 'loadtest/**/*.ts', 'api/test/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '**/web/src/**',
                '../web/**',
                '../e2e/**',
                '../bench/**',
                '../loadtest/**',
                '../packages/**',
                '../../packages/**',
                '../../../packages/**',
                '**/api/test/**',
              ],
              message: 'share through @boxoffice/testkit (or @boxoffice/tickets), not by reaching into another folder',
            },
          ],
        },
      ],
    },
  },
  {
    // SQL lives in the backend folders only: nothing else may import a driver.
    files: ['api/src/**/*.ts'],
    ignores: ['api/src/db/sqlite/**', 'api/src/db/postgres/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['better-sqlite3', 'pg', 'pg-cursor', '**/db/sqlite/**', '**/db/postgres/**'],
              message: 'only db/sqlite/ and db/postgres/ know a driver; use the contracts in db/ and openStorage',
            },
          ],
        },
      ],
    },
  },
)
