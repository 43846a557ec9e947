import { createReadStream, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

/** Headers on every page and file: no sniffing, no framing, no referrer leaving the machine. */
export const SECURITY_HEADERS: Record<string, string> = {
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/**
 * Serves the renderer build (`out/renderer`). Paths resolve inside `root` only; anything without a file
 * extension that is not a file gets index.html, so a reload on any screen works.
 */
export function serveStatic(req: IncomingMessage, res: ServerResponse, root: string): void {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { ...SECURITY_HEADERS, Allow: 'GET, HEAD', 'Content-Type': 'text/plain' });
    res.end('Method not allowed');
    return;
  }
  const file = resolveFile(root, req.url ?? '/');
  if (file === undefined) {
    res.writeHead(404, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' });
    res.end('Not found');
    return;
  }
  const isIndex = file.path.endsWith(`${sep}index.html`);
  res.writeHead(200, {
    ...SECURITY_HEADERS,
    'Content-Type': CONTENT_TYPES[extname(file.path).toLowerCase()] ?? 'application/octet-stream',
    'Content-Length': String(file.size),
    // Built assets carry a content hash in their name; the page itself must always be fresh.
    'Cache-Control': isIndex ? 'no-cache' : 'public, max-age=31536000, immutable',
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  createReadStream(file.path)
    .on('error', () => res.destroy())
    .pipe(res);
}

export function resolveFile(root: string, requestUrl: string): { path: string; size: number } | undefined {
  const base = resolve(root);
  let pathname: string;
  try {
    pathname = decodeURIComponent(new URL(requestUrl, 'http://localhost').pathname);
  } catch {
    return undefined;
  }
  if (pathname.includes('\0')) return undefined;
  const candidate = resolve(base, `.${pathname}`);
  if (candidate !== base && !candidate.startsWith(base + sep)) return undefined;
  const found = fileAt(candidate);
  if (found !== undefined) return found;
  // A screen's address (no extension): the app itself. A missing asset stays a 404.
  if (extname(pathname) === '') return fileAt(join(base, 'index.html'));
  return undefined;
}

function fileAt(path: string): { path: string; size: number } | undefined {
  try {
    const stats = statSync(path);
    if (stats.isFile()) return { path, size: stats.size };
    if (stats.isDirectory()) return fileAt(join(path, 'index.html'));
  } catch {
    // not there
  }
  return undefined;
}
