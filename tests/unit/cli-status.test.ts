import { describe, expect, it } from 'vitest';
import { formatReport, statusLines } from '../../bin/cli-status.ts';
import { silentLogger } from '../../functions/core/ports.ts';
import { type BuildReport, publishSite } from '../../functions/core/publish-site.ts';
import { decodeRunFailure, failureSince } from '../../functions/core/run-failure.ts';
import { markdownArticle, NOW, SITE_URL } from '../fixtures/articles.ts';
import { MemorySource, MemoryStore } from '../fixtures/memory.ts';

describe('broadsheet status: the last report as an author reads it', () => {
  it('says when, what is online, what was skipped with its fix, and what is held back', async () => {
    const report = await publishSite({
      source: new MemorySource({
        'site.yaml': 'title: Dispatch\nicon: icon.png\n',
        '2025-01-08-first.md': markdownArticle({ title: 'First', date: '2025-01-08' }),
        '2025-01-09-bad.md': markdownArticle({ title: 'Bad', date: '9 Jan' }),
        '2025-01-10-draft.md': markdownArticle({ title: 'Draft', date: '2025-01-10', draft: 'true' }),
        '2030-01-01-later.md': markdownArticle({ title: 'Later', date: '2030-01-01' }),
      }),
      store: new MemoryStore(),
      logger: silentLogger,
      now: NOW,
      siteUrl: SITE_URL,
    });
    const lines = formatReport(report);
    expect(lines[0]).toBe(
      `last run ${NOW.toISOString().slice(0, 10)} 12:00:00 UTC (a full run: the schedule, a rebuild or site.yaml), site ${SITE_URL}`,
    );
    expect(lines[1]).toBe('online: 1 article; 1 skipped, 2 held back');
    expect(lines[2]).toMatch(/^that run: read 4, rendered \d+, wrote \d+, deleted 0$/);
    const skipped = lines.indexOf('skipped (fix the line named, then upload the file again):');
    expect(lines[skipped + 1]).toMatch(/^ {2}2025-01-09-bad\.md:3: date "9 Jan" is not an ISO 8601 date/);
    const warnings = lines.indexOf('warnings (published all the same):');
    expect(lines[warnings + 1]).toContain('site.yaml: the icon icon.png is not in the content');
    const held = lines.indexOf('held back:');
    expect(lines.slice(held + 1, held + 3)).toEqual([
      '  2025-01-10-draft.md: draft',
      expect.stringMatching(/^ {2}2030-01-01-later\.md: scheduled for 2030-01-01/),
    ]);
    expect(lines.some((l) => l.startsWith('errors'))).toBe(false);
  });

  it('names a failed run, a run stopped for time, the CDN and the hub', () => {
    const base: BuildReport = {
      ranAt: '2025-06-01T12:00:00.123Z',
      siteUrl: SITE_URL,
      mode: 'events',
      counts: {
        sources: 3,
        published: 3,
        skipped: 0,
        heldBack: 0,
        written: 2,
        unchanged: 0,
        deleted: 0,
        deferred: 40,
      },
      written: [],
      deleted: [],
      skipped: [],
      warnings: [],
      heldBack: [],
      errors: ['rss.xml: not well-formed'],
      cdn: { paths: ['/a/', '/a/index.html'], error: 'TooManyInvalidationsInProgress' },
      hub: { url: 'https://hub.example.com/', feeds: ['x', 'y'] },
    };
    expect(formatReport(base)).toEqual([
      `last run 2025-06-01 12:00:00 UTC (an upload), site ${SITE_URL}`,
      'online: 3 articles; 0 skipped, 0 held back',
      'that run: read 0, rendered 0, wrote 2, deleted 0',
      'stopped for time: 40 outputs left; the next run carries on within minutes',
      'CloudFront: not invalidated (TooManyInvalidationsInProgress); the replaced pages refresh within the hour',
      'WebSub: notified https://hub.example.com/ of 2 feeds',
      'errors (the run failed; the last good copies stay online):',
      '  rss.xml: not well-formed',
    ]);
  });

  it('believes a failure record only when it is newer than the report', () => {
    const failure = decodeRunFailure(
      '{"failedAt":"2025-06-01T12:05:00.000Z","run":"the hourly run","error":"site.yaml:2: not valid YAML"}',
    );
    expect(failureSince(failure, '2025-06-01T12:00:00.000Z')).toEqual(failure);
    expect(failureSince(failure, '2025-06-01T12:10:00.000Z')).toBeUndefined();
    expect(failureSince(failure, undefined)).toEqual(failure);
    expect(decodeRunFailure('not json')).toBeUndefined();
    expect(decodeRunFailure('{"failedAt":1}')).toBeUndefined();
    expect(statusLines(undefined, failure)).toEqual([
      'last run FAILED 2025-06-01 12:05:00 UTC (the hourly run): site.yaml:2: not valid YAML',
      expect.stringContaining('the site online is the one the last good run published'),
    ]);
  });
});
