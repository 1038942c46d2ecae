import { createServer } from 'node:http';
import { createSiteHandler } from '../../bin/cli-site-server.ts';

/** Serves a built site folder on a free loopback port, as `broadsheet preview` does. */
export async function serveSite(outDir: string): Promise<{ base: string; close(): Promise<void> }> {
  const handler = createSiteHandler(outDir);
  const server = createServer((req, res) => {
    void handler(req, res);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return {
    base: `http://127.0.0.1:${address.port}/`,
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}
