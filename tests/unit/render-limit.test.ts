/**
 * An article whose Markdown keeps marked busy for minutes (100 KB of `_a_a…`: its emphasis scan is
 * quadratic) is stopped at the render limit and skipped with file, line and fix; the run goes on. Without
 * the limit each of these tests would run for minutes (see the figures in the first one).
 */
import { describe, expect, it } from 'vitest';
import { createWorkerParser } from '../../functions/adapters/worker-parser.ts';
import { parseArticle, RENDER_LIMIT_MS } from '../../functions/core/parse-article.ts';
import { silentLogger } from '../../functions/core/ports.ts';
import { publishSite } from '../../functions/core/publish-site.ts';
import {
  type ArticleParser,
  parseAheadInProcess,
  parseAndSanitise,
  parseEachAndSanitise,
} from '../../functions/core/source-parser.ts';
import { runWithin, TimeLimitExceeded } from '../../functions/core/time-limit.ts';
import { MemorySource, MemoryStore } from '../fixtures/memory.ts';

const encode = (text: string) => new TextEncoder().encode(text);
const context = { timeZone: 'UTC', siteUrl: 'https://news.example.com/' };
const SLOW_KEY = '2025-01-02-slow.md';
/** Line 5 holds the run; 16 KB of it already takes marked ~0.4 s, and the time grows with its square. */
const slowArticle = (pairs = 100_000) => `---\ntitle: Slow\n---\n\n${'_a'.repeat(pairs)}\n\nThe end.\n`;
const LIMIT = 300;
const GOOD = { '2025-01-01-good.md': '---\ntitle: Good\n---\n\nFine *text*.\n' };

const expectStopped = (problem: { file: string; line?: number; message: string; fix: string }) => {
  expect(problem).toMatchObject({
    file: SLOW_KEY,
    line: 5,
    message: `the article took over ${LIMIT / 1000} s to render, so it was stopped`,
  });
  expect(problem.fix).toMatch(/_ or \*/);
};

describe('runWithin', () => {
  it('returns what the work returns, and passes its errors on as they are', () => {
    expect(runWithin(1000, () => 42)).toBe(42);
    const error = new RangeError('mine');
    expect(() =>
      runWithin(1000, () => {
        throw error;
      }),
    ).toThrow(error);
    // Nested: the inner call's work does not replace the outer's.
    expect(runWithin(1000, () => runWithin(1000, () => 1) + 1)).toBe(2);
  });

  it('stops synchronous work at the limit, and the thread goes on', () => {
    const started = performance.now();
    expect(() =>
      runWithin(100, () => {
        for (;;) {}
      }),
    ).toThrow(TimeLimitExceeded);
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(runWithin(100, () => 'after')).toBe('after');
  });
});

describe('an article too slow to render', () => {
  it('is skipped, naming the line with the run, instead of holding the parser for minutes', () => {
    // Measured unguarded on the development machine: 8,000 pairs 0.4 s, 30,000 over 5 s; 100,000 ~minutes.
    const started = performance.now();
    const parsed = parseArticle(SLOW_KEY, encode(slowArticle()), { ...context, renderLimitMs: LIMIT });
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expectStopped(parsed.problem);
    const sanitised = parseAndSanitise(
      { key: SLOW_KEY, bytes: encode(slowArticle()) },
      { ...context, renderLimitMs: LIMIT },
    );
    expect(sanitised.body).toBeUndefined();
    if (!sanitised.result.ok) expectStopped(sanitised.result.problem);
    else expect.unreachable('parsed');
  });

  it('a short run of the same shape still publishes: only the limit stops it', () => {
    const parsed = parseArticle(SLOW_KEY, encode(slowArticle(200)), context);
    expect(parsed.ok && parsed.article.bodyHtml).toContain('_a_a');
  });

  it('is skipped by a worker, which goes on to parse the next article', async () => {
    const workers = createWorkerParser(undefined, 1);
    try {
      const slow = await workers.parse(
        { key: SLOW_KEY, bytes: encode(slowArticle()) },
        { ...context, renderLimitMs: LIMIT },
      );
      if (!slow.result.ok) expectStopped(slow.result.problem);
      else expect.unreachable('parsed');
      const [key, text] = Object.entries(GOOD)[0] as [string, string];
      const good = await workers.parse({ key, bytes: encode(text) }, context);
      expect(good.result.ok).toBe(true);
      expect(workers.alive()).toBe(1);
    } finally {
      await workers.close();
    }
  });

  it('stops only itself when parsed with others under one guard, before and after it', () => {
    const good = (n: number) => ({
      key: `2025-01-0${n}-good.md`,
      bytes: encode(`---\ntitle: Good ${n}\n---\n\nFine *${n}*.\n`),
    });
    const items = [good(1), { key: SLOW_KEY, bytes: encode(slowArticle()) }, good(3)];
    const limited = { ...context, renderLimitMs: LIMIT };
    const started = performance.now();
    const [first, slow, last] = parseEachAndSanitise(items, limited);
    // The slow one ran to the shared guard's limit, then under its own: twice the limit, not minutes.
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(first).toEqual(parseAndSanitise(good(1), limited));
    expect(last).toEqual(parseAndSanitise(good(3), limited));
    if (slow instanceof Error || slow?.result.ok !== false) expect.unreachable('parsed');
    else expectStopped(slow.result.problem);
  });

  it('publishes articles that together take longer than the limit, each well within it', () => {
    // Each takes ~20–60 ms here (marked is quadratic in the run), 20 of them together several limits.
    const items = Array.from({ length: 20 }, (_, i) => ({
      key: `2025-01-02-slowish-${i}.md`,
      bytes: encode(`---\ntitle: Slowish ${i}\n---\n\n${'_a'.repeat(2_500)}\n`),
    }));
    const results = parseEachAndSanitise(items, { ...context, renderLimitMs: LIMIT });
    expect(results.map((r) => !(r instanceof Error) && r.result.ok)).toEqual(items.map(() => true));
  });

  it('is skipped by a worker that has other articles queued, which all publish', async () => {
    const workers = createWorkerParser(undefined, 1);
    try {
      const limited = { ...context, renderLimitMs: LIMIT };
      const keys = ['2025-01-01-a.md', SLOW_KEY, '2025-01-03-b.md', '2025-01-04-c.md'];
      const texts = keys.map((key) =>
        key === SLOW_KEY ? slowArticle() : `---\ntitle: ${key}\n---\n\nText.\n`,
      );
      // Sent together, so the worker has them queued at once and parses them under one guard.
      const parsed = await Promise.all(
        keys.map((key, i) => workers.parse({ key, bytes: encode(texts[i] as string) }, limited)),
      );
      expect(parsed.map((p) => p.result.ok)).toEqual([true, false, true, true]);
      const stopped = parsed[1]?.result;
      if (stopped && !stopped.ok) expectStopped(stopped.problem);
      expect(workers.doneHere()).toBe(0);
      expect(workers.alive()).toBe(1);
    } finally {
      await workers.close();
    }
  });

  it('is skipped among parses this thread takes together while its worker is busy', async () => {
    const workers = createWorkerParser(new URL('../fixtures/silent-worker.mjs', import.meta.url), 1, true);
    try {
      const limited = { ...context, renderLimitMs: LIMIT };
      const keys = ['2025-01-01-a.md', SLOW_KEY, '2025-01-03-b.md'];
      const texts = keys.map((key) =>
        key === SLOW_KEY ? slowArticle() : `---\ntitle: ${key}\n---\n\nText.\n`,
      );
      // The silent worker keeps the first; the three after it are parsed here under one guard.
      void workers.parse({ key: '2025-01-00-held.md', bytes: encode('Held\nText.\n') }, limited);
      const parsed = await Promise.all(
        keys.map((key, i) => workers.parse({ key, bytes: encode(texts[i] as string) }, limited)),
      );
      expect(parsed.map((p) => p.result.ok)).toEqual([true, false, true]);
      const stopped = parsed[1]?.result;
      if (stopped && !stopped.ok) expectStopped(stopped.problem);
      expect(workers.doneHere()).toBe(3);
    } finally {
      await workers.close();
    }
  });

  it('costs one run the limit, is recorded as skipped, and is not parsed again until it changes', async () => {
    const calls: string[] = [];
    const parser: ArticleParser = (item, ctx) => {
      calls.push(item.key);
      return parseAheadInProcess(item, { ...ctx, renderLimitMs: LIMIT });
    };
    const files = { ...GOOD, [SLOW_KEY]: slowArticle() };
    const store = new MemoryStore();
    const run = (source: MemorySource, changedKeys?: string[]) =>
      publishSite({
        source,
        store,
        logger: silentLogger,
        now: new Date('2025-06-01T12:00:00Z'),
        siteUrl: context.siteUrl,
        parser,
        ...(changedKeys ? { changedKeys } : {}),
      });
    const first = await run(new MemorySource(files));
    expect(first.counts).toMatchObject({ published: 1, skipped: 1 });
    expectStopped(first.skipped.find((p) => p.file === SLOW_KEY) as never);
    expect(store.text('rss.xml')).toContain('Good');
    expect(store.objects.has('posts/slow/index.html')).toBe(false);

    calls.length = 0;
    const next = await run(
      new MemorySource({ ...files, '2025-01-03-more.md': '---\ntitle: More\n---\n\nMore.\n' }),
      ['2025-01-03-more.md'],
    );
    expect(calls).toEqual(['2025-01-03-more.md']);
    expect(next.counts.published).toBe(2);
    expect(next.skipped.map((p) => p.file)).toEqual([SLOW_KEY]);
  });

  it(`is stopped at RENDER_LIMIT_MS (${RENDER_LIMIT_MS / 1000} s) by the publisher's own parser`, async () => {
    const store = new MemoryStore();
    const report = await publishSite({
      source: new MemorySource({ ...GOOD, [SLOW_KEY]: slowArticle() }),
      store,
      logger: silentLogger,
      now: new Date('2025-06-01T12:00:00Z'),
      siteUrl: context.siteUrl,
    });
    expect(report.counts).toMatchObject({ published: 1, skipped: 1 });
    expect(report.skipped[0]?.message).toBe(
      `the article took over ${RENDER_LIMIT_MS / 1000} s to render, so it was stopped`,
    );
  }, 30_000);
});
