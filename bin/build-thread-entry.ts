// The build thread (see build-thread.ts): one local build, progress and report sent to the main thread.
import { parentPort, workerData } from 'node:worker_threads';
import type { BuildThreadMessage, ThreadBuildRequest } from './build-thread.ts';
import { buildLocal } from './cli-build.ts';

const { request, terminal } = workerData as {
  request: ThreadBuildRequest;
  terminal: { isTTY: boolean; columns?: number };
};
const send = (message: BuildThreadMessage) => parentPort?.postMessage(message);
try {
  const report = await buildLocal({
    contentDir: request.contentDir,
    outDir: request.outDir,
    siteUrl: request.siteUrl,
    now: new Date(request.now),
    verbose: request.verbose,
    progress: request.progress && {
      stream: { write: (text: string) => send({ progress: text }), ...terminal },
    },
    parseWorkerUrl: request.parseWorkerUrl ? new URL(request.parseWorkerUrl) : undefined,
    thread: false,
  });
  send({ report });
} catch (error) {
  send({ failed: (error as Error).message });
}
