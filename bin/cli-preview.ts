import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type Server, type ServerResponse } from 'node:http';
import { join, resolve } from 'node:path';
import { watch } from 'chokidar';
import { createStateCache } from '../functions/core/incremental-state.ts';
import type { BuildReport } from '../functions/core/publish-site.ts';
import { REPORT_KEY } from '../functions/core/publish-site.ts';
import { escapeHtml } from '../functions/core/text.ts';
import { buildLocal, describeReport, requireFolder, requireOutsideContent } from './cli-build.ts';
import { parseCommandArgs, plural, UsageError } from './cli-shared.ts';
import { createSiteHandler, requestPath } from './cli-site-server.ts';

export interface PreviewOptions {
  readonly contentDir: string;
  readonly outDir: string;
  readonly port: number;
  /** @default 127.0.0.1 */
  readonly host?: string;
}

export interface PreviewServer {
  readonly server: Server;
  close(): Promise<void>;
}

/** The Server-Sent Events endpoint the injected script listens to; `_`-prefixed like every private key. */
export const RELOAD_PATH = '/__reload';

/** Injected into preview HTML only: the published pages carry no script (the site's CSP forbids it). */
export const RELOAD_SCRIPT = `<script>/* broadsheet preview */new EventSource(${JSON.stringify(RELOAD_PATH)}).addEventListener('reload',function(){location.reload()});</script>`;

/**
 * The preview-only report banner: skipped articles with their reasons and fixes, warnings, held-back
 * drafts and scheduled posts, and a failed build. Empty when there is nothing to say.
 */
export function renderPreviewBanner(report: BuildReport | undefined, buildError?: string): string {
  const items: string[] = [];
  if (buildError) {
    items.push(
      `<li><strong>The last build failed</strong>; the pages are from the last good build:<pre style="white-space:pre-wrap;margin:.3rem 0">${escapeHtml(buildError)}</pre></li>`,
    );
  }
  for (const p of report?.skipped ?? [])
    items.push(`<li><strong>Skipped</strong> ${escapeHtml(p.text)}</li>`);
  for (const e of report?.errors ?? []) items.push(`<li><strong>Error</strong> ${escapeHtml(e)}</li>`);
  for (const p of report?.warnings ?? []) items.push(`<li>Warning: ${escapeHtml(p.text)}</li>`);
  for (const h of report?.heldBack ?? []) {
    items.push(
      h.reason === 'draft'
        ? `<li>Draft, not published: ${escapeHtml(h.file)}</li>`
        : `<li>Scheduled for ${escapeHtml(h.publishAt ?? '')}: ${escapeHtml(h.file)}</li>`,
    );
  }
  if (items.length === 0) return '';
  const skipped = report?.skipped.length ?? 0;
  const heading = buildError
    ? 'Preview: the build failed'
    : skipped > 0
      ? `Preview: ${plural(skipped, 'article')} skipped`
      : 'Preview notes';
  return `<aside class="broadsheet-preview" aria-label="Preview report" style="font:0.95rem/1.5 system-ui,sans-serif;background:#fff4d6;color:#2b2100;border-bottom:3px solid #b07d00;padding:.75rem 1.25rem">
<p style="margin:0 0 .3rem;font-weight:bold">${escapeHtml(heading)} <span style="font-weight:normal">(shown only in preview)</span></p>
<ul style="margin:0;padding-left:1.2rem">${items.join('\n')}</ul>
</aside>`;
}

/** Adds the banner after `<body>` (home page only) and the reload script before `</body>`. */
export function injectPreview(html: string, banner: string): string {
  let out = html;
  if (banner) out = out.replace(/<body([^>]*)>/i, (tag) => `${tag}\n${banner}`);
  return out.includes('</body>') ? out.replace('</body>', `${RELOAD_SCRIPT}\n</body>`) : out + RELOAD_SCRIPT;
}

/** Builds, serves the site on localhost, and rebuilds whenever a file in the content folder changes. */
export async function startPreview(options: PreviewOptions): Promise<PreviewServer> {
  await requireFolder(options.contentDir, '--content');
  await requireOutsideContent(options.contentDir, options.outDir);
  const siteUrl = `http://localhost:${options.port}/`;
  const outDir = resolve(options.outDir);
  const clients = new Set<ServerResponse>();
  let building: Promise<void> = Promise.resolve();
  let pending = false;
  let lastError: string | undefined;
  let builds = 0;
  const stateCache = createStateCache();

  const rebuild = (why: string) => {
    if (pending) return;
    pending = true;
    building = building.then(async () => {
      pending = false;
      const started = performance.now();
      try {
        const report = await buildLocal({
          contentDir: options.contentDir,
          outDir,
          siteUrl,
          progress: true,
          stateCache,
        });
        lastError = undefined;
        console.log(
          `${why}: ${describeReport(report, options.outDir)} (${Math.round(performance.now() - started)} ms)`,
        );
      } catch (error) {
        lastError = (error as Error).message;
        console.error(`${why}: build failed: ${lastError}`);
      }
      builds++;
      for (const client of clients) client.write(`event: reload\ndata: ${builds}\n\n`);
    });
  };

  rebuild('initial build');
  await building;

  const readReport = async (): Promise<BuildReport | undefined> => {
    try {
      return JSON.parse(await readFile(join(outDir, REPORT_KEY), 'utf8')) as BuildReport;
    } catch {
      return undefined;
    }
  };
  const serveSite = createSiteHandler(outDir, {
    transformHtml: async (html, key) =>
      injectPreview(html, key === 'index.html' ? renderPreviewBanner(await readReport(), lastError) : ''),
  });

  const server = createServer((req, res) => {
    const path = requestPath(req.url);
    // Not a path this server can read (`//`): let the site handler answer it (400), never throw.
    if (path === undefined) {
      void serveSite(req, res);
      return;
    }
    if (path === RELOAD_PATH) {
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache',
        connection: 'keep-alive',
      });
      res.write(`retry: 1000\n: connected after build ${builds}\n\n`);
      clients.add(res);
      req.on('close', () => clients.delete(res));
      return;
    }
    if ((path === '/' || path === '/index.html') && !existsSync(join(outDir, 'index.html'))) {
      // Nothing built yet (a bad site.yaml on the first build): say why instead of a bare 404.
      void readReport().then((report) => {
        const page = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Broadsheet preview</title></head><body><main><h1>Nothing built yet</h1><p>Fix the problem below and save: the page reloads.</p></main></body></html>`;
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache' });
        res.end(injectPreview(page, renderPreviewBanner(report, lastError)));
      });
      return;
    }
    serveSite(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(`preview server error: ${(error as Error).message}`);
    });
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(options.port, options.host ?? '127.0.0.1', ok);
  });

  let timer: NodeJS.Timeout | undefined;
  const watcher = watch(resolve(options.contentDir), { ignoreInitial: true });
  watcher.on('all', (event, path) => {
    clearTimeout(timer);
    timer = setTimeout(() => rebuild(`${event} ${path}`), 100);
  });

  return {
    server,
    async close() {
      clearTimeout(timer);
      await watcher.close();
      await building;
      for (const client of clients) client.end();
      server.closeAllConnections();
      await new Promise<void>((ok) => server.close(() => ok()));
    },
  };
}

export const PREVIEW_USAGE =
  'preview  [--content DIR] [--out DIR] [--port N]                    build, serve on localhost, rebuild and reload on change';

/** `broadsheet preview` (what `npm start` runs): serves until Ctrl-C. */
export async function runPreview(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, {
    content: { type: 'string', default: 'content' },
    out: { type: 'string', default: '.preview' },
    port: { type: 'string' },
  });
  if (positionals.length > 0)
    throw new UsageError(`preview takes no file names (got ${positionals.join(' ')})`);
  const raw = values.port ?? process.env.PORT ?? '8787';
  const port = Number(raw);
  if (!/^\d+$/.test(raw) || port < 1 || port > 65_535)
    throw new UsageError(`port "${raw}" is not a port number (1–65535): set --port N or PORT`);
  try {
    await startPreview({ contentDir: values.content, outDir: values.out, port });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE')
      throw new UsageError(`port ${port} is in use: stop the other server or pick another with PORT=8788`);
    throw error;
  }
  console.log(`serving http://localhost:${port}/ — watching ${values.content}/ (Ctrl-C to stop)`);
  return new Promise<number>(() => {});
}
