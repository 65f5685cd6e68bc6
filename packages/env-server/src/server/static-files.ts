/** Serves the viewer's built pages from one folder: `/` is index.html, `/play` is play.html. */
import { createReadStream, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.wasm': 'application/wasm',
};

const ROUTES: Record<string, string> = { '/': 'index.html', '/play': 'play.html', '/play/': 'play.html' };

/** Answers the request from `dir` and returns true, or returns false when no file matches. */
export function serveStatic(dir: string, request: IncomingMessage, response: ServerResponse): boolean {
  const pathname = decodeSafe(new URL(request.url ?? '/', 'http://x').pathname);
  if (pathname === undefined) return false;
  const relative = ROUTES[pathname] ?? pathname.slice(1);
  const file = normalize(join(dir, relative));
  if (!file.startsWith(normalize(dir) + sep)) return false; // no way out of the folder
  let size: number;
  try {
    const stat = statSync(file);
    if (!stat.isFile()) return false;
    size = stat.size;
  } catch {
    return false;
  }
  response.writeHead(200, {
    'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
    'content-length': size,
    'cache-control': 'no-cache',
    'x-content-type-options': 'nosniff',
  });
  if (request.method === 'HEAD') {
    response.end();
    return true;
  }
  createReadStream(file).pipe(response);
  return true;
}

function decodeSafe(path: string): string | undefined {
  try {
    return decodeURIComponent(path);
  } catch {
    return undefined;
  }
}
