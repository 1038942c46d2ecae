import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { injectPreview, RELOAD_SCRIPT, renderPreviewBanner } from '../../bin/cli-preview.ts';
import { keyForPath, requestPath } from '../../bin/cli-site-server.ts';
import type { BuildReport } from '../../functions/core/publish-site.ts';
import { renderNotFoundPage } from '../../functions/core/render-not-found-page.ts';
import { sampleModel } from '../fixtures/site.ts';
import { serveSite } from '../helpers/site-server.ts';

const report = (over: Partial<BuildReport> = {}): BuildReport => ({
  ranAt: '2025-06-01T12:00:00.000Z',
  siteUrl: 'http://localhost:8787/',
  counts: { sources: 2, published: 1, skipped: 1, heldBack: 0, written: 1, unchanged: 0, deleted: 0 },
  written: [],
  deleted: [],
  skipped: [],
  warnings: [],
  heldBack: [],
  errors: [],
  ...over,
});

describe('preview', () => {
  it('shows skipped articles with their reason and fix, escaped', () => {
    const banner = renderPreviewBanner(
      report({
        skipped: [
          {
            file: 'a.md',
            line: 3,
            message: 'bad <date>',
            fix: 'fix it',
            text: 'a.md:3: bad <date> (fix it)',
          },
        ],
        heldBack: [{ file: 'd.md', reason: 'draft' }],
      }),
    );
    expect(banner).toContain('1 article skipped');
    expect(banner).toContain('a.md:3: bad &lt;date&gt; (fix it)');
    expect(banner).toContain('Draft, not published: d.md');
    expect(banner).toContain('shown only in preview');
  });

  it('says nothing when there is nothing to say, and shows a failed build', () => {
    expect(renderPreviewBanner(report())).toBe('');
    expect(renderPreviewBanner(undefined, 'site.yaml:3: bad')).toContain('The last build failed');
  });

  it('injects the banner after <body> and the reload script before </body>', () => {
    const html = '<html><body class="x"><main>hi</main></body></html>';
    const out = injectPreview(html, '<aside>B</aside>');
    expect(out).toBe(
      `<html><body class="x">\n<aside>B</aside><main>hi</main>${RELOAD_SCRIPT}\n</body></html>`,
    );
    expect(injectPreview(html, '')).not.toContain('<aside>');
  });

  it('maps paths to keys like CloudFront and keeps internal keys private', () => {
    expect(keyForPath('/')).toBe('index.html');
    expect(keyForPath('/posts/a/')).toBe('posts/a/index.html');
    expect(keyForPath('/rss.xml')).toBe('rss.xml');
    expect(keyForPath('/_report.json')).toBeUndefined();
    expect(keyForPath('/_state/manifest.json')).toBeUndefined();
    expect(keyForPath('/../etc/passwd')).toBe('etc/passwd');
  });

  it("answers an address with no page with the site's 404 page, as CloudFront does", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'site-404-'));
    writeFileSync(join(dir, 'index.html'), '<p>home</p>');
    const site = await serveSite(dir);
    try {
      const bare = await fetch(`${site.base}posts/gone/`);
      expect([bare.status, await bare.text()]).toEqual([404, 'not found: /posts/gone/']);
      const page = renderNotFoundPage(sampleModel());
      writeFileSync(join(dir, '404.html'), page);
      const answer = await fetch(`${site.base}posts/gone/`);
      expect(answer.status).toBe(404);
      expect(answer.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(await answer.text()).toBe(page);
      // A path no URL parser takes as one answers 400; it once threw and stopped the preview server.
      expect(requestPath('//')).toBeUndefined();
      expect((await fetch(`${site.base}/`)).status).toBe(400);
      expect((await fetch(`${site.base}%E0%A4%A/`)).status).toBe(400);
    } finally {
      await site.close();
    }
  });
});
