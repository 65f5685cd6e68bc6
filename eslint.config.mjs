// Lint: typescript-eslint's recommended rules, plus the package doors: other packages are imported
// only through their name (their index.ts), never by a path into their src/.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', '**/*.js', '**/*.mjs'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/packages/*/src/**', '../../*/src/**', '@rlfs/*/src/**'], message: 'Import another package by its name, through its index.ts.' },
          ],
        },
      ],
    },
  },
  {
    files: ['packages/env-server/src/envs/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: ['ws', 'node:http', 'node:net', 'http', 'net', 'node:fs', 'fs'], patterns: [{ group: ['../server/**'], message: 'The environment core is pure: no I/O, no sockets.' }] }],
    },
  },
  {
    files: ['packages/protocol/src/**/*.ts'],
    ignores: ['packages/protocol/src/node.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: ['ws'], patterns: [{ group: ['node:*'], message: 'The protocol package runs in browsers too; Node-only code lives in src/node.ts.' }] }],
    },
  },
  {
    files: ['packages/viewer/src/**/*.ts', 'packages/agents/src/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: '@rlfs/env-server', message: 'Use @rlfs/env-server/envs (the pure core) or the protocol client; never the server.' }] }],
    },
  },
);
