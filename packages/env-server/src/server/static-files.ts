/**
 * Serves the viewer's built pages from one folder: `/` is index.html, `/play` is play.html. The folder is looked at
 * on every request, so a viewer built after the server started is served without a restart. Nothing outside the
 * folder is ever served: the path is decoded once, `..` segments are refused, and the file's real path (symbolic
 * links followed) must lie inside the folder's real path.
 */
import { closeSync, createReadStream, fstatSync, openSync, realpathSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, sep } from 'node:path';
import { pipeline } from 'node:stream';

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

/** True for the paths of the viewer's pages (answered with how to build it when it is not built). */
export function isPagePath(path: string): boolean {
  return ROUTES[path] !== undefined;
}

/**
 * The path of a request target (`/a/b?q` or `http://host/a/b`), without query; undefined when the target is not one
 * a browser sends (it then gets 404). Never throws.
 */
export function requestPath(target: string | undefined): string | undefined {
  if (target === undefined || target === '') return undefined;
  if (target.startsWith('/')) {
    const end = target.search(/[?#]/);
    return end === -1 ? target : target.slice(0, end);
  }
  // absolute-form (a proxy's request line): its path, if it parses
  try {
    return new URL(target).pathname;
  } catch {
    return undefined;
  }
}

/** Answers the request from `dir` and returns true, or returns false when no file of the folder matches. */
export function serveStatic(dir: string, path: string, request: IncomingMessage, response: ServerResponse): boolean {
  const file = fileFor(dir, path);
  if (file === undefined) return false;
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return false; // gone since, or unreadable
  }
  // size and kind of the file actually opened: a file replaced or removed after this point is still this one
  let size: number;
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new Error('not a file');
    size = stat.size;
  } catch {
    closeSync(fd);
    return false;
  }
  response.writeHead(200, {
    'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
    'content-length': size,
    'cache-control': 'no-cache',
    'x-content-type-options': 'nosniff',
  });
  if (request.method === 'HEAD') {
    closeSync(fd);
    response.end();
    return true;
  }
  // a read error half way (a disk error, a file that cannot be read) ends this response, never the process
  pipeline(createReadStream('', { fd, autoClose: true }), response, (err) => {
    if (err) response.destroy();
  });
  return true;
}

/** The file of the folder `path` names, or undefined when it names nothing inside it. */
function fileFor(dir: string, path: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return undefined;
  const relative = ROUTES[decoded] ?? decoded.slice(1);
  if (relative.split('/').some((part) => part === '..')) return undefined;
  let root: string;
  let real: string;
  try {
    root = realpathSync(dir);
    real = realpathSync(join(root, relative));
  } catch {
    return undefined;
  }
  return real.startsWith(root + sep) ? real : undefined;
}
