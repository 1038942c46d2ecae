import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpHubNotifier } from '../../functions/adapters/websub-hub.ts';
import { silentLogger } from '../../functions/core/ports.ts';
import { publishSite } from '../../functions/core/publish-site.ts';
import { changedFeedUrls, type HubNotifier, publishPingBody } from '../../functions/core/websub.ts';
import { markdownArticle, NOW, SITE_URL } from '../fixtures/articles.ts';
import { MemorySource, MemoryStore } from '../fixtures/memory.ts';

const HUB = 'https://hub.example.com/';

describe('changedFeedUrls and publishPingBody', () => {
  it('names the subscription feeds a run wrote, never archive pages or other files', () => {
    const written = [
      'atom.xml',
      'archive/1/rss.xml',
      'digests/rss.xml',
      'feed.json',
      'index.html',
      'posts/a/index.html',
      'posts/a/feed.json.pdf',
      'rss.xml',
      'sitemaps/articles.xml',
      'tags/archive/rss.xml',
      'tags/paris/archive/2/atom.xml',
      'tags/paris/feed.json',
    ];
    expect(changedFeedUrls(written, SITE_URL)).toEqual(
      [
        'atom.xml',
        'digests/rss.xml',
        'feed.json',
        'rss.xml',
        'tags/archive/rss.xml',
        'tags/paris/feed.json',
      ].map((k) => SITE_URL + k),
    );
  });

  it('writes one hub.url per feed, form-encoded', () => {
    expect(publishPingBody(['https://x.example/rss.xml', 'https://x.example/tags/a&b/feed.json'])).toBe(
      'hub.mode=publish&hub.url=https%3A%2F%2Fx.example%2Frss.xml&hub.url=https%3A%2F%2Fx.example%2Ftags%2Fa%26b%2Ffeed.json',
    );
  });
});

describe('publishSite with feeds.hub', () => {
  const pings: string[][] = [];
  const recorder: HubNotifier = {
    async publish(hub, urls) {
      expect(hub).toBe(HUB);
      pings.push([...urls]);
    },
  };
  const source = new MemorySource({
    'site.yaml': `title: Dispatch\nfeeds:\n  limit: 1\n  hub: ${HUB}\n`,
    '2025-01-08-first.md': markdownArticle({ title: 'First', date: '2025-01-08', tags: '[paris]' }),
    '2025-01-09-second.md': markdownArticle({ title: 'Second', date: '2025-01-09', tags: '[rome]' }),
  });
  const store = new MemoryStore();
  const run = (hubNotifier: HubNotifier = recorder, changedKeys?: string[]) =>
    publishSite({
      source,
      store,
      logger: silentLogger,
      now: NOW,
      siteUrl: SITE_URL,
      hubNotifier,
      changedKeys,
    });

  it('tells the hub about every subscription feed the first build writes, after writing them', async () => {
    const report = await run();
    expect(pings).toHaveLength(1);
    const urls = pings[0] ?? [];
    expect(urls).toContain(`${SITE_URL}rss.xml`);
    expect(urls).toContain(`${SITE_URL}tags/paris/atom.xml`);
    expect(urls).toContain(`${SITE_URL}tags/rome/feed.json`);
    expect(urls.some((u) => u.includes('/archive/'))).toBe(false);
    expect(store.objects.has('archive/1/rss.xml')).toBe(true);
    expect(report.hub).toEqual({ url: HUB, feeds: urls });
    expect(store.text('rss.xml')).toContain(`<atom:link href="${HUB}" rel="hub"/>`);
  });

  it('says nothing when no feed changed, and names only the feeds a new article changed', async () => {
    pings.length = 0;
    const same = await run();
    expect(pings).toEqual([]);
    expect(same.hub).toBeUndefined();

    source.put(
      '2025-01-10-third.md',
      markdownArticle({ title: 'Third', date: '2025-01-10', tags: '[rome]' }),
    );
    await run(recorder, ['2025-01-10-third.md']);
    // The main feed, the tag's, and the digests' (the new article's week is over at NOW).
    const feeds = ['', 'tags/rome/', 'digests/'].flatMap((dir) =>
      ['rss.xml', 'atom.xml', 'feed.json'].map((f) => SITE_URL + dir + f),
    );
    expect([...(pings[0] ?? [])].sort()).toEqual(feeds.sort());
  });

  it('publishes all the same when the hub fails, and says so in the report', async () => {
    source.put('2025-01-11-fourth.md', markdownArticle({ title: 'Fourth', date: '2025-01-11' }));
    const failing: HubNotifier = {
      async publish() {
        throw new Error('the hub https://hub.example.com/ answered 503 Service Unavailable');
      },
    };
    const report = await run(failing, ['2025-01-11-fourth.md']);
    expect(report.errors).toEqual([]);
    expect(store.text('rss.xml')).toContain('Fourth');
    expect(report.hub?.error).toBe('the hub https://hub.example.com/ answered 503 Service Unavailable');
  });
});

describe('httpHubNotifier against a real HTTP server', () => {
  const requests: { method?: string; type?: string; body: string }[] = [];
  let answers: number[] = [];
  let server: ReturnType<typeof createServer>;
  let hub: string;
  const bodyOf = async (req: IncomingMessage) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    return body;
  };

  beforeAll(async () => {
    server = createServer(async (req, res) => {
      requests.push({ method: req.method, type: req.headers['content-type'], body: await bodyOf(req) });
      res.statusCode = answers.shift() ?? 204;
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    hub = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hub`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('POSTs the publish ping as a form', async () => {
    requests.length = 0;
    answers = [204];
    await httpHubNotifier().publish(hub, ['https://x.example/rss.xml']);
    expect(requests).toEqual([
      {
        method: 'POST',
        type: 'application/x-www-form-urlencoded',
        body: 'hub.mode=publish&hub.url=https%3A%2F%2Fx.example%2Frss.xml',
      },
    ]);
  });

  it('tries again after a 5xx, not after a 4xx', async () => {
    requests.length = 0;
    answers = [503, 502, 204];
    await httpHubNotifier().publish(hub, ['https://x.example/rss.xml']);
    expect(requests).toHaveLength(3);

    requests.length = 0;
    answers = [400];
    await expect(httpHubNotifier().publish(hub, ['https://x.example/rss.xml'])).rejects.toThrow(
      /answered 400/,
    );
    expect(requests).toHaveLength(1);
  });

  it('gives up after three tries when nothing answers', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    let calls = 0;
    const counting: typeof fetch = (input, init) => {
      calls++;
      return fetch(input, init);
    };
    await expect(
      httpHubNotifier(counting).publish(`http://127.0.0.1:${port}/`, ['https://x/']),
    ).rejects.toThrow();
    expect(calls).toBe(3);
  });
});
