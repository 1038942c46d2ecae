import { realpath, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { listFiles } from '../functions/adapters/local-folder.ts';
import { isArticleKey } from '../functions/core/article-key.ts';
import type { BuildReport, StateCache } from '../functions/core/publish-site.ts';
import { buildOnThread, buildThreadHeapMb, type ThreadBuildRequest } from './build-thread.ts';
import type { ProgressOptions } from './cli-progress.ts';
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
  /**
   * A large build (with parse workers) runs on a build thread with a bounded heap (`build-thread.ts`);
   * `false` keeps it on this thread, a URL names the thread's bundled entry. @default true
   */
  readonly thread?: boolean | URL;
  /** The parse worker module. @default functions/adapters/parse-worker.ts */
  readonly parseWorkerUrl?: URL;
}

/** The same pipeline as the Lambda, over folders. */
export async function buildLocal(options: LocalBuildOptions): Promise<BuildReport> {
  await requireFolder(options.contentDir, '--content');
  await requireOutsideContent(options.contentDir, options.outDir);
  // Parsing is most of a large build: on other cores when there is enough of it to pay for the workers.
  const articles = await countArticles(options.contentDir);
  const large = articles >= WORKERS_FROM;
  // A custom progress stream (tests) cannot cross to the thread; a warm cache (`preview`) must not.
  if (large && options.thread !== false && !options.stateCache && typeof options.progress !== 'object') {
    const request: ThreadBuildRequest = {
      contentDir: options.contentDir,
      outDir: options.outDir,
      siteUrl: options.siteUrl,
      now: (options.now ?? new Date()).toISOString(),
      verbose: options.verbose,
      progress: options.progress === true,
      parseWorkerUrl: options.parseWorkerUrl?.href,
    };
    const entry = options.thread instanceof URL ? options.thread : undefined;
    const report = await buildOnThread(request, buildThreadHeapMb(articles), entry, (reason) => {
      // Any other failure happens again below, where it is reported as usual.
      if (reason.startsWith('out of heap') || options.verbose)
        console.error(`the build thread did not finish (${reason}): building on the main thread`);
    });
    if (report) return report;
  }
  // Loaded only here: the parser, renderers and their libraries stay out of a thread that only waits.
  const { buildHere } = await import('./build-here.ts');
  return buildHere(options, large);
}

/** Below this many articles, starting worker threads costs more than it saves. */
const WORKERS_FROM = 300;

async function countArticles(dir: string): Promise<number> {
  return (await listFiles(resolve(dir))).filter(isArticleKey).length;
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

/**
 * The site is not written where the articles are read: the next build would read its own pages, feeds and
 * state as content. Inside a hidden folder of it (`content/.site`) is fine: hidden folders are not read.
 */
export async function requireOutsideContent(contentDir: string, outDir: string): Promise<void> {
  const real = async (path: string) => realpath(path).catch(() => resolve(path));
  const content = await real(contentDir);
  // The output folder may not exist yet: its nearest existing parent, resolved, then the rest.
  let out = resolve(outDir);
  const rest: string[] = [];
  while (!(await stat(out).catch(() => undefined)) && dirname(out) !== out) {
    rest.unshift(basename(out));
    out = dirname(out);
  }
  out = join(await real(out), ...rest);
  const inside = relative(content, out);
  if (inside.startsWith('..') || isAbsolute(inside)) return;
  if (inside.split(sep).some((part) => part.startsWith('.'))) return;
  throw new UsageError(
    inside === ''
      ? `--out ${outDir} is the content folder itself: the next build would read the site as articles (pass --out dist, or any folder outside ${contentDir})`
      : `--out ${outDir} is inside the content folder ${contentDir}: the next build would read the site as articles (pass --out dist, or any folder outside it)`,
  );
}

/** `a`, `a and b`, `a, b and c`, leaving out empty ones. */
function listed(parts: readonly string[]): string {
  const some = parts.filter((p) => p !== '');
  return some.length <= 1 ? (some[0] ?? '') : `${some.slice(0, -1).join(', ')} and ${some.at(-1)}`;
}

/** What the terminal says after a build: counts, then every skipped article with its reason and fix. */
export function describeReport(report: BuildReport, outDir: string): string {
  const c = report.counts;
  const lines = [
    `built ${listed([plural(c.published, 'article'), c.images ? plural(c.images, 'image') : '', c.files ? plural(c.files, 'file') : ''])} into ${outDir}: ${c.written} file(s) written, ${c.unchanged} unchanged, ${c.deleted} deleted`,
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
  // As the Lambda does: the flag, else SITE_URL, else site.yaml's baseUrl.
  const fromEnv = values['site-url'] === undefined && Boolean(process.env.SITE_URL);
  const siteUrl = values['site-url'] ?? (fromEnv ? process.env.SITE_URL : undefined);
  if (siteUrl !== undefined && !URL.canParse(siteUrl))
    throw new UsageError(
      `${fromEnv ? 'SITE_URL' : '--site-url'} "${siteUrl}" is not a URL (write e.g. https://news.example.com/)`,
    );
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
