import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../functions/core/ports.ts';
import { type BuildReport, type PublishOptions, publishSite } from '../../functions/core/publish-site.ts';
import { storyKey, storyText } from '../fixtures/corpus.ts';
import { MemorySource, MemoryStore } from '../fixtures/memory.ts';

const SITE_URL = 'https://news.example.com/';
const NOW = new Date('2025-06-01T12:00:00Z');
// Enough outputs (~600) that the run renders while it writes, as a big site's does.
const ARTICLES = 300;

const corpus = (title = 'Dispatch') =>
  new MemorySource({
    'site.yaml': `title: ${title}\ntimeZone: UTC\n`,
    ...Object.fromEntries(Array.from({ length: ARTICLES }, (_, i) => [storyKey(i), storyText(i)])),
  });

const run = (source: MemorySource, store: MemoryStore, extra: Partial<PublishOptions> = {}) =>
  publishSite({ source, store, logger: silentLogger, now: NOW, siteUrl: SITE_URL, ...extra });

/** Runs out of time after `asks` questions, like a Lambda whose timeout comes after that much work. */
const outOfTimeAfter = (asks: number) => {
  let asked = 0;
  return () => ++asked > asks;
};

/** Runs that each stop after `asks` outputs until one finishes; returns their reports. */
async function runInSteps(source: MemorySource, store: MemoryStore, asks: number, extra = {}) {
  const reports: BuildReport[] = [];
  for (let step = 0; step < 50; step++) {
    const report = await run(source, store, { ...extra, outOfTime: outOfTimeAfter(asks) });
    reports.push(report);
    if (report.counts.deferred === 0 && report.counts.unread === 0) return reports;
  }
  throw new Error('no run finished in 50 steps');
}

async function fromScratch(source: MemorySource): Promise<Map<string, Uint8Array>> {
  const store = new MemoryStore();
  await run(source, store);
  return store.publicObjects();
}

/** Key → SHA-256 of the bytes: compared in milliseconds, where 600 byte arrays take seconds. */
const digests = (objects: Map<string, Uint8Array>) =>
  Object.fromEntries(
    [...objects].map(([key, body]) => [key, createHash('sha256').update(body).digest('hex')]),
  );

/** Links in the public HTML and feeds to an article page of the finished site that the store lacks yet. */
function brokenPageLinks(store: MemoryStore, finished: Map<string, Uint8Array>): string[] {
  const broken = new Set<string>();
  for (const [key, body] of store.publicObjects()) {
    if (!/\.(xml|json|html)$/.test(key)) continue;
    const text = new TextDecoder().decode(body);
    for (const [, path] of text.matchAll(/https:\/\/news\.example\.com\/(posts\/[\w-]+\/)/g)) {
      const page = `${path}index.html`;
      if (finished.has(page) && !store.objects.has(page)) broken.add(`${key} → ${path}`);
    }
  }
  return [...broken].sort();
}

describe('a run that runs out of time', () => {
  it('commits what it wrote, and the next runs finish the site as one run would have built it', async () => {
    const source = corpus();
    const store = new MemoryStore();
    // 300 sources to read, then 300 pages, then feeds, tag pages and digests: steps of 200 stop in all three.
    const reports = await runInSteps(source, store, 200);

    expect(reports.length).toBeGreaterThan(3);
    // The first run read 200 sources, recorded them and published nothing: no site of 200 articles.
    expect(reports[0]?.counts).toMatchObject({ read: 200, unread: 100, rendered: 0, written: 0 });
    for (const report of reports.slice(1, -1)) {
      expect(report.counts.deferred).toBeGreaterThan(0);
      expect(report.counts.written).toBeGreaterThan(0);
      expect(report.deleted).toEqual([]);
    }
    // Each source was read once; the later runs continue from the manifest and the HTML shards.
    expect(reports[1]?.counts.read).toBe(ARTICLES - 200);
    for (const report of reports.slice(2)) expect(report.counts.read).toBe(0);
    expect(digests(store.publicObjects())).toEqual(digests(await fromScratch(source)));
  });

  it('never leaves a feed, index or page linking to an article page that is not written yet', async () => {
    const source = corpus();
    const store = new MemoryStore();
    const finished = await fromScratch(source);
    for (let step = 0; step < 50; step++) {
      const report = await run(source, store, { outOfTime: outOfTimeAfter(100) });
      expect(brokenPageLinks(store, finished), `after run ${step + 1}`).toEqual([]);
      if (report.counts.deferred === 0) return;
    }
    throw new Error('no run finished');
  });

  it('replaces every output of a site that changed throughout, in steps, leaving none stale', async () => {
    const store = new MemoryStore();
    await run(corpus(), store);
    // A new site title changes every output: each one the stopped runs did not reach must still be redone.
    const renamed = corpus('The Dispatch');
    const reports = await runInSteps(renamed, store, 250);
    expect(reports.length).toBeGreaterThan(2);
    expect(digests(store.publicObjects())).toEqual(digests(await fromScratch(renamed)));
  });

  it('still knows what is online where it stopped: an article deleted next is deleted everywhere', async () => {
    const store = new MemoryStore();
    await run(corpus(), store);
    const renamed = corpus('The Dispatch');
    // Pages go oldest first: the newest article's page is among those this run does not reach.
    const stopped = await run(renamed, store, { outOfTime: outOfTimeAfter(5) });
    expect(stopped.counts.deferred).toBeGreaterThan(0);
    expect(stopped.written).not.toContain('posts/story-0/index.html');

    renamed.files.delete(storyKey(0));
    const finished = await run(renamed, store);
    expect(finished.deleted).toContain('posts/story-0/index.html');
    expect(digests(store.publicObjects())).toEqual(digests(await fromScratch(renamed)));
  });

  it('keeps a deleted article online until a run finishes, then deletes it', async () => {
    const store = new MemoryStore();
    await run(corpus(), store);
    // A new title too: enough outputs to render that the run renders while it writes.
    const source = corpus('The Dispatch');
    const gone = storyKey(3);
    source.files.delete(gone);
    const page = 'posts/story-3/index.html';
    expect(store.objects.has(page)).toBe(true);

    // A new configuration: every source is read again, and this run stops after two of them.
    const stopped = await run(source, store, { outOfTime: outOfTimeAfter(2) });
    expect(stopped.counts.unread).toBe(ARTICLES - 1 - 2);
    expect(stopped.counts.deferred).toBeGreaterThan(0);
    expect(stopped.deleted).toEqual([]);
    expect(store.objects.has(page)).toBe(true);
    expect(brokenPageLinks(store, await fromScratch(corpus()))).toEqual([]);
    expect(store.text('rss.xml')).toContain('story-3/');

    // An upload's run: the manifest says sources are unread, so it lists the content and reads them.
    const finished = await run(source, store, { changedKeys: [gone] });
    expect(finished.mode).toBe('full');
    expect(finished.counts.read).toBe(ARTICLES - 1 - 2);
    expect(finished.counts.deferred).toBe(0);
    expect(finished.deleted).toContain(page);
    expect(digests(store.publicObjects())).toEqual(digests(await fromScratch(source)));
  });

  it('publishes nothing while sources are unread; the next run, even an upload, reads only those', async () => {
    const source = corpus();
    const store = new MemoryStore();
    await run(source, store);
    const before = digests(store.publicObjects());
    // A folder synced at once: 40 new articles and an edit, found by the scheduled run, which stops after 10.
    for (let i = ARTICLES; i < ARTICLES + 40; i++) source.put(storyKey(i), storyText(i));
    source.put(storyKey(7), storyText(7, 1));
    const stopped = await run(source, store, { outOfTime: outOfTimeAfter(10) });
    expect(stopped.counts).toMatchObject({ read: 10, unread: 31, rendered: 0, written: 0, deleted: 0 });
    expect(digests(store.publicObjects())).toEqual(before);

    const upload = await run(source, store, { changedKeys: [storyKey(ARTICLES)] });
    expect(upload.mode).toBe('full');
    expect(upload.counts).toMatchObject({ read: 31, unread: 0, deferred: 0 });
    expect(digests(store.publicObjects())).toEqual(digests(await fromScratch(source)));
    // The manifest no longer says anything is unread: the next upload reads its one source.
    source.put(storyKey(ARTICLES + 40), storyText(ARTICLES + 40));
    const next = await run(source, store, { changedKeys: [storyKey(ARTICLES + 40)] });
    expect(next.mode).toBe('events');
    expect(next.counts.read).toBe(1);
  });

  it('keeps distrusting what a crashed run may have written when it stops before rewriting it', async () => {
    const store = new MemoryStore();
    await run(corpus(), store);
    const page = 'posts/story-5/index.html';
    // A new title: the run writes most pages, then dies before its commit. The manifest names every
    // output it meant to touch dirty, still with the old title's hashes.
    const crashing = Object.assign(Object.create(store), {
      write: async (key: string, body: Uint8Array, options: Parameters<MemoryStore['write']>[2]) => {
        await store.write(key, body, options);
        if (key === page) throw new Error('the function timed out');
      },
    }) as MemoryStore;
    await expect(run(corpus('The Dispatch'), crashing)).rejects.toThrow('timed out');
    expect(store.text(page)).toContain('The Dispatch');
    // The title goes back; a run stops after two outputs, then one finishes.
    const stopped = await run(corpus(), store, { outOfTime: outOfTimeAfter(2) });
    expect(stopped.counts.deferred).toBeGreaterThan(100);
    await run(corpus(), store);
    expect(store.text(page)).not.toContain('The Dispatch');
    expect(digests(store.publicObjects())).toEqual(digests(await fromScratch(corpus())));
  });
});
