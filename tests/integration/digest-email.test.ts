/**
 * digest.eml read by a real MIME parser: Python's `email` package (policy.default, which decodes
 * encoded words and records every defect it meets).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { planDigests } from '../../functions/core/digest/plan-digests.ts';
import { DIGEST_NOW, digestArticles, digestModel, withArticle } from '../fixtures/digests.ts';
import { baseConfig } from '../fixtures/site.ts';
import { missing } from '../helpers/skip.ts';

const PYTHON = ['/usr/bin/python3', 'python3'].find((p) => p === 'python3' || existsSync(p)) ?? 'python3';
const PYTHON_MISSING = 'python3 not found: install it with  apt-get install -y python3';
const hasPython = spawnSync(PYTHON, ['-c', 'import email'], { stdio: 'ignore' }).status === 0;

const PARSE = String.raw`
import email, email.policy, email.utils, json, sys
from html.parser import HTMLParser

class Urls(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls, self.tags = [], set()
    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        for name, value in attrs:
            if name in ('href', 'src'):
                self.urls.append(value)

raw = sys.stdin.buffer.read()
msg = email.message_from_bytes(raw, policy=email.policy.default)
parts = []
for part in msg.iter_parts():
    body = part.get_content()
    entry = {'type': part.get_content_type(), 'charset': part.get_content_charset(), 'body': body,
             'cte': part['Content-Transfer-Encoding'], 'defects': [str(d) for d in part.defects]}
    if part.get_content_type() == 'text/html':
        p = Urls(); p.feed(body); entry['urls'] = p.urls; entry['tags'] = sorted(p.tags)
    parts.append(entry)
raw_headers = raw.split(b'\r\n\r\n', 1)[0].decode('ascii')
from_ = msg['From']
print(json.dumps({
    'contentType': msg.get_content_type(),
    'isMultipart': msg.is_multipart(),
    'headerNames': [k for k, _ in msg.raw_items()],
    'rawHeaders': raw_headers,
    'subject': str(msg['Subject']),
    'fromName': from_.addresses[0].display_name,
    'fromAddress': from_.addresses[0].addr_spec,
    'fromCount': len(from_.addresses),
    'to': [a.addr_spec for a in msg['To'].addresses],
    'date': email.utils.parsedate_to_datetime(msg['Date']).isoformat(),
    'messageId': msg['Message-ID'],
    'listUnsubscribe': msg['List-Unsubscribe'],
    'listUnsubscribePost': msg['List-Unsubscribe-Post'],
    'mimeVersion': msg['MIME-Version'],
    'defects': [str(d) for d in msg.defects],
    'parts': parts,
}))
`;

interface ParsedPart {
  type: string;
  charset: string;
  body: string;
  cte: string;
  defects: string[];
  urls?: string[];
  tags?: string[];
}
interface ParsedEmail {
  contentType: string;
  isMultipart: boolean;
  headerNames: string[];
  rawHeaders: string;
  subject: string;
  fromName: string;
  fromAddress: string;
  fromCount: number;
  to: string[];
  date: string;
  messageId: string;
  listUnsubscribe: string;
  listUnsubscribePost: string;
  mimeVersion: string;
  defects: string[];
  parts: ParsedPart[];
}

function parseEml(eml: string): ParsedEmail {
  const result = spawnSync(PYTHON, ['-c', PARSE], { input: eml, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`python email parser failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as ParsedEmail;
}

const config = {
  ...baseConfig,
  title: 'Dépêches',
  author: { name: 'Zoë “Desk”', email: 'desk@example.com' },
};

function eml(model = digestModel(digestArticles(), config)): string {
  const plan = planDigests(model, DIGEST_NOW).find((p) => p.key === 'digests/2025-W03/digest.eml');
  if (!plan) throw new Error('no digest.eml planned');
  return plan.render();
}

describe.skipIf(missing(hasPython, PYTHON_MISSING))('digest.eml through Python’s email parser', () => {
  const parsed = parseEml(eml());

  it('is a defect-free multipart/alternative, text part first, then HTML, both UTF-8', () => {
    expect(parsed.defects).toEqual([]);
    expect(parsed.isMultipart).toBe(true);
    expect(parsed.contentType).toBe('multipart/alternative');
    expect(parsed.mimeVersion).toBe('1.0');
    expect(parsed.parts.map((p) => p.type)).toEqual(['text/plain', 'text/html']);
    for (const part of parsed.parts) {
      expect(part.charset).toBe('utf-8');
      expect(part.defects).toEqual([]);
    }
  });

  it('encodes the non-ASCII Subject and From, which decode to the originals', () => {
    expect(parsed.subject).toBe('Dépêches: Sunday notes (+1 more)');
    expect(parsed.fromName).toBe('Zoë “Desk”');
    expect(parsed.fromAddress).toBe('desk@example.com');
    expect(parsed.rawHeaders).toMatch(/^Subject: =\?UTF-8\?/m);
    expect(parsed.rawHeaders).toMatch(/^From: =\?UTF-8\?/m);
    // headers are pure ASCII on the wire
    expect(parsed.rawHeaders).toMatch(/^[\x20-\x7e\r\n\t]*$/);
  });

  it('has Date (the end of the period), Message-ID, and a valid To placeholder', () => {
    expect(new Date(parsed.date).toISOString()).toBe('2025-01-19T23:00:00.000Z');
    expect(parsed.messageId).toMatch(/^<digest-2025-W03\.[0-9a-f]{16}@broadsheet>$/);
    expect(parsed.to).toEqual(['subscriber@invalid']);
  });

  it('has List-Unsubscribe with an https URL and RFC 8058 one-click', () => {
    expect(parsed.listUnsubscribe).toBe('<https://news.example.com/digests/unsubscribe/>');
    expect(parsed.listUnsubscribePost).toBe('List-Unsubscribe=One-Click');
  });

  it('has an unsubscribe link in both parts', () => {
    const [text, html] = parsed.parts;
    expect(text?.body).toContain('https://news.example.com/digests/unsubscribe/');
    expect(html?.urls).toContain('https://news.example.com/digests/unsubscribe/');
  });

  it('the HTML part has no script and only absolute URLs; the text part has every title', () => {
    const [text, html] = parsed.parts;
    expect(html?.tags).not.toContain('script');
    expect(html?.urls?.length).toBeGreaterThan(5);
    for (const url of html?.urls ?? []) expect(url).toMatch(/^https:\/\/[^/]+\//);
    for (const title of ['Sunday notes', 'Élysée: a long week']) {
      expect(text?.body).toContain(title);
      expect(html?.body).toContain(title);
    }
  });

  it('the text part has no line for an image’s link, and no gap for an article with no summary', () => {
    // Élysée has a cover image; Sunday notes is given no text, so no summary.
    const [text] = parseEml(
      eml(withArticle(digestModel(digestArticles(), config), 1, { summaryText: '' })),
    ).parts;
    const body = text?.body.replace(/\r\n/g, '\n') ?? '';
    expect(body).toContain('Élysée: a long week <https://news.example.com/posts/mon/>');
    // A link is written `text <url>`: a line with a URL alone is a link with no text (the image's).
    expect(body).not.toMatch(/^https?:\/\/\S+$/m);
    expect(body).not.toMatch(/\n\n\n/);
  });

  it('no title with CR/LF or author name with <, >, " adds or changes a header', () => {
    // The site's author name becomes the From display name: it must stay one quoted name.
    const evilName = 'Eve <eve@evil.example>, "Mallory" <m@evil.example>\r\nCc: x@evil.example';
    const base = digestModel(digestArticles(), {
      ...config,
      author: { name: evilName, email: 'desk@example.com' },
    });
    const hostile = withArticle(
      withArticle(base, 1, { title: 'Hi\r\nBcc: victim@example.com\r\nX-Evil: 1' }),
      2,
      { author: { name: 'Eve <eve@evil.example>, "Mallory" <m@evil.example>' } },
    );
    const result = parseEml(eml(hostile));
    expect(result.defects).toEqual([]);
    expect(result.headerNames).toEqual(parsed.headerNames);
    expect(result.fromCount).toBe(1);
    expect(result.fromAddress).toBe('desk@example.com');
    expect(result.fromName).toBe(evilName.replace('\r\n', ' '));
    expect(result.to).toEqual(['subscriber@invalid']);
    expect(result.subject).toBe('Dépêches: Hi Bcc: victim@example.com X-Evil: 1 (+1 more)');
    expect(result.parts.map((p) => p.type)).toEqual(['text/plain', 'text/html']);
  });
});
