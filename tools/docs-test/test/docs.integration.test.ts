/**
 * Every runnable example of README.md, docs/*.md and examples/NAME/README.md runs as written, against a live server.
 *
 * - Which blocks run: see src/blocks.ts (`sh bash ts typescript python py`, unless `<!-- not run: REASON -->`).
 * - One server for the whole file, on a free port of 127.0.0.1. Examples show the default address
 *   `ws://127.0.0.1:8080/ws` (and `http://127.0.0.1:8080/...`); before running, `127.0.0.1:8080` and `localhost:8080`
 *   in the example are rewritten to the live server's address. Nothing else in an example is changed.
 * - A page's examples run one after another, in page order, in the page's own working folder (src/run-block.ts), so
 *   `npm run eval -- --load runs/x` finds what the page's `train` before it wrote. Pages run in parallel.
 * - A page's TypeScript (its `ts` examples and `<!-- file: X.ts -->` blocks) is also typechecked with the repository's
 *   compiler settings, so that a renamed type breaks the test too.
 * - Examples that call Python are skipped, with one line saying what to install, where /usr/bin/python3 lacks
 *   Debian's python3-msgpack and python3-websockets.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { startServer } from '@rlfs/env-server';
import type { RunningServer } from '@rlfs/env-server';
import {
  blockProblems,
  describeFailure,
  kindOf,
  listPages,
  makeWorkspace,
  needsPythonModules,
  parseBlocks,
  pointAtServer,
  PYTHON,
  pythonMissing,
  removeWorkspace,
  runExample,
  saveBlock,
  typecheckFiles,
} from '../src';

const REPO = resolve(__dirname, '../../..');
/** One example's limit: the slowest shown (a short training run) takes about 20 s on a quiet machine. */
const EXAMPLE_TIMEOUT_MS = 180_000;

const pages = listPages(REPO).map((file) => ({ file, blocks: parseBlocks(readFileSync(resolve(REPO, file), 'utf8')) }));
const noPython = pythonMissing();
if (noPython) console.warn(`docs: Python examples skipped: ${noPython}`);

let server: Promise<RunningServer> | undefined;
/** The live server, started by the first page that needs it (concurrent tests may start before beforeAll ends). */
function liveServer(): Promise<RunningServer> {
  server ??= startServer({ port: 0, host: '127.0.0.1' });
  return server;
}
afterAll(async () => {
  if (server) await (await server).close();
});

test('every fence has an info string and every example left out says why', () => {
  expect(pages.flatMap((p) => blockProblems(p.file, p.blocks))).toEqual([]);
});

test('the pages hold runnable examples (the parser found them)', () => {
  const runnable = pages.flatMap((p) => p.blocks.filter((b) => kindOf(b) !== 'not run' && kindOf(b) !== 'file'));
  expect(pages.map((p) => p.file)).toEqual(expect.arrayContaining(['README.md', 'docs/protocol.md', 'docs/tutorial.md']));
  expect(runnable.length).toBeGreaterThanOrEqual(10);
});

for (const page of pages) {
  const runnable = page.blocks.filter((b) => kindOf(b) !== 'not run');
  if (!runnable.some((b) => kindOf(b) !== 'file')) continue;
  const lines = runnable.filter((b) => kindOf(b) !== 'file').map((b) => b.line);
  test.concurrent(`${page.file}: the examples at lines ${lines.join(', ')} run`, async () => {
    const { port } = new URL((await liveServer()).url);
    const dir = makeWorkspace(REPO);
    const tsFiles: string[] = [];
    try {
      for (const block of runnable) {
        const kind = kindOf(block);
        if (kind === 'file') {
          saveBlock(dir, block);
          if (/\.m?ts$/.test(block.saveAs!)) tsFiles.push(block.saveAs!);
          continue;
        }
        if (kind === 'not run') continue;
        const skip = kind === 'python' && !existsSync(PYTHON) ? `no ${PYTHON}: apt-get install python3` : needsPythonModules(block.text) ? noPython : undefined;
        if (skip) {
          console.warn(`docs: ${page.file}:${block.line} skipped: ${skip}`);
          continue;
        }
        const name = `${basename(page.file, '.md')}-line-${block.line}`;
        if (kind === 'typescript') tsFiles.push(`${name}.ts`);
        const text = pointAtServer(block.text, Number(port));
        const result = await runExample(kind, { repo: REPO, cwd: dir, text, name, timeoutMs: EXAMPLE_TIMEOUT_MS });
        if (result.code !== 0) throw new Error(describeFailure(page.file, block, result));
      }
      if (tsFiles.length > 0) {
        const checked = await typecheckFiles(dir, REPO, tsFiles, EXAMPLE_TIMEOUT_MS);
        if (checked.code !== 0) throw new Error(`${page.file}: its TypeScript examples do not typecheck:\n${checked.stdout}${checked.stderr}`);
      }
    } finally {
      removeWorkspace(dir);
    }
  });
}
