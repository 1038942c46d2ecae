import { readFile, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join, normalize } from 'node:path';
import { browserFeedType, contentTypeFor } from '../functions/core/content-types.ts';
import { NOT_FOUND_KEY } from '../functions/core/render-not-found-page.ts';

export interface SiteHandlerOptions {
  /**
   * Rewrites HTML responses (preview only: live-reload script, report banner). The bytes on disk, which
   * are what gets published, are never touched.
   */
  readonly transformHtml?: (html: string, key: string) => string | Promise<string>;
}

/** The site key a request path maps to, as CloudFront does (`/x/` → `x/index.html`); undefined if private. */
export function keyForPath(path: string): string | undefined {
  const key = normalize(path.endsWith('/') ? `${path}index.html` : path)
    .replace(/\\/g, '/')
    .replace(/^\/+/, '');
  // `_report.json`, `_state/…` and dot files are internal: the deployed site does not serve them either.
  if (key.startsWith('..') || key.split('/').some((s) => s.startsWith('_') || s.startsWith('.')))
    return undefined;
  return key;
}

/** The path of a request's URL, still percent-encoded; `undefined` when it is not one (`//`). */
export function requestPath(url: string | undefined): string | undefined {
  try {
    return new URL(url ?? '/', 'http://localhost').pathname;
  } catch {
    return undefined;
  }
}

/**
 * Serves a built site folder with each file's real Content-Type: the preview server's handler, also used by
 * the browser test so that it sees what a reader's browser sees.
 */
export function createSiteHandler(root: string, options: SiteHandlerOptions = {}) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const raw = requestPath(req.url);
    let path: string;
    try {
      if (raw === undefined) throw new URIError('not a path');
      path = decodeURIComponent(raw);
    } catch {
      res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' }).end('bad request');
      return;
    }
    const key = keyForPath(path);
    if (key === undefined) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end(`not found: ${path}`);
      return;
    }
    const file = join(root, key);
    const info = await stat(file).catch(() => undefined);
    if (info?.isDirectory()) {
      res.writeHead(301, { location: `${path}/` }).end();
      return;
    }
    if (!info) {
      // The site's own 404 page, as CloudFront serves it.
      const page = await readFile(join(root, NOT_FOUND_KEY)).catch(() => undefined);
      if (page) res.writeHead(404, { 'content-type': 'text/html; charset=utf-8' }).end(page);
      else res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end(`not found: ${path}`);
      return;
    }
    const type = browserFeedType(contentTypeFor(key), req.headers.accept);
    let body: Uint8Array | string = await readFile(file);
    if (options.transformHtml && type.startsWith('text/html')) {
      body = await options.transformHtml(body.toString(), key);
    }
    res.writeHead(200, {
      'content-type': type,
      'cache-control': 'no-cache',
      vary: 'Accept',
      'content-length': Buffer.byteLength(body),
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  };
}
