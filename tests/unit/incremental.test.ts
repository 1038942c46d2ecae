import { describe, expect, it } from 'vitest';
import {
  applyHead,
  BASE_PREFIX,
  createStateCache,
  decodeBase,
  decodeHead,
  decodeShard,
  deltaFrom,
  emptyBase,
  MANIFEST_KEY,
} from '../../functions/core/incremental-state.ts';
import { silentLogger } from '../../functions/core/ports.ts';
import { type PublishOptions, publishSite } from '../../functions/core/publish-site.ts';
import { MemorySource, MemoryStore } from '../fixtures/memory.ts';

const SITE_URL = 'https://news.example.com/';
const NOW = new Date('2025-06-01T12:00:00Z');
const TAGS = ['europe', 'asia', 'economy', 'climate', 'science', 'culture', 'sport', 'tech'];

/** Small, distinct articles: a date every ~3 hours back from NOW, one or two tags, a relative link. */
function article(i: number, edit = ''): [string, string] {
  const date = new Date(NOW.getTime() - (i + 1) * 3 * 3600_000).toISOString();
  const tags = i % 3 === 0 ? `[${TAGS[i % 8]}, ${TAGS[(i + 3) % 8]}]` : `[${TAGS[i % 8]}]`;
  const key = `${date.slice(0, 10)}-story-${i}.md`;
  return [
    key,
    `---\ntitle: "Story ${i}${edit}"\ndate: ${date}\ntags: ${tags}\n---\n\nParagraph about [story ${i}](../story-${i + 1}/) été.\n`,
  ];
}

const corpus = (n: number) =>
  new MemorySource({
    'site.yaml': 'title: Dispatch\ntimeZone: UTC\n',
    ...Object.fromEntries(Array.from({ length: n }, (_, i) => article(i))),
  });

const run = (source: MemorySource, store: MemoryStore, extra: Partial<PublishOptions> = {}) =>
  publishSite({ source, store, logger: silentLogger, now: NOW, siteUrl: SITE_URL, ...extra });

/** Public bytes of a fresh full build of the same content: what an incremental site must equal. */
async function fromScratch(source: MemorySource): Promise<Map<string, Uint8Array>> {
  const store = new MemoryStore();
  await run(source, store);
  return store.publicObjects();
}

/** Every published record's body is in the HTML shard it names, under its hash (what later runs read). */
function expectShardsHoldBodies(store: MemoryStore, label: string) {
  const decoded = decodeHead(store.objects.get(MANIFEST_KEY)?.body);
  if (!('head' in decoded)) throw new Error('no format-3 head');
  const base = decoded.head.base ? decodeBase(store.objects.get(decoded.head.base)?.body) : emptyBase;
  if (!base) throw new Error('base missing');
  const missing: string[] = [];
  for (const [key, record] of Object.entries(applyHead(decoded.head, base).sources)) {
    if (!record.b) continue;
    const shard = decodeShard(store.objects.get(record.b.k)?.body);
    if (shard[key]?.[0] !== record.b.h) missing.push(`${key} in ${record.b.k}`);
  }
  expect(missing, label).toEqual([]);
}

describe('incremental publisher', () => {
  it('adds one article to 10,000 by reading that article and rendering only what shows it', async () => {
    const source = corpus(10_000);
    const store = new MemoryStore();
    const full = await run(source, store);
    expect(full.counts).toMatchObject({ published: 10_000, read: 10_000, skipped: 0 });

    const [key, text] = [
      '2025-06-01-breaking.md',
      '---\ntitle: Breaking\ndate: 2025-06-01T11:00:00Z\ntags: [europe]\n---\n\nNews.\n',
    ];
    source.put(key, text);
    source.reads = 0;
    source.lists = 0;
    const manifestReadsBefore = store.reads;
    store.writes.length = 0;
    const report = await run(source, store, { changedKeys: [key] });

    expect(report.mode).toBe('events');
    expect(source.lists).toBe(0);
    expect(source.reads).toBe(1);
    expect(report.counts.read).toBe(1);
    // Its page, the main and "europe" feeds (3 formats each), the tag page, the home page, plus the
    // cheap outputs with no articles that are always rendered and compared (OPML, stylesheet, …).
    const written = report.written;
    expect(written).toEqual(
      expect.arrayContaining([
        'posts/breaking/index.html',
        'rss.xml',
        'atom.xml',
        'feed.json',
        'tags/europe/rss.xml',
        'tags/europe/index.html',
        'index.html',
      ]),
    );
    expect(written.filter((k) => k.startsWith('posts/'))).toEqual(['posts/breaking/index.html']);
    // The topics page counts "europe"'s articles; no other tag's output changes.
    expect(written.filter((k) => k.startsWith('tags/') && !k.startsWith('tags/europe/'))).toEqual([
      'tags/index.html',
    ]);
    expect(report.counts.rendered).toBeLessThan(30);
    expect(report.counts.reused).toBeGreaterThan(10_000);
    // The manifest, and the weekly HTML shards of the feeds' other items (a fresh process: a warm one has
    // them): the "europe" feed's items span a few weeks.
    expect(store.reads - manifestReadsBefore).toBeLessThanOrEqual(10);
    const publicWrites = store.writes.filter((k) => !k.startsWith('_'));
    expect(publicWrites.indexOf('posts/breaking/index.html')).toBe(0);

    // A scheduled run over the same content lists, reads nothing, writes nothing public.
    source.reads = 0;
    store.writes.length = 0;
    const reconcile = await run(source, store);
    expect(reconcile.mode).toBe('full');
    expect(source.reads).toBe(0);
    expect(store.writes).toEqual(['_report.json']);
  }, 300_000);

  it.each([
    ['a fresh process each run', {}],
    // A warm process: small compactions, remembered articles, bodies and fingerprints.
    ['one warm process', { compactAt: 8_000, stateCache: createStateCache() }],
  ])(
    'ends, after any sequence of adds, edits, deletes and replays, with the bytes of a fresh build (%s)',
    async (_, warm: Partial<PublishOptions>) => {
      const source = corpus(60);
      const store = new MemoryStore();
      await run(source, store, warm);
      let seed = 7;
      const random = () => {
        seed = (seed * 1103515245 + 12345) % 2 ** 31;
        return seed / 2 ** 31;
      };
      const keys = () => [...source.files.keys()].filter((k) => k.endsWith('.md'));
      for (let step = 0; step < 8; step++) {
        const changed: string[] = [];
        for (let n = 0; n < 5; n++) {
          const roll = random();
          if (roll < 0.4) {
            const [key, text] = article(1000 + step * 10 + n);
            source.put(key, text);
            changed.push(key);
          } else if (roll < 0.7) {
            const key = keys()[Math.floor(random() * keys().length)] as string;
            const i = Number(/story-(\d+)/.exec(key)?.[1]);
            // Same length as before: the version (a hash, like an ETag) still changes.
            source.put(key, article(i, `${step % 10}`)[1].replace(`Story ${i}`, `Story ${i}`));
            changed.push(key);
          } else {
            const key = keys()[Math.floor(random() * keys().length)] as string;
            source.files.delete(key);
            changed.push(key);
          }
        }
        // Duplicated and reordered event keys, and sometimes a replay of an old one.
        const events = [...changed, ...changed.slice(0, 2)].reverse();
        await run(source, store, { ...warm, changedKeys: events });
        expect(store.publicObjects(), `step ${step}`).toEqual(await fromScratch(source));
        // Then an upload of today's article alone (newer than all: a warm process extends its last model).
        const date = new Date(NOW.getTime() - (60 - step) * 60_000).toISOString();
        const newest = `${date.slice(0, 10)}-today-${step}.md`;
        source.put(newest, `---\ntitle: Today ${step}\ndate: ${date}\ntags: [europe]\n---\n\nNews.\n`);
        await run(source, store, { ...warm, changedKeys: [newest] });
        expect(store.publicObjects(), `step ${step}, newest`).toEqual(await fromScratch(source));
        expectShardsHoldBodies(store, `step ${step}`);
        // An upload works its head out from the keys it changed: it must be the delta a full comparison gives.
        const head = decodeHead(store.objects.get(MANIFEST_KEY)?.body);
        if (!('head' in head)) throw new Error('no format-3 head');
        const base = head.head.base ? decodeBase(store.objects.get(head.head.base)?.body) : emptyBase;
        if (!base) throw new Error(`base ${head.head.base} missing`);
        const full = deltaFrom(base, applyHead(head.head, base));
        expect({ sources: head.head.sources, outputs: head.head.outputs }, `step ${step}`).toEqual({
          sources: full.sources,
          outputs: full.outputs,
        });
      }
      // An edit that moves an article to another week: its body leaves one shard for another.
      const moved = keys().find((k) => /-story-\d+\.md$/.test(k)) as string;
      const text = new TextDecoder().decode(source.files.get(moved));
      const date = /date: (\S+)/.exec(text)?.[1] as string;
      const earlier = new Date(new Date(date).getTime() - 9 * 86_400_000).toISOString();
      source.put(moved, text.replace(date, earlier));
      await run(source, store, { ...warm, changedKeys: [moved] });
      expect(store.publicObjects(), 'moved').toEqual(await fromScratch(source));
      expectShardsHoldBodies(store, 'moved');
      const decoded = decodeHead(store.objects.get(MANIFEST_KEY)?.body);
      expect('head' in decoded && decoded.head.dirty).toEqual([]);
    },
    300_000,
  );

  it.each([
    ['a fresh process each run', {}],
    ['one warm process', { stateCache: createStateCache() }],
  ])(
    'names a tag that appears or goes on an old article in the home page and feeds.opml (%s)',
    async (_, warm: Partial<PublishOptions>) => {
      const source = corpus(60);
      const store = new MemoryStore();
      await run(source, store, warm);
      const feedUrl = `${SITE_URL}tags/brand-new/rss.xml`;
      const [key, text] = article(50);
      // The article is far down the list: the home page's first page does not show it.
      source.put(key, text.replace('tags: [', 'tags: [brand-new, '));
      await run(source, store, { ...warm, changedKeys: [key] });
      const textOf = (k: string) => new TextDecoder().decode(store.publicObjects().get(k));
      expect(textOf('index.html')).toContain(`href="${feedUrl}"`);
      expect(textOf('feeds.opml')).toContain(`xmlUrl="${feedUrl}"`);
      expect(store.publicObjects()).toEqual(await fromScratch(source));
      source.files.delete(key);
      await run(source, store, { ...warm, changedKeys: [key] });
      expect(textOf('index.html')).not.toContain('brand-new');
      expect(store.publicObjects()).toEqual(await fromScratch(source));
    },
  );

  it('publishes a scheduled article once its date has come, on the next run', async () => {
    const source = corpus(20);
    source.put('2025-07-01-later.md', '---\ntitle: Later\ndate: 2025-07-01T08:00:00Z\n---\n\nSoon.\n');
    const store = new MemoryStore();
    const early = await run(source, store);
    expect(early.heldBack).toEqual([
      { file: '2025-07-01-later.md', reason: 'scheduled', publishAt: '2025-07-01T08:00:00.000Z' },
    ]);
    const due = await run(source, store, { now: new Date('2025-07-01T09:00:00Z') });
    expect(due.counts.published).toBe(21);
    expect(store.text('rss.xml')).toContain('Later');
  });

  describe('manifest: a small head over an immutable base', () => {
    // 60 articles make a ~60 KB state: over this, the full build writes a base; one upload stays in the head.
    const compactAt = 20_000;
    const bases = (store: MemoryStore) => [...store.objects.keys()].filter((k) => k.startsWith(BASE_PREFIX));
    const headOf = (store: MemoryStore) => {
      const decoded = decodeHead(store.objects.get(MANIFEST_KEY)?.body);
      if (!('head' in decoded)) throw new Error('no format-3 head');
      return decoded.head;
    };

    it('keeps an upload in the head, and a warm process never reads the base again', async () => {
      const source = corpus(60);
      const store = new MemoryStore();
      const cache = createStateCache();
      await run(source, store, { compactAt, stateCache: cache });
      expect(bases(store)).toHaveLength(1);
      expect(headOf(store)).toMatchObject({ base: bases(store)[0], sources: {}, outputs: {} });

      const [key, text] = article(500);
      source.put(key, text);
      store.readKeys.length = 0;
      const report = await run(source, store, { compactAt, stateCache: cache, changedKeys: [key] });
      expect(report.mode).toBe('events');
      expect(store.readKeys.filter((k) => k.startsWith(BASE_PREFIX))).toEqual([]);
      const head = headOf(store);
      expect(Object.keys(head.sources)).toEqual([key]);
      expect(store.objects.get(MANIFEST_KEY)?.body.byteLength).toBeLessThan(compactAt);

      // A cold process reads the base once, and sees the same state.
      store.readKeys.length = 0;
      const cold = await run(source, store, { compactAt, changedKeys: [key] });
      expect(store.readKeys.filter((k) => k.startsWith(BASE_PREFIX))).toEqual([head.base]);
      expect(cold.written).toEqual([]);
      expect(store.publicObjects()).toEqual(await fromScratch(source));
    });

    it('writes a new base when the head grows, and deletes the old one', async () => {
      const source = corpus(60);
      const store = new MemoryStore();
      await run(source, store, { compactAt });
      const first = bases(store);
      for (let i = 100; i < 130; i++) {
        const [key, text] = article(i);
        source.put(key, text);
        await run(source, store, { compactAt, changedKeys: [key] });
      }
      const now = bases(store);
      expect(now).toHaveLength(1);
      expect(now).not.toEqual(first);
      expect(headOf(store).base).toBe(now[0]);
      expect(store.publicObjects()).toEqual(await fromScratch(source));
    });

    it('starts again when the base it read the head for is gone, and rebuilds if it stays gone', async () => {
      const source = corpus(60);
      const store = new MemoryStore();
      await run(source, store, { compactAt });
      for (const key of bases(store)) store.objects.delete(key);
      const [key, text] = article(500);
      source.put(key, text);
      const report = await run(source, store, { compactAt, changedKeys: [key] });
      expect(report.counts.attempts).toBe(2);
      expect(report.mode).toBe('full');
      expect(store.publicObjects()).toEqual(await fromScratch(source));
      expect(bases(store)).toHaveLength(1);
    });
  });
});
