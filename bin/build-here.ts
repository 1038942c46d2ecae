import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { consoleLogger } from '../functions/adapters/console-logger.ts';
import { LocalContentSource, LocalSiteStore } from '../functions/adapters/local-folder.ts';
import { createWorkerParser } from '../functions/adapters/worker-parser.ts';
import { isArticleKey } from '../functions/core/article-key.ts';
import type { ContentSource, SiteStore } from '../functions/core/ports.ts';
import { type BuildReport, publishSite } from '../functions/core/publish-site.ts';
import type { LocalBuildOptions } from './cli-build.ts';
import { createProgress, type Progress, type ProgressOptions } from './cli-progress.ts';
import { codeVersion } from './code-version.ts';

/** `buildLocal` on this thread: the pipeline over folders, with parse workers when `large`. */
export async function buildHere(options: LocalBuildOptions, large: boolean): Promise<BuildReport> {
  let source: ContentSource = new LocalContentSource(resolve(options.contentDir));
  let store: SiteStore = new LocalSiteStore(resolve(options.outDir));
  const finishers: (() => void)[] = [];
  if (options.progress) {
    const progressOptions = options.progress === true ? {} : options.progress;
    ({ source, store } = withProgress(source, store, progressOptions, finishers));
  }
  // One worker fewer than the cores, and this thread helps: a worker less is ~60 MB less at the peak,
  // in the same time (docs/architecture.md).
  const workers = large
    ? createWorkerParser(options.parseWorkerUrl, Math.max(1, availableParallelism() - 1), true)
    : undefined;
  try {
    return await publishSite({
      source,
      store,
      logger: consoleLogger({ verbose: options.verbose }),
      now: options.now ?? new Date(),
      siteUrl: options.siteUrl,
      parser: workers?.parse,
      renderer: workers?.render,
      rendered: workers && (() => workers.close()),
      stateCache: options.stateCache,
      rendererVersion: codeVersion(),
      concurrency: workers ? 64 : undefined,
    });
  } finally {
    for (const finish of finishers) finish();
    await workers?.close();
  }
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
