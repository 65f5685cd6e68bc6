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
    files: ['packages/envs/src/**/*.ts'],
    ignores: ['packages/envs/src/node.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: ['ws', 'msgpackr', '@rlfs/env-server', '@rlfs/agents', '@rlfs/viewer'], patterns: [{ group: ['node:*', 'fs', 'fs/*', 'http', 'https', 'net', 'child_process', 'worker_threads', 'os', 'path'], message: 'The environment core is pure: no I/O, no sockets, no processes.' }] }],
      'no-restricted-globals': ['error', { name: 'process', message: 'The environment core knows no process: take what you need as an argument.' }],
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
      'no-restricted-imports': ['error', { paths: [{ name: '@rlfs/env-server', message: 'Use @rlfs/envs (the pure core) or the protocol client; never the server.' }] }],
    },
  },
);
