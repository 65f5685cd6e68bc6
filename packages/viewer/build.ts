/**
 * Builds the viewer into dist/: the pages and stylesheet from public/, and one bundle per page (p5 and the
 * protocol client included: no CDN). `npx tsx build.ts` or `npm run build -w @rlfs/viewer`.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';

export const VIEWER_ROOT = resolve(__dirname);
export const DIST = join(VIEWER_ROOT, 'dist');
const ENTRIES = { viewer: 'src/main.ts', play: 'src/play/main.ts' };

/** Bundles the pages into dist/. */
export async function buildViewer(options: { minify?: boolean; quiet?: boolean } = {}): Promise<void> {
  const started = Date.now();
  mkdirSync(DIST, { recursive: true });
  cpSync(join(VIEWER_ROOT, 'public'), DIST, { recursive: true });
  await build({
    entryPoints: Object.fromEntries(Object.entries(ENTRIES).map(([name, file]) => [name, join(VIEWER_ROOT, file)])),
    outdir: DIST,
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: ['es2020'],
    minify: options.minify ?? true,
    sourcemap: true,
    legalComments: 'none',
    logLevel: options.quiet ? 'error' : 'warning',
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  if (!options.quiet) console.log(`viewer built into ${DIST} in ${Date.now() - started} ms`);
}

/** True when dist/ is missing or older than any source, page or the build script itself. */
export function viewerBuildIsStale(): boolean {
  const marker = join(DIST, 'viewer.js');
  if (!existsSync(marker) || !existsSync(join(DIST, 'play.js'))) return true;
  const built = statSync(marker).mtimeMs;
  const sources = [join(VIEWER_ROOT, 'src'), join(VIEWER_ROOT, 'public'), join(VIEWER_ROOT, 'build.ts'), resolve(VIEWER_ROOT, '../protocol/src')];
  return sources.some((path) => newestMtime(path) > built);
}

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((m, name) => Math.max(m, newestMtime(join(path, name))), stat.mtimeMs);
}

if (require.main === module) {
  buildViewer().catch((err: Error) => {
    console.error(err.message);
    process.exit(1);
  });
}
