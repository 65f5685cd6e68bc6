// Shared Jest settings: TypeScript through SWC (fast, no type checking; `typecheck` does that).
const fs = require('node:fs');
const path = require('node:path');

// Each package's `jest --json --outputFile` writes here; tools/scripts/test-summary.ts sums them up.
fs.mkdirSync(path.join(__dirname, 'test-results/jest'), { recursive: true });

/** @param {string} dir the package folder */
module.exports = function preset(dir) {
  return {
    rootDir: dir,
    testEnvironment: 'node',
    testMatch: ['<rootDir>/test/**/*.test.ts'],
    transform: {
      '^.+\\.(t|j)s$': [
        require.resolve('@swc/jest'),
        { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } },
      ],
    },
    moduleFileExtensions: ['ts', 'js', 'json'],
    testTimeout: 30000,
    cacheDirectory: path.join(__dirname, 'node_modules/.cache/jest'),
  };
};
