import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../functions/core/ports.ts';
import { type BuildReport, publishSite } from '../../functions/core/publish-site.ts';
import {
  type ArticleParser,
  parseAheadInProcess,
  parseInProcess,
} from '../../functions/core/source-parser.ts';
import { NASTY_NOW, NASTY_SITE_URL, nastyContent } from '../fixtures/feeds/nasty-content.ts';
import { MemorySource, MemoryStore } from '../fixtures/memory.ts';

const context = { timeZone: 'UTC', siteUrl: NASTY_SITE_URL };

async function build(parser: ArticleParser | undefined, files: Record<string, string | Uint8Array>) {
  const store = new MemoryStore();
  const report: BuildReport = await publishSite({
    source: new MemorySource(files),
    store,
    logger: silentLogger,
    now: NASTY_NOW,
    siteUrl: NASTY_SITE_URL,
    parser,
  });
  const shards = [...store.objects].filter(([key]) => key.startsWith('_state/html/'));
  return { report, site: store.publicObjects(), shards: new Map(shards.map(([k, o]) => [k, o.body])) };
}

describe('the default parser (sanitised ahead on this thread, as the Lambda parses)', () => {
  it('builds the hostile corpus byte for byte as sanitising in the model does', async () => {
    // Raw HTML, `]]>`, invalid UTF-8, two articles wanting one slug (the second is read again at its
    // own URL), and the files that must be skipped.
    const files = nastyContent();
    const [ahead, inModel] = [await build(undefined, files), await build(parseInProcess, files)];
    expect(ahead.report.counts.published).toBeGreaterThan(10);
    expect(ahead.site.has('posts/same-2/index.html')).toBe(true);
    expect(ahead.site).toEqual(inModel.site);
    expect(ahead.shards).toEqual(inModel.shards);
    expect(ahead.report.errors).toEqual(inModel.report.errors);
    expect(ahead.report.skipped).toEqual(inModel.report.skipped);
  });

  it('holds one copy of a body, as UTF-8, and no unsanitised HTML', async () => {
    const text = '---\ntitle: Été\n---\n\n“Café” [link](../x/) <script>alert(1)</script>\n';
    const parsed = await parseAheadInProcess(
      { key: '2025-01-08-ete.md', bytes: new TextEncoder().encode(text) },
      context,
    );
    expect(parsed.result.ok && parsed.result.article.bodyHtml).toBe('');
    const bytes = parsed.body?.bytes;
    expect(bytes).toBeInstanceOf(Uint8Array);
    expect(new TextDecoder().decode(bytes)).toBe(parsed.body?.html);
    expect(parsed.body?.html).toContain('“Café” <a href="https://news.example.com/posts/x/">link</a>');
    expect(parsed.body?.html).not.toContain('script');
  });
});
