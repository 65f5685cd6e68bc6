/**
 * Prints one closing line for the whole suite, `N passed, N failed`, from the JSON results every package's Jest
 * run writes to test-results/jest/ (Nx prints each package's own summary above it).
 */
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

const dir = resolve(__dirname, '../../test-results/jest');

interface JestJson {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numFailedTestSuites: number;
  numRuntimeErrorTestSuites?: number;
}

if (process.argv.includes('--clean')) {
  rmSync(dir, { recursive: true, force: true });
  process.exit(0);
}

let passed = 0;
let failed = 0;
let skipped = 0;
const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.json')) : [];
for (const file of files) {
  const result = JSON.parse(readFileSync(join(dir, file), 'utf8')) as JestJson;
  passed += result.numPassedTests;
  failed += result.numFailedTests + (result.numRuntimeErrorTestSuites ?? 0);
  skipped += result.numPendingTests;
  console.log(`${file.replace(/\.json$/, '').padEnd(12)} ${result.numPassedTests} passed, ${result.numFailedTests} failed`);
}
if (files.length === 0) {
  console.log('no test results found');
  process.exit(1);
}
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 ? 1 : 0);
