import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { ArticleParser, ParsedSource } from '../core/source-parser.ts';
import type { ParseJob } from './parse-worker.ts';

export interface WorkerParser {
  readonly parse: ArticleParser;
  /** Stops the workers; call it when the build is done. */
  close(): Promise<void>;
}

/**
 * Parses and sanitises articles on worker threads (one per core): on a full build that is where the
 * time goes (Markdown, sanitize-html, summaries), and it spreads over every core while the main thread
 * reads files. `workerUrl` points at `parse-worker.ts` (or its bundled `.mjs`).
 */
export function createWorkerParser(
  workerUrl: URL = new URL('./parse-worker.ts', import.meta.url),
  size = availableParallelism(),
): WorkerParser {
  const pending = new Map<number, { resolve: (p: ParsedSource) => void; reject: (e: Error) => void }>();
  const workers = Array.from({ length: Math.max(1, size) }, () => {
    // From source (tsx, the CLI), through a small loader; a bundled `.mjs` (bench, tests) runs as it is.
    const worker = workerUrl.pathname.endsWith('.ts')
      ? new Worker(new URL('./ts-worker.mjs', import.meta.url), { workerData: { entry: workerUrl.href } })
      : new Worker(workerUrl);
    worker.on('message', (answer: { id: number; parsed?: ParsedSource; error?: string }) => {
      const job = pending.get(answer.id);
      pending.delete(answer.id);
      if (answer.parsed) job?.resolve(answer.parsed);
      else job?.reject(new Error(answer.error ?? 'the parse worker failed'));
    });
    worker.on('error', (error) => {
      for (const job of pending.values()) job.reject(error);
      pending.clear();
    });
    return worker;
  });
  let next = 0;
  return {
    parse: (item, context) =>
      new Promise<ParsedSource>((resolve, reject) => {
        const id = next++;
        pending.set(id, { resolve, reject });
        const job: ParseJob = { id, item, context };
        (workers[id % workers.length] as Worker).postMessage(job);
      }),
    close: async () => {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
