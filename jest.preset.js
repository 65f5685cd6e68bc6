// Shared Jest settings: TypeScript through SWC (fast, no type checking; `typecheck` does that).
const path = require('node:path');

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
