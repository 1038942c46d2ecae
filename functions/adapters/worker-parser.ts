import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import {
  documentFiles,
  type RenderedOutput,
  type RenderJob,
  received,
  renderDocument,
  transferable,
} from '../core/render-job.ts';
import {
  type ArticleParser,
  type ParsedSource,
  parseAheadInProcess,
  parseEachAhead,
  withHtmlBytes,
} from '../core/source-parser.ts';
import type { ParseJob, RenderedFiles, RenderJobMessage } from './parse-worker.ts';

export interface WorkerParser {
  readonly parse: ArticleParser;
  /** Renders, checks and encodes a feed or digest file on a worker (`PublishOptions.renderer`). */
  readonly render: (key: string, job: RenderJob) => Promise<RenderedOutput>;
  /** Workers still running (one that died, out of memory say, left its jobs to this thread). */
  alive(): number;
  /** Jobs this thread did itself: helping (`helpHere`), for a dead worker, or after `close`. */
  doneHere(): number;
  /** Stops the workers; call it when the build is done. */
  close(): Promise<void>;
}

/**
 * Each worker's heap. V8's defaults let a worker's young generation reach 48 MB and its heap grow lazily
 * toward the machine's limit: with two workers that is ~150 MB of RSS a full build of 10,000 articles does
 * not need (measured: 685 → 520 MB peak, same time). 16 MB here, not 8: a full build of 10,000 took
 * ~1.5 s less (fewer scavenges, fewer short-lived strings promoted) for ~10 MB more at its peak; the build
 * thread's 8 MB costs it no time (`docs/architecture.md`). A job that still runs out (a huge article) kills only its worker,
 * and this thread does that worker's jobs (see `bury`).
 */
const WORKER_LIMITS = { maxYoungGenerationSizeMb: 16, maxOldGenerationSizeMb: 256 } as const;

/** `html`: a parsed body's HTML as UTF-8, sent apart from `parsed` (whose `body.html` is then empty). */
type Answer = { id: number; parsed?: ParsedSource; html?: Uint8Array; files?: RenderedFiles; error?: string };

/** Every worker has this many jobs queued before a helping thread takes one itself. */
const HELP_FROM = 1;

/**
 * Parses a helping thread takes in one go (those asked for in the same turn), under one time guard: a
 * guard is a watchdog thread, and with both cores busy starting and joining one cost the build thread
 * ~0.7 ms a parse (~2 s of a full build of 10,000 articles; `docs/architecture.md`).
 */
const HELP_PARSES = 8;

/**
 * What a helping thread takes: a parse, a feed or a digest, never an article page. The pages come while
 * that thread writes 10,000 of them, which is all it can do then; feeds come while it waits on the workers.
 */
const helpsWith = (message: ParseJob | RenderJobMessage) =>
  !('render' in message) || message.render.document.kind !== 'page';

/** What a worker would have answered, worked out on this thread (the body's HTML as UTF-8, as from a worker). */
async function inProcess(message: ParseJob | RenderJobMessage): Promise<Answer> {
  if ('render' in message) {
    return { id: message.id, files: renderDocument(message.render.dir, received(message.render.document)) };
  }
  return { id: message.id, parsed: await parseAheadInProcess(message.item, message.context) };
}

/**
 * Parses and sanitises articles on `size` worker threads, then renders pages, feeds and digests there:
 * on a full build that is where the time goes (Markdown, sanitising, summaries; then thousands of archive
 * feeds, each strictly checked), and it spreads over the cores while this thread reads and writes files.
 * `workerUrl` points at `parse-worker.ts` (or its bundled `.mjs`).
 *
 * With `helpHere`, this thread also takes a job (`helpsWith`) whenever every worker has `HELP_FROM`
 * queued: `broadsheet build` runs one worker fewer than there are cores and lets the build thread fill
 * its idle time. Each worker is a heap and native memory of its own (~60 MB of RSS at 10,000 articles);
 * on two cores this way peaks ~20 MB lower in the same time (`docs/architecture.md`).
 */
export function createWorkerParser(
  workerUrl: URL = new URL('./parse-worker.ts', import.meta.url),
  size = availableParallelism(),
  helpHere = false,
): WorkerParser {
  type Message = ParseJob | RenderJobMessage;
  const pending = new Map<
    number,
    { message: Message; worker: number; resolve: (answer: Answer) => void; reject: (e: Error) => void }
  >();
  const busy: number[] = [];
  const dead = new Set<number>();
  let closing = false;
  type Job = { message: Message; resolve: (answer: Answer) => void; reject: (e: Error) => void };
  let hereBusy = false;
  // The parses this thread is about to take together, while more may join them.
  let helping: { context: ParseJob['context']; jobs: Job[] } | undefined;
  let here = 0;
  const runHere = (message: Message) => {
    here++;
    return inProcess(message);
  };
  const helpWith = async (jobs: readonly Job[]) => {
    const first = jobs[0] as Job;
    if ('render' in first.message) return runHere(first.message).then(first.resolve, first.reject);
    here += jobs.length;
    const parses = jobs.map((job) => job.message as ParseJob);
    // The bodies come back as UTF-8, as a worker's do.
    const results = parseEachAhead(
      parses.map((job) => job.item),
      first.message.context,
    );
    for (const [i, job] of jobs.entries()) {
      const parsed = results[i] as ParsedSource | Error;
      if (parsed instanceof Error) job.reject(parsed);
      else job.resolve({ id: job.message.id, parsed });
    }
  };
  // A worker that dies (out of memory on a huge article, say) takes no more jobs, and this thread does
  // the ones it had: the build goes on, slower, instead of waiting for answers that never come.
  const bury = (index: number) => {
    if (closing || dead.has(index)) return;
    dead.add(index);
    console.error(`parse worker ${index + 1} of ${workers.length} stopped: this thread does its jobs`);
    for (const [id, job] of pending) {
      if (job.worker !== index) continue;
      pending.delete(id);
      runHere(job.message).then(job.resolve, job.reject);
    }
  };
  const workers = Array.from({ length: Math.max(1, size) }, (_, index) => {
    // From source (tsx, the CLI), through a small loader; a bundled `.mjs` (bench, tests) runs as it is.
    const worker = workerUrl.pathname.endsWith('.ts')
      ? new Worker(new URL('./ts-worker.mjs', import.meta.url), {
          workerData: { entry: workerUrl.href },
          resourceLimits: WORKER_LIMITS,
        })
      : new Worker(workerUrl, { resourceLimits: WORKER_LIMITS });
    busy[index] = 0;
    worker.on('message', (answer: Answer) => {
      const job = pending.get(answer.id);
      pending.delete(answer.id);
      busy[index] = (busy[index] ?? 1) - 1;
      if (answer.error === undefined) job?.resolve(answer);
      else job?.reject(new Error(answer.error || 'the worker failed'));
    });
    worker.on('error', () => bury(index));
    worker.on('exit', () => bury(index));
    return worker;
  });
  let next = 0;
  const documents = new Map<string, { answer: Promise<Answer>; taken: Set<string> }>();
  // The least busy worker takes the job: renders vary in size far more than parses do.
  const send = (make: (id: number) => Message) =>
    new Promise<Answer>((resolve, reject) => {
      const id = next++;
      const message = make(id);
      if (closing) {
        // Stopped (the build rendered everything): anything asked later is done here.
        runHere(message).then(resolve, reject);
        return;
      }
      let index = -1;
      for (let i = 0; i < workers.length; i++) {
        if (!dead.has(i) && (index < 0 || (busy[i] ?? 0) < (busy[index] ?? 0))) index = i;
      }
      if (index < 0) {
        runHere(message).then(resolve, reject);
        return;
      }
      if (helpHere && (busy[index] ?? 0) >= HELP_FROM && helpsWith(message)) {
        const job = { message, resolve, reject };
        // Only parses wait for company, and only with the same settings: one guard, one limit.
        if (helping && !('render' in message) && helping.context === message.context) {
          helping.jobs.push(job);
          if (helping.jobs.length >= HELP_PARSES) helping = undefined;
          return;
        }
        if (!hereBusy) {
          // After the I/O callbacks already waiting: this thread's own work comes first.
          hereBusy = true;
          const jobs = [job];
          if (!('render' in message)) helping = { context: message.context, jobs };
          setImmediate(() => {
            if (helping?.jobs === jobs) helping = undefined;
            helpWith(jobs)
              .catch((error: Error) => {
                for (const { reject } of jobs) reject(error);
              })
              .finally(() => {
                hereBusy = false;
              });
          });
          return;
        }
      }
      busy[index] = (busy[index] ?? 0) + 1;
      pending.set(id, { message, worker: index, resolve, reject });
      (workers[index] as Worker).postMessage(message);
    });
  return {
    parse: async (item, context) => {
      const answer = await send((id) => ({ id, item, context }));
      if (!answer.parsed) throw new Error('the parse worker answered without a result');
      return answer.html ? withHtmlBytes(answer.parsed, answer.html) : answer.parsed;
    },
    render: async (key, job) => {
      // The files of a document are asked for one by one: the first sends the document once, all its
      // files are rendered together, and each is handed over (and let go) as it is asked for.
      const dir = key.slice(0, key.length - job.file.length);
      let pending = documents.get(dir);
      if (!pending) {
        const document = transferable(job.document);
        pending = { answer: send((id) => ({ id, render: { dir, document } })), taken: new Set() };
        documents.set(dir, pending);
      }
      pending.taken.add(job.file);
      if (pending.taken.size === documentFiles(job.document).length) documents.delete(dir);
      const rendered = (await pending.answer).files?.[job.file];
      if (!rendered) throw new Error('the render worker answered without a result');
      return rendered;
    },
    alive: () => workers.length - dead.size,
    doneHere: () => here,
    close: async () => {
      closing = true;
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
