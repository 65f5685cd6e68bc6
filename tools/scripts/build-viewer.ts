/**
 * Builds the viewer into packages/viewer/dist when it is missing or older than its sources; says nothing otherwise.
 * `npm install` and `npm ci` run it (the root package's `prepare`), and so does `npm run server` before it starts,
 * so that the server always has pages to serve at `/` and `/play`. `npm run build` rebuilds unconditionally.
 */
import { buildViewer, DIST, viewerBuildIsStale } from '../../packages/viewer/build';

async function main(): Promise<void> {
  if (!viewerBuildIsStale()) return;
  await buildViewer({ quiet: true });
  console.log(`viewer built into ${DIST}`);
}

// A failed build must not fail `npm install` or keep the server from starting: agents do not need the pages.
main().catch((err: Error) => {
  console.error(`warning: building the viewer failed (${err.message}); the server runs without its pages. Try: npm run build`);
});
