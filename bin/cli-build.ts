import { resolve } from 'node:path';
import { consoleLogger } from '../functions/adapters/console-logger.ts';
import { LocalContentSource, LocalSiteStore } from '../functions/adapters/local-folder.ts';
import type { BuildReport } from '../functions/core/publish-site.ts';
import { publishSite } from '../functions/core/publish-site.ts';

export interface LocalBuildOptions {
  readonly contentDir: string;
  readonly outDir: string;
  readonly siteUrl?: string;
  readonly now?: Date;
  readonly verbose?: boolean;
}

/** The same pipeline as the Lambda, over folders. */
export function buildLocal(options: LocalBuildOptions): Promise<BuildReport> {
  return publishSite({
    source: new LocalContentSource(resolve(options.contentDir)),
    store: new LocalSiteStore(resolve(options.outDir)),
    logger: consoleLogger({ verbose: options.verbose }),
    now: options.now ?? new Date(),
    siteUrl: options.siteUrl,
  });
}

/** What the terminal says after a build: counts, then every skipped article with its reason and fix. */
export function describeReport(report: BuildReport, outDir: string): string {
  const c = report.counts;
  const lines = [
    `built ${c.published} article${c.published === 1 ? '' : 's'} into ${outDir}: ${c.written} file(s) written, ${c.unchanged} unchanged, ${c.deleted} deleted`,
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
