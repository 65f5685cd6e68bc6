/**
 * `npm run view -- runs/A runs/B ... [--port N] [--host H]`: opens finished run folders in the viewer's
 * comparison (one curve per agent, the mean with a band across seeds, on the env-step axis). Serves the built
 * viewer and the folders' episodes and metrics as `/runs.json`, and prints the URL to open.
 */
import { createServer } from 'node:http';
import { existsSync, readFileSync } from 'node:fs';
import { extname, join, normalize } from 'node:path';
import { defineCommand, defineFlags, runMain, UsageError } from '@rlfs/cli';
import { buildViewer, DIST, viewerBuildIsStale } from '../build';
import { readRunFolder } from '../src/compare/read-run-folder';

const VIEW_COMMAND = defineCommand({
  name: 'npm run view',
  description: `npm run view -- DIR [DIR ...] [--port N] [--host H]
Opens finished run folders (written by npm run train -- --out DIR, or npm run race) side by side in the
viewer: each agent's return as the mean across its seeds with a min-max band, and its eval/success, on env steps.`,
  flags: defineFlags({
    port: { type: 'int', min: 0, max: 65535, default: 8090, placeholder: 'N', doc: 'port to serve on (0: any free port)' },
    host: { type: 'string', default: '127.0.0.1', placeholder: 'H', doc: 'address to listen on' },
  }),
});

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.map': 'application/json', '.json': 'application/json' };

void runMain(async () => {
  const argv = process.argv.slice(2);
  const folders = argv.filter((a, i) => !a.startsWith('-') && !/^--(port|host)$/.test(argv[i - 1] ?? ''));
  const flags = VIEW_COMMAND.parse(argv.filter((a) => !folders.includes(a)));
  if (folders.length === 0) throw new UsageError('name at least one run folder, e.g. npm run view -- runs/demo');
  const runs = await Promise.all(folders.map((f) => readRunFolder(f)));
  const body = JSON.stringify({ runs });
  if (viewerBuildIsStale()) await buildViewer({ quiet: true });
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/runs.json') {
      res.writeHead(200, { 'content-type': 'application/json' });
      return void res.end(body);
    }
    const file = normalize(join(DIST, path === '/' ? 'index.html' : path));
    if (!file.startsWith(DIST) || !existsSync(file)) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      return void res.end('not found');
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(flags.port, flags.host, resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : flags.port;
  console.log(`comparing ${runs.length} run${runs.length === 1 ? '' : 's'} (${[...new Set(runs.map((r) => r.agent))].join(', ')}): open http://${flags.host}:${port}/?runs`);
  console.log('Ctrl-C to stop');
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  server.close();
  return 0;
}, { command: VIEW_COMMAND });
