import { describe, expect, it } from 'vitest';
import { createWorkerParser } from '../../functions/adapters/worker-parser.ts';
import type { FeedSpec } from '../../functions/core/feed-spec.ts';
import { silentLogger } from '../../functions/core/ports.ts';
import { publishSite } from '../../functions/core/publish-site.ts';
import { renderDocument } from '../../functions/core/render-job.ts';
import { parseSiteConfig } from '../../functions/core/site-config.ts';
import type { PublishedArticle } from '../../functions/core/site-model.ts';
import { parseAndSanitise } from '../../functions/core/source-parser.ts';
import { MemorySource, MemoryStore } from '../fixtures/memory.ts';

const context = { timeZone: 'Europe/Paris', siteUrl: 'https://news.example.com/' };
const encode = (text: string) => new TextEncoder().encode(text);

describe('worker parser (what `broadsheet build` uses for large folders)', () => {
  it('runs the TypeScript worker from source and answers as the in-process parser does', async () => {
    const items = [
      {
        key: '2025-01-08-paris.md',
        bytes: encode('---\ntitle: Paris\ntags: [europe]\n---\n\nÉté [link](../x/) *café*\n'),
      },
      { key: '2025-01-09-notes.txt', bytes: encode('Notes\nA paragraph with “quotes”.\n') },
      { key: 'broken.md', bytes: encode('---\ntitle: [unclosed\n---\n\nBody\n') },
    ];
    const workers = createWorkerParser(undefined, 2);
    try {
      const parsed = await Promise.all(items.map((item) => workers.parse(item, context)));
      // Dates cross the thread boundary as Dates (structured clone).
      expect(parsed).toEqual(items.map((item) => parseAndSanitise(item, context)));
      expect(parsed[0]?.body?.html).toContain('https://news.example.com/posts/x/');
      // Held as UTF-8 and decoded on each use (half the memory of 10,000 two-byte strings on a full build).
      expect(Object.getOwnPropertyDescriptor(parsed[0]?.body, 'html')?.get).toBeTypeOf('function');
      expect(parsed[2]?.result.ok).toBe(false);
    } finally {
      await workers.close();
    }
  });

  it('parses an article just under the size limit without its worker running out of heap', async () => {
    // Headings, lists, links, code, a table and accents: what Markdown and the sanitiser spend memory on.
    const block = (i: number) =>
      `## Part ${i} — été\n\n- [link ${i}](../p-${i}/) *café* **x**\n- \`code ${i}\`\n\n| a | b |\n|---|---|\n| ${i} | “q” |\n\n\`\`\`\nline ${i}\n\`\`\`\n\n`;
    let body = '';
    for (let i = 0; body.length < 1_900_000; i++) body += block(i);
    const workers = createWorkerParser(undefined, 1);
    try {
      const parsed = await workers.parse(
        { key: '2025-01-08-big.md', bytes: encode(`---\ntitle: Big\n---\n\n${body}`) },
        context,
      );
      expect(parsed.result.ok).toBe(true);
      expect(parsed.body?.html.length).toBeGreaterThan(1_900_000);
      expect(workers.alive()).toBe(1);
    } finally {
      await workers.close();
    }
  }, 60_000);

  it('lets this thread take a parse or a feed while its worker is busy, never an article page', async () => {
    // The silent worker keeps every job it gets: whatever finishes was done on this thread.
    const workers = createWorkerParser(new URL('../fixtures/silent-worker.mjs', import.meta.url), 1, true);
    const items = [
      { key: '2025-01-08-a.txt', bytes: encode('A\nFirst “one”.\n') },
      { key: '2025-01-09-b.txt', bytes: encode('B\nSecond “one”.\n') },
    ];
    const item = (i: number) => items[i] as (typeof items)[0];
    const waited = () => new Promise((resolve) => setTimeout(resolve, 300, 'waiting'));
    try {
      void workers.parse(item(0), context);
      // The worker has a job queued: this one is done here, as the in-process parser does it.
      const second = await workers.parse(item(1), context);
      expect(second).toEqual(parseAndSanitise(item(1), context));
      expect(workers.doneHere()).toBe(1);
      // An article page goes to the worker: pages come while this thread writes 10,000 of them.
      const parsed = second.result.ok ? second.result.article : undefined;
      const site = { config: parseSiteConfig(''), siteUrl: 'https://news.example.com/' };
      const article = { ...parsed, html: '<p>B</p>', bodyHtml: '<p>B</p>' } as unknown as PublishedArticle;
      const page = workers.render('posts/b/index.html', {
        document: { kind: 'page', site, article },
        file: 'index.html',
      });
      expect(await Promise.race([page.then(() => 'rendered here'), waited()])).toBe('waiting');
      expect(workers.doneHere()).toBe(1);
      // A feed is taken here (an empty spec: its files come back as errors, rendered all the same).
      const spec = { items: [] } as unknown as FeedSpec;
      const feed = await workers.render('rss.xml', { document: { kind: 'feed', spec }, file: 'rss.xml' });
      expect(feed).toHaveProperty('error');
      expect(workers.doneHere()).toBe(2);
    } finally {
      await workers.close();
    }
  }, 10_000);

  it('takes the parses asked for in one turn together while its worker is busy, up to eight', async () => {
    // A time guard is a watchdog thread: parses taken one by one cost this thread one each.
    const workers = createWorkerParser(new URL('../fixtures/silent-worker.mjs', import.meta.url), 1, true);
    const item = (i: number) => ({
      key: `2025-01-${String(i + 1).padStart(2, '0')}-n${i}.md`,
      bytes: encode(`---\ntitle: N${i}\n---\n\nÉté *${i}* [l](../x-${i}/)\n`),
    });
    try {
      void workers.parse(item(0), context);
      // Ten at once: eight are taken here in one go; the two after them go to the (silent) worker.
      const asked = Array.from({ length: 10 }, (_, i) => workers.parse(item(i + 1), context));
      const settled = await Promise.race([
        Promise.all(asked.slice(0, 8)),
        new Promise((resolve) => setTimeout(resolve, 5_000, 'timed out')),
      ]);
      expect(settled).toEqual(asked.slice(0, 8).map((_, i) => parseAndSanitise(item(i + 1), context)));
      const waited = new Promise((resolve) => setTimeout(resolve, 300, 'waiting'));
      expect(await Promise.race([asked[8], waited])).toBe('waiting');
      expect(workers.doneHere()).toBe(8);
    } finally {
      await workers.close();
    }
  }, 10_000);

  const files: Record<string, string> = { 'site.yaml': 'title: Dispatch\nfeeds:\n  limit: 3\n' };
  for (let i = 0; i < 14; i++) {
    const day = String(i + 1).padStart(2, '0');
    files[`2025-01-${day}-story-${i}.md`] =
      `---\ntitle: "Story ${i} <&> ]]>"\ntags: [${i % 2 ? 'europe' : 'asia'}]\n---\n\nÉté [link](../story-${i + 1}/) ${'word '.repeat(i)}\n`;
  }
  const build = async (
    workers?: ReturnType<typeof createWorkerParser>,
    { store = new MemoryStore(), rendered }: { store?: MemoryStore; rendered?: () => Promise<void> } = {},
  ) => {
    const report = await publishSite({
      source: new MemorySource(files),
      store,
      logger: silentLogger,
      now: new Date('2025-03-01T00:00:00Z'),
      siteUrl: 'https://news.example.com/',
      parser: workers?.parse,
      renderer: workers?.render,
      rendered,
    });
    const shards = new Map(
      [...store.objects].filter(([key]) => key.startsWith('_state/html/')).map(([key, o]) => [key, o.body]),
    );
    return { report, site: store.publicObjects(), shards };
  };

  it('builds the same site, byte for byte, when workers parse and render the feeds and digests', async () => {
    const workers = createWorkerParser(undefined, 2);
    try {
      const [inProcess, onWorkers] = [await build(), await build(workers)];
      expect(onWorkers.report.errors).toEqual([]);
      // Archives exist (3 items a page), so many feeds were rendered on the workers.
      expect([...onWorkers.site.keys()].filter((k) => k.includes('archive/')).length).toBeGreaterThan(9);
      // Finished weeks: their digests (page, text, message) were rendered on the workers too.
      expect(onWorkers.site.has('digests/2025-W02/digest.eml')).toBe(true);
      expect(onWorkers.site).toEqual(inProcess.site);
      // The bodies the workers sent as UTF-8 bytes are cached for later runs as the in-process build has them.
      expect(onWorkers.shards.size).toBeGreaterThan(0);
      expect(onWorkers.shards).toEqual(inProcess.shards);
    } finally {
      await workers.close();
    }
  });

  it('builds the same site with one worker and this thread helping, as `broadsheet build` runs on two cores', async () => {
    const workers = createWorkerParser(undefined, 1, true);
    try {
      const [inProcess, helped] = [await build(), await build(workers)];
      expect(helped.report.errors).toEqual([]);
      expect(workers.doneHere()).toBeGreaterThan(0);
      expect(helped.site).toEqual(inProcess.site);
      expect(helped.shards).toEqual(inProcess.shards);
    } finally {
      await workers.close();
    }
  });

  it("handles the workers' answers between its body shard writes, not after them all", async () => {
    // A local folder writes synchronously: shards written back to back in microtasks kept the workers'
    // answers (macrotasks) waiting, and the workers idle (~1 s at 10,000 articles). 300 articles (more
    // outputs than a run renders before it writes anything), one every three days: 127 weekly shards.
    const weekly: Record<string, string> = { 'site.yaml': 'title: Dispatch\n' };
    for (let i = 0; i < 300; i++) {
      const day = new Date(Date.UTC(2023, 0, 1 + 3 * i)).toISOString().slice(0, 10);
      weekly[`${day}-week-${i}.md`] = `---\ntitle: Week ${i}\n---\n\nText ${i}.\n`;
    }
    const events: string[] = [];
    const store = new MemoryStore();
    const write = store.write.bind(store);
    store.write = (key, ...rest) => {
      if (key.startsWith('_state/html/')) events.push('shard');
      return write(key, ...rest);
    };
    const report = await publishSite({
      source: new MemorySource(weekly),
      store,
      logger: silentLogger,
      now: new Date('2025-06-01T00:00:00Z'),
      siteUrl: 'https://news.example.com/',
      // As a worker answers: in a message, after the I/O callbacks already waiting.
      renderer: (key, job) =>
        new Promise((resolve) =>
          setImmediate(() => {
            events.push('answer');
            const dir = key.slice(0, key.length - job.file.length);
            resolve(renderDocument(dir, job.document)[job.file] ?? { error: 'no such file' });
          }),
        ),
    });
    expect(report.errors).toEqual([]);
    expect(events.filter((e) => e === 'shard')).toHaveLength(127);
    expect(events.indexOf('answer')).toBeLessThan(events.lastIndexOf('shard'));
  });

  it('stops its workers once every output is rendered, before the commit; later jobs run here', async () => {
    const workers = createWorkerParser(undefined, 2);
    const store = new MemoryStore();
    const calls: string[] = [];
    // The manifest (intent, then commit) is the only conditional write.
    const writeIfMatch = store.writeIfMatch.bind(store);
    store.writeIfMatch = (key, ...rest) => {
      calls.push(`commit ${key}`);
      return writeIfMatch(key, ...rest);
    };
    try {
      const { report } = await build(workers, {
        store,
        rendered: async () => {
          calls.push(`rendered, ${workers.alive()} workers`);
          await workers.close();
        },
      });
      expect(report.errors).toEqual([]);
      // The intent is written before anything public; the workers stop after the outputs, before the commit.
      expect(calls.indexOf('rendered, 2 workers')).toBeGreaterThan(0);
      expect(calls.at(-1)).toMatch(/^commit /);
      expect(calls.filter((c) => c.startsWith('rendered'))).toHaveLength(1);
      // A stopped pool still answers (on this thread) instead of waiting for a worker that is gone.
      const late = await workers.parse(
        { key: '2025-01-09-notes.txt', bytes: encode('Notes\nLate.\n') },
        context,
      );
      expect(late.result.ok).toBe(true);
    } finally {
      await workers.close();
    }
  });

  it('finishes the build on this thread when its workers die, with the same bytes', async () => {
    const workers = createWorkerParser(new URL('../fixtures/dying-worker.mjs', import.meta.url), 2);
    try {
      const [inProcess, dying] = [await build(), await build(workers)];
      expect(dying.report.errors).toEqual([]);
      expect(dying.report.counts.published).toBe(14);
      expect(dying.site).toEqual(inProcess.site);
    } finally {
      await workers.close();
    }
  }, 60_000);
});
