import { readdir, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { consoleLogger } from '../functions/adapters/console-logger.ts';
import { LocalContentSource, LocalSiteStore } from '../functions/adapters/local-folder.ts';
import { createWorkerParser } from '../functions/adapters/worker-parser.ts';
import { isArticleKey } from '../functions/core/parse-article.ts';
import type { ContentSource, SiteStore } from '../functions/core/ports.ts';
import type { BuildReport, StateCache } from '../functions/core/publish-site.ts';
import { publishSite } from '../functions/core/publish-site.ts';
import { createProgress, type Progress, type ProgressOptions } from './cli-progress.ts';
import { parseCommandArgs, plural, UsageError } from './cli-shared.ts';

export interface LocalBuildOptions {
  readonly contentDir: string;
  readonly outDir: string;
  readonly siteUrl?: string;
  readonly now?: Date;
  readonly verbose?: boolean;
  /** Show reading/writing progress on stderr (see cli-progress.ts). @default false */
  readonly progress?: boolean | ProgressOptions;
  /** Kept across the builds of one process (`preview`): each rebuild reuses the last one's work. */
  readonly stateCache?: StateCache;
}

/** The same pipeline as the Lambda, over folders. */
export async function buildLocal(options: LocalBuildOptions): Promise<BuildReport> {
  await requireFolder(options.contentDir, '--content');
  let source: ContentSource = new LocalContentSource(resolve(options.contentDir));
  let store: SiteStore = new LocalSiteStore(resolve(options.outDir));
  const finishers: (() => void)[] = [];
  if (options.progress) {
    const progressOptions = options.progress === true ? {} : options.progress;
    ({ source, store } = withProgress(source, store, progressOptions, finishers));
  }
  // Parsing is most of a large build: on other cores when there is enough of it to pay for the workers.
  const workers =
    (await countArticles(options.contentDir)) >= WORKERS_FROM ? createWorkerParser() : undefined;
  try {
    return await publishSite({
      source,
      store,
      logger: consoleLogger({ verbose: options.verbose }),
      now: options.now ?? new Date(),
      siteUrl: options.siteUrl,
      parser: workers?.parse,
      renderer: workers?.render,
      stateCache: options.stateCache,
      concurrency: workers ? 64 : undefined,
    });
  } finally {
    for (const finish of finishers) finish();
    await workers?.close();
  }
}

/** Below this many articles, starting worker threads costs more than it saves. */
const WORKERS_FROM = 300;

async function countArticles(dir: string): Promise<number> {
  const entries = await readdir(resolve(dir), { recursive: true });
  return entries.filter((name) => isArticleKey(name.split('\\').join('/'))).length;
}

/**
 * publishSite has no progress callback, so the CLI counts what it can see from outside: reads against the
 * listed articles (a known total), then writes (an unknown total). Proxies, so that methods the engine
 * adds to the ports pass through untouched; every method whose name starts with `read`/`fetch` (source)
 * or `write` (store) counts.
 */
function withProgress(
  inner: ContentSource,
  innerStore: SiteStore,
  options: ProgressOptions,
  finishers: (() => void)[],
): { source: ContentSource; store: SiteStore } {
  let reading: Progress | undefined;
  let writing: Progress | undefined;
  let read = 0;
  let written = 0;
  const source = intercept(inner, (method, key, result) => {
    if (method === 'list') {
      const entries = result as { key: string }[];
      reading = createProgress(
        'reading articles',
        entries.filter((e) => isArticleKey(e.key)).length,
        options,
      );
      finishers.push(() => reading?.finish());
    } else if ((method.startsWith('read') || method === 'fetch') && isArticleKey(key)) {
      reading?.update(++read);
    }
  });
  const store = intercept(innerStore, (method, key) => {
    if (!method.startsWith('write') || key.startsWith('_')) return;
    if (writing === undefined) {
      reading?.finish();
      writing = createProgress('writing files', undefined, options);
      finishers.push(() => writing?.finish());
    }
    writing.update(++written);
  });
  return { source, store };
}

/** Calls `after(method, firstArgument, result)` once each async method of `target` has resolved. */
function intercept<T extends object>(
  target: T,
  after: (method: string, key: string, result: unknown) => void,
): T {
  return new Proxy(target, {
    get(object, property) {
      const value: unknown = Reflect.get(object, property, object);
      if (typeof value !== 'function' || typeof property !== 'string') return value;
      return async (...args: unknown[]) => {
        const result: unknown = await value.apply(object, args);
        after(property, typeof args[0] === 'string' ? args[0] : '', result);
        return result;
      };
    },
  });
}

/** A clear message instead of ENOENT from deep inside the build. */
export async function requireFolder(path: string, option: string): Promise<void> {
  const info = await stat(path).catch(() => undefined);
  if (info?.isDirectory()) return;
  throw new UsageError(
    info
      ? `${path} is a file, not a folder: pass the folder that holds the articles with ${option} DIR`
      : `folder not found: ${resolve(path)} (run in the project folder, or pass ${option} DIR)`,
  );
}

/** What the terminal says after a build: counts, then every skipped article with its reason and fix. */
export function describeReport(report: BuildReport, outDir: string): string {
  const c = report.counts;
  const lines = [
    `built ${plural(c.published, 'article')} into ${outDir}: ${c.written} file(s) written, ${c.unchanged} unchanged, ${c.deleted} deleted`,
  ];
  for (const held of report.heldBack) {
    lines.push(
      held.reason === 'draft'
        ? `  draft, not published: ${held.file}`
        : `  scheduled for ${held.publishAt}: ${held.file}`,
    );
  }
  for (const problem of report.skipped) lines.push(`  skipped ${problem.text}`);
  for (const problem of report.warnings) lines.push(`  warning ${problem.text}`);
  for (const error of report.errors) lines.push(`  error ${error}`);
  return lines.join('\n');
}

export const BUILD_USAGE =
  'build    [--content DIR] [--out DIR] [--site-url URL] [--now ISO]   build the site into a folder';

/** `broadsheet build`: exit 0 when the site was built, even with skipped articles (they are listed). */
export async function runBuild(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, {
    content: { type: 'string', default: 'content' },
    out: { type: 'string', default: 'dist' },
    'site-url': { type: 'string' },
    now: { type: 'string' },
    verbose: { type: 'boolean', default: false },
  });
  if (positionals.length > 0)
    throw new UsageError(`build takes no file names (got ${positionals.join(' ')})`);
  const now = values.now ? new Date(values.now) : new Date();
  if (Number.isNaN(now.getTime()))
    throw new UsageError(`--now "${values.now}" is not an ISO 8601 date (write e.g. 2025-01-08T09:00:00Z)`);
  const siteUrl = values['site-url'];
  if (siteUrl !== undefined && !URL.canParse(siteUrl))
    throw new UsageError(`--site-url "${siteUrl}" is not a URL (write e.g. https://news.example.com/)`);
  const report = await buildLocal({
    contentDir: values.content,
    outDir: values.out,
    siteUrl,
    now,
    verbose: values.verbose,
    progress: true,
  });
  console.log(describeReport(report, values.out));
  return 0;
}
