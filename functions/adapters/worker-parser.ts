import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { FEED_FILES, type FeedSpec } from '../core/feed-spec.ts';
import type { RenderedOutput, RenderJob } from '../core/render-site.ts';
import type { ArticleParser, ParsedSource } from '../core/source-parser.ts';
import type { ParseJob, RenderedFeed, RenderJobMessage } from './parse-worker.ts';

export interface WorkerParser {
  readonly parse: ArticleParser;
  /** Renders, checks and encodes a feed on a worker (`PublishOptions.renderer`). */
  readonly render: (key: string, job: RenderJob) => Promise<RenderedOutput>;
  /** Stops the workers; call it when the build is done. */
  close(): Promise<void>;
}

type Answer = { id: number; parsed?: ParsedSource; feed?: RenderedFeed; error?: string };

/**
 * Parses and sanitises articles on worker threads (one per core), then renders the feeds: on a full
 * build that is where the time goes (Markdown, sanitising, summaries; then thousands of archive feeds,
 * each strictly checked), and it spreads over every core while the main thread reads and writes files.
 * `workerUrl` points at `parse-worker.ts` (or its bundled `.mjs`).
 */
export function createWorkerParser(
  workerUrl: URL = new URL('./parse-worker.ts', import.meta.url),
  size = availableParallelism(),
): WorkerParser {
  const pending = new Map<number, { resolve: (answer: Answer) => void; reject: (e: Error) => void }>();
  const busy: number[] = [];
  const workers = Array.from({ length: Math.max(1, size) }, (_, index) => {
    // From source (tsx, the CLI), through a small loader; a bundled `.mjs` (bench, tests) runs as it is.
    const worker = workerUrl.pathname.endsWith('.ts')
      ? new Worker(new URL('./ts-worker.mjs', import.meta.url), { workerData: { entry: workerUrl.href } })
      : new Worker(workerUrl);
    busy[index] = 0;
    worker.on('message', (answer: Answer) => {
      const job = pending.get(answer.id);
      pending.delete(answer.id);
      busy[index] = (busy[index] ?? 1) - 1;
      if (answer.error === undefined) job?.resolve(answer);
      else job?.reject(new Error(answer.error || 'the worker failed'));
    });
    worker.on('error', (error) => {
      for (const job of pending.values()) job.reject(error);
      pending.clear();
    });
    return worker;
  });
  let next = 0;
  const feeds = new Map<FeedSpec, { answer: Promise<Answer>; taken: Set<RenderJob['format']> }>();
  // The least busy worker takes the job: renders vary in size far more than parses do.
  const send = (message: (id: number) => ParseJob | RenderJobMessage) =>
    new Promise<Answer>((resolve, reject) => {
      const id = next++;
      let index = 0;
      for (let i = 1; i < workers.length; i++) if ((busy[i] ?? 0) < (busy[index] ?? 0)) index = i;
      busy[index] = (busy[index] ?? 0) + 1;
      pending.set(id, { resolve, reject });
      (workers[index] as Worker).postMessage(message(id));
    });
  return {
    parse: async (item, context) => {
      const answer = await send((id) => ({ id, item, context }));
      if (!answer.parsed) throw new Error('the parse worker answered without a result');
      return answer.parsed;
    },
    render: async (key, job) => {
      // The three formats of a document are asked for one by one: the first sends the spec once, all
      // three are rendered together, and each is handed over (and let go) as it is asked for.
      let feed = feeds.get(job.spec);
      if (!feed) {
        const dir = key.slice(0, key.length - FEED_FILES[job.format].length);
        feed = { answer: send((id) => ({ id, render: { dir, spec: job.spec } })), taken: new Set() };
        feeds.set(job.spec, feed);
      }
      feed.taken.add(job.format);
      if (feed.taken.size === 3) feeds.delete(job.spec);
      const rendered = (await feed.answer).feed?.[job.format];
      if (!rendered) throw new Error('the render worker answered without a result');
      return rendered;
    },
    close: async () => {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
