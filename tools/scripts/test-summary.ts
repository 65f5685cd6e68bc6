/**
 * Prints one closing line for the whole suite, `N passed, N failed, N skipped (which and why)`, from the JSON results
 * every package's Jest run writes to test-results/jest/ (Nx prints each package's own summary above it). A skipped
 * test says why through the title of its skipped describe block (`skipped: no msgpack under ...: apt-get install ...`).
 */
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';

const dir = resolve(__dirname, '../../test-results/jest');

interface JestJson {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numFailedTestSuites: number;
  numRuntimeErrorTestSuites?: number;
  testResults?: { name: string; assertionResults: { status: string; title: string; ancestorTitles: string[] }[] }[];
}

if (process.argv.includes('--clean')) {
  rmSync(dir, { recursive: true, force: true });
  process.exit(0);
}

let passed = 0;
let failed = 0;
let skipped = 0;
/** "file: why" -> how many tests. */
const skips = new Map<string, number>();
const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.json')) : [];
for (const file of files) {
  const result = JSON.parse(readFileSync(join(dir, file), 'utf8')) as JestJson;
  passed += result.numPassedTests;
  failed += result.numFailedTests + (result.numRuntimeErrorTestSuites ?? 0);
  skipped += result.numPendingTests;
  for (const suite of result.testResults ?? []) {
    for (const test of suite.assertionResults) {
      if (test.status !== 'pending' && test.status !== 'skipped' && test.status !== 'todo') continue;
      const why = [...test.ancestorTitles, test.title].find((t) => t.startsWith('skipped: '))?.slice('skipped: '.length) ?? test.title;
      const key = `${basename(suite.name).replace(/\.test\.ts$/, '')}: ${why}`;
      skips.set(key, (skips.get(key) ?? 0) + 1);
    }
  }
  console.log(`${file.replace(/\.json$/, '').padEnd(12)} ${result.numPassedTests} passed, ${result.numFailedTests} failed${result.numPendingTests ? `, ${result.numPendingTests} skipped` : ''}`);
}
if (files.length === 0) {
  console.log('no test results found');
  process.exit(1);
}
const why = [...skips].map(([key, n]) => `${n} in ${key}`).join('; ');
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped (${why})` : ''}`);
process.exit(failed > 0 ? 1 : 0);
