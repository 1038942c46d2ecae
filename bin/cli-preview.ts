import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { join, normalize, resolve } from 'node:path';
import { watch } from 'chokidar';
import { contentTypeFor } from '../functions/core/content-types.ts';
import { buildLocal, describeReport } from './cli-build.ts';

export interface PreviewOptions {
  readonly contentDir: string;
  readonly outDir: string;
  readonly port: number;
}

/** Builds, serves the site on localhost, and rebuilds whenever a file in the content folder changes. */
export async function startPreview(
  options: PreviewOptions,
): Promise<{ server: Server; close(): Promise<void> }> {
  const siteUrl = `http://localhost:${options.port}/`;
  const outDir = resolve(options.outDir);
  let building: Promise<void> = Promise.resolve();
  let pending = false;

  const rebuild = (why: string) => {
    if (pending) return;
    pending = true;
    building = building.then(async () => {
      pending = false;
      const started = performance.now();
      try {
        const report = await buildLocal({ contentDir: options.contentDir, outDir, siteUrl });
        console.log(
          `${why}: ${describeReport(report, options.outDir)} (${Math.round(performance.now() - started)} ms)`,
        );
      } catch (error) {
        console.error(`${why}: build failed: ${(error as Error).message}`);
      }
    });
  };

  rebuild('initial build');
  await building;

  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', siteUrl).pathname);
    const key = normalize(path.endsWith('/') ? `${path}index.html` : path).replace(/^\/+/, '');
    if (key.startsWith('..') || key.split('/').some((s) => s.startsWith('_') || s.startsWith('.'))) {
      res.writeHead(404).end('not found');
      return;
    }
    const file = join(outDir, key);
    try {
      const info = await stat(file);
      if (info.isDirectory()) {
        res.writeHead(301, { location: `${path}/` }).end();
        return;
      }
      res.writeHead(200, { 'content-type': contentTypeFor(key), 'cache-control': 'no-cache' });
      createReadStream(file).pipe(res);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end(`not found: ${path}`);
    }
  });
  await new Promise<void>((ok) => server.listen(options.port, '127.0.0.1', ok));

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
      await new Promise<void>((ok) => server.close(() => ok()));
    },
  };
}
