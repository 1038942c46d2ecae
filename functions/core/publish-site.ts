import { createHash } from 'node:crypto';
import { checkOutput } from './check-output.ts';
import { cacheControlFor, contentTypeFor } from './content-types.ts';
import { mapLimit } from './map-limit.ts';
import { isArticleKey, MAX_ARTICLE_BYTES, type ParsedArticle, parseArticle } from './parse-article.ts';
import type { ContentSource, Logger, SiteStore } from './ports.ts';
import { ConfigError, formatProblem, InvalidOutputError, type Problem } from './problems.ts';
import { type OutputPlan, planSite } from './render-site.ts';
import { defaultSiteConfig, parseSiteConfig, SITE_CONFIG_FILE, type SiteConfig } from './site-config.ts';
import { buildSiteModel, type HeldBack, normaliseSiteUrl } from './site-model.ts';

export const MANIFEST_KEY = '_state/manifest.json';
export const REPORT_KEY = '_report.json';
const DEFAULT_SITE_URL = 'http://localhost:8787/';

export interface PublishOptions {
  readonly source: ContentSource;
  readonly store: SiteStore;
  readonly logger: Logger;
  /** The run's clock reading: decides which scheduled articles are due. Never written into outputs. */
  readonly now: Date;
  /** Wins over `baseUrl` in site.yaml (the stack passes the CloudFront URL). */
  readonly siteUrl?: string;
  /** Parallel reads and writes. @default 16 */
  readonly concurrency?: number;
}

/** `_report.json`: what the last run did. */
export interface BuildReport {
  readonly ranAt: string;
  readonly siteUrl: string;
  readonly counts: {
    readonly sources: number;
    readonly published: number;
    readonly skipped: number;
    readonly heldBack: number;
    readonly written: number;
    readonly unchanged: number;
    readonly deleted: number;
  };
  readonly written: readonly string[];
  readonly deleted: readonly string[];
  readonly skipped: readonly (Problem & { readonly text: string })[];
  readonly warnings: readonly (Problem & { readonly text: string })[];
  readonly heldBack: readonly HeldBack[];
  readonly errors: readonly string[];
}

interface Manifest {
  readonly version: 1;
  /** Public key → SHA-256 of the bytes last written there. */
  readonly outputs: Record<string, string>;
}

const encoder = new TextEncoder();
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/**
 * The whole pipeline: read sources → parse → model → render → check → write what changed → delete what
 * is gone → report. Idempotent: over unchanged content it writes nothing but `_report.json`.
 */
export async function publishSite(options: PublishOptions): Promise<BuildReport> {
  const { source, store, logger, now } = options;
  const concurrency = options.concurrency ?? 16;

  const entries = await source.list();
  const configEntry = entries.find((e) => e.key === SITE_CONFIG_FILE);
  const config: SiteConfig = configEntry
    ? parseSiteConfig(new TextDecoder().decode(await source.read(configEntry.key)))
    : defaultSiteConfig;
  const siteUrl = normaliseSiteUrl(options.siteUrl ?? config.baseUrl ?? DEFAULT_SITE_URL);

  const skipped: Problem[] = [];
  const warnings: Problem[] = [];
  const articleEntries = entries.filter((e) => isArticleKey(e.key)).sort((a, b) => (a.key < b.key ? -1 : 1));
  const parsed = await mapLimit(
    articleEntries,
    concurrency,
    async (entry): Promise<ParsedArticle | undefined> => {
      if (entry.size > MAX_ARTICLE_BYTES) {
        // Never read an oversized object into memory.
        skipped.push({
          file: entry.key,
          message: `the file is ${(entry.size / 1024 / 1024).toFixed(1)} MB, over the 2 MB limit`,
          fix: 'split the article or move large media out of the text',
        });
        return undefined;
      }
      const result = parseArticle(entry.key, await source.read(entry.key), { timeZone: config.timeZone });
      if (!result.ok) {
        skipped.push(result.problem);
        return undefined;
      }
      warnings.push(...result.warnings);
      return result.article;
    },
  );

  const {
    model,
    heldBack,
    warnings: modelWarnings,
  } = buildSiteModel(
    parsed.filter((a): a is ParsedArticle => a !== undefined),
    config,
    siteUrl,
    now,
  );
  warnings.push(...modelWarnings);
  for (const problem of skipped) logger.warn('article skipped', { problem: formatProblem(problem) });
  for (const problem of warnings) logger.warn('article warning', { problem: formatProblem(problem) });

  const plans = planSite(model);
  const previous = await readManifest(store);
  const outputs: Record<string, string> = {};
  const written: string[] = [];
  const invalid: { key: string; error: string }[] = [];
  let unchanged = 0;

  const writePhase = async (phase: readonly OutputPlan[]) => {
    await mapLimit(phase, concurrency, async (plan) => {
      const { key } = plan;
      let body: string;
      try {
        body = plan.render();
        checkOutput(key, body);
      } catch (error) {
        // Keep the last good copy online and say so; the run fails below.
        invalid.push({ key, error: (error as Error).message });
        const kept = previous.outputs[key];
        if (kept) outputs[key] = kept;
        return;
      }
      const bytes = encoder.encode(body);
      const hash = sha256(bytes);
      outputs[key] = hash;
      if (previous.outputs[key] === hash) {
        unchanged++;
        return;
      }
      await store.write(key, bytes, { contentType: contentTypeFor(key), cacheControl: cacheControlFor(key) });
      written.push(key);
    });
  };
  await writePhase(plans.filter((p) => p.phase === 'page'));
  await writePhase(plans.filter((p) => p.phase === 'index'));

  const deleted = Object.keys(previous.outputs)
    .filter((key) => !(key in outputs))
    .sort();
  await mapLimit(deleted, concurrency, (key) => store.delete(key));
  const manifest = { version: 1, outputs: sortKeys(outputs) } satisfies Manifest;
  if (JSON.stringify(manifest) !== JSON.stringify({ version: 1, outputs: sortKeys(previous.outputs) })) {
    await writeJson(store, MANIFEST_KEY, manifest);
  }

  const errors = invalid.map(({ key, error }) => `${key}: ${error}`);
  const report: BuildReport = {
    ranAt: now.toISOString(),
    siteUrl,
    counts: {
      sources: articleEntries.length,
      published: model.articles.length,
      skipped: skipped.length,
      heldBack: heldBack.length,
      written: written.length,
      unchanged,
      deleted: deleted.length,
    },
    written: written.sort(),
    deleted,
    skipped: skipped.map((p) => ({ ...p, text: formatProblem(p) })).sort(byFile),
    warnings: warnings.map((p) => ({ ...p, text: formatProblem(p) })).sort(byFile),
    heldBack: heldBack.sort((a, b) => (a.file < b.file ? -1 : 1)),
    errors,
  };
  await writeJson(store, REPORT_KEY, report);
  logger.info('site published', { ...report.counts, siteUrl });
  if (invalid.length > 0) {
    throw new InvalidOutputError(
      invalid.map((i) => i.key),
      errors.join('; '),
    );
  }
  return report;
}

async function readManifest(store: SiteStore): Promise<Manifest> {
  const bytes = await store.read(MANIFEST_KEY);
  if (!bytes) return { version: 1, outputs: {} };
  try {
    const parsed = JSON.parse(new TextDecoder().decode(bytes)) as Manifest;
    return parsed.version === 1 && parsed.outputs ? parsed : { version: 1, outputs: {} };
  } catch {
    // A damaged manifest only costs a full rewrite.
    return { version: 1, outputs: {} };
  }
}

async function writeJson(store: SiteStore, key: string, value: unknown): Promise<void> {
  await store.write(key, encoder.encode(`${JSON.stringify(value, null, 2)}\n`), {
    contentType: contentTypeFor(key),
    cacheControl: cacheControlFor(key),
  });
}

function sortKeys(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : 1)));
}

const byFile = (a: Problem, b: Problem) =>
  a.file < b.file ? -1 : a.file > b.file ? 1 : (a.line ?? 0) - (b.line ?? 0);

export { ConfigError };
