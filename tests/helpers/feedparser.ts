/**
 * What a real feed reader makes of our feeds: Python's feedparser, as Debian packages it (6.0.10 on
 * bookworm). It lives in Debian's `/usr/bin/python3`, not in the pyenv `python3` first on the PATH.
 *
 * feedparser 6.0.10 reads RSS and Atom only: it has no JSON Feed parser (JSON gives `bozo` and no entries),
 * so `parseFeed` refuses JSON; check `feed.json` with `validateJsonFeed`.
 */
import { spawn, spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { probeOnce } from './skip.ts';

export const DEBIAN_PYTHON = '/usr/bin/python3';

export const FEEDPARSER_MISSING =
  'Debian feedparser not found: install it with  apt-get update && apt-get install -y python3-feedparser';

export const hasFeedparser: () => boolean = probeOnce(
  () => spawnSync(DEBIAN_PYTHON, ['-c', 'import feedparser'], { stdio: 'ignore' }).status === 0,
);

export interface FeedLink {
  readonly rel: string | null;
  readonly href: string | null;
  readonly type: string | null;
}

export interface FeedTextDetail {
  /** `text/plain` or `text/html` as feedparser understood the element. */
  readonly type: string | null;
  readonly value: string;
}

export interface FeedTag {
  readonly term: string | null;
  readonly scheme: string | null;
  readonly label: string | null;
}

export interface FeedEnclosure {
  readonly href: string | null;
  readonly type: string | null;
  readonly length: string | null;
}

export interface FeedPerson {
  readonly name: string | null;
  readonly email: string | null;
  readonly href: string | null;
}

export interface ParsedEntry {
  readonly title: string | null;
  readonly title_detail: FeedTextDetail | null;
  readonly link: string | null;
  readonly links: FeedLink[];
  readonly id: string | null;
  /** The date text as written. */
  readonly published: string | null;
  /** The date as feedparser understood it, ISO 8601 UTC (`2025-01-08T10:00:00Z`), null when it could not. */
  readonly published_parsed: string | null;
  readonly updated: string | null;
  readonly updated_parsed: string | null;
  readonly author: string | null;
  readonly author_detail: FeedPerson | null;
  readonly summary: string | null;
  readonly summary_detail: FeedTextDetail | null;
  readonly content: FeedTextDetail[];
  readonly tags: FeedTag[];
  readonly enclosures: FeedEnclosure[];
}

export interface ParsedFeed {
  /** True when the document is not well-formed (or feedparser found another problem). */
  readonly bozo: boolean;
  /** `ExceptionClass: message`, null when not bozo. */
  readonly bozo_exception: string | null;
  /** `rss20`, `atom10`, … ; empty when feedparser did not recognise a feed. */
  readonly version: string;
  readonly feed: {
    readonly title: string | null;
    readonly title_detail: FeedTextDetail | null;
    readonly subtitle: string | null;
    readonly id: string | null;
    readonly link: string | null;
    readonly links: FeedLink[];
    readonly language: string | null;
    readonly updated: string | null;
    readonly updated_parsed: string | null;
    readonly author: string | null;
    /** The channel's picture: RSS `<image>`, or the podcast cover (`itunes:image`). */
    readonly image: { readonly href: string | null } | null;
    /** Channel categories; Apple Podcasts' (`itunes:category`) have the scheme `http://www.itunes.com/`. */
    readonly tags: FeedTag[];
    /** `itunes:owner` (RSS) or the publisher. */
    readonly publisher_detail: FeedPerson | null;
    readonly itunes_type: string | null;
  };
  readonly entries: ParsedEntry[];
}

export interface ParseFeedOptions {
  /** Sent as the Content-Type header; feedparser flags non-XML types as bozo. */
  readonly contentType?: string;
  /** Sent as Content-Location: the base for relative URLs. */
  readonly baseUrl?: string;
}

// Reads the document from stdin as bytes so that feedparser does its own encoding detection.
const SCRIPT = `
import calendar, json, sys, time
import feedparser

opts = json.loads(sys.argv[1])
headers = {}
if opts.get('contentType'): headers['content-type'] = opts['contentType']
if opts.get('baseUrl'): headers['content-location'] = opts['baseUrl']
d = feedparser.parse(sys.stdin.buffer.read(), response_headers=headers)

def iso(t):
    return time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime(calendar.timegm(t))) if t else None

def detail(x):
    return {'type': x.get('type'), 'value': x.get('value', '')} if x else None

def links(x):
    return [{'rel': l.get('rel'), 'href': l.get('href'), 'type': l.get('type')} for l in x.get('links', [])]

def person(x):
    return {'name': x.get('name'), 'email': x.get('email'), 'href': x.get('href')} if x else None

f = d.feed
exc = d.get('bozo_exception')
out = {
    'bozo': bool(d.get('bozo')),
    'bozo_exception': '%s: %s' % (type(exc).__name__, exc) if exc is not None else None,
    'version': d.get('version') or '',
    'feed': {
        'title': f.get('title'), 'title_detail': detail(f.get('title_detail')), 'subtitle': f.get('subtitle'),
        'id': f.get('id'), 'link': f.get('link'), 'links': links(f), 'language': f.get('language'),
        'updated': f.get('updated'), 'updated_parsed': iso(f.get('updated_parsed')), 'author': f.get('author'),
        'image': {'href': f.image.get('href')} if f.get('image') else None,
        'tags': [{'term': t.get('term'), 'scheme': t.get('scheme'), 'label': t.get('label')} for t in f.get('tags', [])],
        'publisher_detail': person(f.get('publisher_detail')), 'itunes_type': f.get('itunes_type'),
    },
    'entries': [{
        'title': e.get('title'), 'title_detail': detail(e.get('title_detail')),
        'link': e.get('link'), 'links': links(e), 'id': e.get('id'),
        'published': e.get('published'), 'published_parsed': iso(e.get('published_parsed')),
        'updated': e.get('updated'), 'updated_parsed': iso(e.get('updated_parsed')),
        'author': e.get('author'), 'author_detail': person(e.get('author_detail')),
        'summary': e.get('summary'), 'summary_detail': detail(e.get('summary_detail')),
        'content': [detail(c) for c in e.get('content', [])],
        'tags': [{'term': t.get('term'), 'scheme': t.get('scheme'), 'label': t.get('label')} for t in e.get('tags', [])],
        'enclosures': [{'href': n.get('href'), 'type': n.get('type'), 'length': n.get('length')} for n in e.get('enclosures', [])],
    } for e in d.entries],
}
json.dump(out, sys.stdout)
`;

function looksLikeDocument(text: string): boolean {
  return /^\s*[<{[]/.test(text) || text.charCodeAt(0) === 0xfeff;
}

/**
 * Parses a feed with Debian's feedparser. `input` is the document (a string starting with `<`, or bytes)
 * or the path of a file holding it.
 */
export async function parseFeed(
  input: string | Uint8Array,
  options: ParseFeedOptions = {},
): Promise<ParsedFeed> {
  const bytes =
    typeof input !== 'string'
      ? input
      : looksLikeDocument(input)
        ? Buffer.from(input, 'utf8')
        : await readFile(input);
  const head = Buffer.from(bytes.subarray(0, 64))
    .toString('utf8')
    .replace(/^\uFEFF/, '');
  if (/^\s*[{[]/.test(head)) {
    throw new Error('parseFeed: feedparser 6.0.10 cannot read JSON Feed; check it with validateJsonFeed()');
  }
  const child = spawn(DEBIAN_PYTHON, ['-c', SCRIPT, JSON.stringify(options)], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  child.stdout.on('data', (c: Buffer) => stdout.push(c));
  child.stderr.on('data', (c: Buffer) => stderr.push(c));
  const done = new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  });
  // A failed interpreter closes stdin early; its exit code and stderr tell why.
  child.stdin.on('error', () => {});
  child.stdin.end(bytes);
  const code = await done;
  if (code !== 0) {
    throw new Error(`feedparser failed (exit ${code}): ${Buffer.concat(stderr).toString('utf8').trim()}`);
  }
  return JSON.parse(Buffer.concat(stdout).toString('utf8')) as ParsedFeed;
}
