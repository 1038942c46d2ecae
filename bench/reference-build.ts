/**
 * The yardstick, measured in the same run as ours and Hugo's: "a plain script using `feed`,
 * `gray-matter` and `marked`" (0.54× Hugo and 360 MB on the machine the target was set on). One thread;
 * every article parsed and given a page; the home's and each tag's feed with the newest `feeds.limit`
 * items (50, as in our build) in RSS, Atom and JSON Feed. What it leaves out and a full build does: feed
 * archives (RFC 5005: each article is in ~2.4 documents of each format), digests, sanitising, the strict
 * check of every output, the state for incremental runs, list pages past the first. `npm run bench` only.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Feed } from 'feed';
import matter from 'gray-matter';
import { marked } from 'marked';
import { FEED_LIMIT } from '../functions/core/site-config.ts';
import { escapeHtml } from '../functions/core/text.ts';

interface Article {
  readonly title: string;
  readonly date: Date;
  readonly tags: readonly string[];
  readonly html: string;
  readonly slug: string;
}

const [contentDir, outArg] = process.argv.slice(2);
if (!contentDir || !outArg) throw new Error('usage: reference-build CONTENT OUT');
const outDir = outArg;
const site = 'https://bench.example.com/';
const started = performance.now();

const articles: Article[] = [];
for (const name of readdirSync(contentDir)) {
  if (!name.endsWith('.md')) continue;
  // Options given: without them gray-matter caches every text it parsed.
  const { data, content } = matter(readFileSync(join(contentDir, name), 'utf8'), {});
  const html = marked.parse(content, { async: false });
  const tags = Array.isArray(data.tags) ? data.tags.map(String) : [];
  articles.push({
    title: String(data.title),
    date: new Date(data.date),
    tags,
    html,
    slug: name.slice(0, -3),
  });
}
articles.sort((a, b) => b.date.getTime() - a.date.getTime());

for (const article of articles) {
  const dir = join(outDir, 'posts', article.slug);
  mkdirSync(dir, { recursive: true });
  const title = escapeHtml(article.title);
  writeFileSync(
    join(dir, 'index.html'),
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body><article><h1>${title}</h1>${article.html}</article></body></html>\n`,
  );
}

function writeFeeds(path: string, items: readonly Article[]): void {
  const feed = new Feed({
    title: 'Bench Dispatch',
    id: site + path,
    link: site + path,
    copyright: '',
    updated: items[0]?.date ?? new Date(0),
    feedLinks: {
      rss: `${site}${path}rss.xml`,
      atom: `${site}${path}atom.xml`,
      json: `${site}${path}feed.json`,
    },
  });
  for (const article of items.slice(0, FEED_LIMIT)) {
    const link = `${site}posts/${article.slug}/`;
    feed.addItem({ title: article.title, id: link, link, date: article.date, content: article.html });
  }
  const dir = join(outDir, path);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'rss.xml'), feed.rss2());
  writeFileSync(join(dir, 'atom.xml'), feed.atom1());
  writeFileSync(join(dir, 'feed.json'), feed.json1());
}

const byTag = new Map<string, Article[]>();
for (const article of articles) {
  for (const tag of article.tags) {
    const list = byTag.get(tag);
    if (list) list.push(article);
    else byTag.set(tag, [article]);
  }
}
writeFeeds('', articles);
for (const [tag, items] of byTag) writeFeeds(`tags/${tag}/`, items);
const list = (items: readonly Article[]) =>
  items
    .slice(0, 20)
    .map((a) => `<li><a href="${site}posts/${a.slug}/">${escapeHtml(a.title)}</a></li>`)
    .join('');
writeFileSync(join(outDir, 'index.html'), `<!doctype html><ol>${list(articles)}</ol>\n`);
for (const [tag, items] of byTag) {
  writeFileSync(join(outDir, 'tags', tag, 'index.html'), `<!doctype html><ol>${list(items)}</ol>\n`);
}
const ms = performance.now() - started;
process.stdout.write(`${JSON.stringify({ ms, articles: articles.length })}\n`);
