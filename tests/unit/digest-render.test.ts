import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addressDigestEmail,
  composeDigestEmail,
  composeDigestEmailWithStreams,
  type DigestEmail,
} from '../../functions/core/digest/compose-digest-email.ts';
import { buildDigests, PLACEHOLDER_RECIPIENT } from '../../functions/core/digest/digest-model.ts';
import { planDigests } from '../../functions/core/digest/plan-digests.ts';
import { enclosureLabel, renderDigestHtml } from '../../functions/core/digest/render-digest-html.ts';
import { renderDigestText } from '../../functions/core/digest/render-digest-text.ts';
import { planSite } from '../../functions/core/render-site.ts';
import { parseSiteConfig } from '../../functions/core/site-config.ts';
import { markdownArticle } from '../fixtures/articles.ts';
import { DIGEST_NOW, digestArticles, digestModel, withArticle } from '../fixtures/digests.ts';
import { baseConfig, parsed } from '../fixtures/site.ts';

/** Renders every digest output into a key → body map. */
function renderAll(model = digestModel(), now = DIGEST_NOW): Map<string, string> {
  return new Map(planDigests(model, now).map((p) => [p.key, p.render()]));
}

/** The header block of a message, unfolded: [name, value] in order. */
function headerFields(eml: string): [string, string][] {
  const block = eml.slice(0, eml.indexOf('\r\n\r\n'));
  return block
    .replace(/\r\n[ \t]/g, ' ')
    .split('\r\n')
    .map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1).trim()]);
}

const EXPECTED_HEADERS = [
  'List-Unsubscribe',
  'List-Unsubscribe-Post',
  'From',
  'To',
  'Subject',
  'Message-ID',
  'Date',
  'MIME-Version',
  'Content-Type',
];

describe('planDigests', () => {
  it('plans three files per finished period, latest/, the index, the unsubscribe page and a feed', () => {
    const keys = planDigests(digestModel(), DIGEST_NOW).map((p) => p.key);
    expect(keys).toEqual([
      'digests/2025-W03/index.html',
      'digests/2025-W03/digest.txt',
      'digests/2025-W03/digest.eml',
      'digests/2025-W02/index.html',
      'digests/2025-W02/digest.txt',
      'digests/2025-W02/digest.eml',
      'digests/latest/index.html',
      'digests/latest/digest.txt',
      'digests/latest/digest.eml',
      'digests/index.html',
      'digests/unsubscribe/index.html',
      'digests/rss.xml',
      'digests/atom.xml',
      'digests/feed.json',
    ]);
  });

  it('lists exactly the articles each output shows, newest first, never with their HTML', () => {
    const plans = planDigests(digestModel(), DIGEST_NOW);
    const titles = (key: string) => plans.find((p) => p.key === key)?.articles.map((a) => a.title);
    expect(titles('digests/2025-W03/digest.eml')).toEqual(['Sunday notes', 'Élysée: a long week']);
    expect(titles('digests/2025-W02/index.html')).toEqual(['Summit in Paris', 'Talks resume']);
    expect(titles('digests/latest/digest.txt')).toEqual(['Sunday notes', 'Élysée: a long week']);
    expect(titles('digests/rss.xml')).not.toContain('Still this week');
    expect(plans.every((p) => p.withHtml === false && p.phase === 'index')).toBe(true);
  });

  it('makes no digest for an unfinished period, nor for an empty one', () => {
    const keys = [...renderAll().keys()];
    expect(keys.some((k) => k.includes('2025-W04'))).toBe(false);
    expect(keys.some((k) => k.includes('2025-W01'))).toBe(false);
    // One second before W02 ends (Monday 00:00 in Paris), nothing is finished.
    expect(planDigests(digestModel(), new Date('2025-01-12T22:59:59Z'))).toEqual([]);
    expect(planDigests(digestModel([]), DIGEST_NOW)).toEqual([]);
  });

  it('is planned by planSite only when it is given now', () => {
    const model = digestModel();
    expect(planSite(model).some((p) => p.key.startsWith('digests/'))).toBe(false);
    expect(planSite(model, DIGEST_NOW).filter((p) => p.key.startsWith('digests/'))).toHaveLength(14);
  });

  it('is byte-stable: rendering twice, or later in the same period, gives the same bytes', () => {
    const first = renderAll();
    expect(renderAll()).toEqual(first);
    expect(renderAll(digestModel(), new Date('2025-01-26T22:59:59Z'))).toEqual(first);
  });

  it('a new article in the current period changes no digest file', () => {
    const extra = parsed(
      '2025-01-24-fri.md',
      markdownArticle({ title: 'Friday', date: '2025-01-24T10:00:00' }),
    );
    expect(renderAll(digestModel([...digestArticles(), extra]))).toEqual(renderAll());
  });

  it('a late article of a finished period updates that digest and latest/', () => {
    const late = parsed(
      '2025-01-15-late.md',
      markdownArticle({ title: 'Late entry', date: '2025-01-15T10:00:00' }),
    );
    const before = renderAll();
    const after = renderAll(digestModel([...digestArticles(), late]));
    expect(after.get('digests/2025-W03/index.html')).toContain('Late entry');
    expect(after.get('digests/latest/digest.txt')).toContain('Late entry');
    expect(after.get('digests/2025-W02/digest.eml')).toBe(before.get('digests/2025-W02/digest.eml'));
  });

  it('follows the cadence of site.yaml', () => {
    const daily = { ...baseConfig, digest: { cadence: 'daily' as const } };
    const keys = planDigests(digestModel(digestArticles(), daily), DIGEST_NOW).map((p) => p.key);
    expect(keys).toContain('digests/2025-01-19/digest.eml');
    expect(keys).toContain('digests/2025-01-07/index.html');
    const monthly = { ...baseConfig, digest: { cadence: 'monthly' as const } };
    expect(planDigests(digestModel(digestArticles(), monthly), DIGEST_NOW)).toEqual([]);
    expect(
      planDigests(digestModel(digestArticles(), monthly), new Date('2025-02-01T00:00:00Z')).map((p) => p.key),
    ).toContain('digests/2025-01/digest.eml');
  });

  it('the digest feeds are well formed and carry one item per digest', () => {
    const all = renderAll();
    const json = JSON.parse(all.get('digests/feed.json') ?? '') as { items: { id: string; url: string }[] };
    expect(json.items.map((i) => i.id)).toEqual([
      'https://news.example.com/digests/2025-W03/',
      'https://news.example.com/digests/2025-W02/',
    ]);
    expect(all.get('digests/atom.xml')).toContain('<id>https://news.example.com/digests/2025-W03/</id>');
    expect(all.get('digests/rss.xml')).toContain('https://news.example.com/digests/2025-W02/');
  });
});

describe('the digest HTML', () => {
  const all = renderAll();
  const web = all.get('digests/2025-W03/index.html') ?? '';
  const model = digestModel();
  const digest = buildDigests(model, DIGEST_NOW)[0];
  if (!digest) throw new Error('fixture has no digest');
  const email = renderDigestHtml(model, digest, 'email');

  it('shows each article: title, author, date, summary, image, link', () => {
    expect(email).toContain('Élysée: a long week');
    expect(email).toContain('Zoë Durand');
    expect(email).toContain('13 January 2025');
    expect(email).toContain('src="https://news.example.com/posts/mon/cover.jpg"');
    expect(email).toContain('href="https://news.example.com/posts/sun/"');
    expect(email.indexOf('Sunday notes')).toBeLessThan(email.indexOf('Élysée'));
  });

  it('is a table layout with inlined CSS, 600 px wide and fluid, with a hidden preheader', () => {
    expect(email).toMatch(
      /<table role="presentation" class="container" dir="ltr" width="100%"[^>]*style="[^"]*max-width: 600px/,
    );
    expect(email).toMatch(/<div class="preheader" style="display:none;/);
    expect(email).toMatch(/<p class="summary" style="[^"]*font-size: 17px/);
    // What stays in <style> is the phone media query only.
    const styles = [...email.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => m[1]?.trim());
    expect(styles).toHaveLength(1);
    expect(styles[0]).toMatch(/^@media only screen and \(max-width:620px\)/);
  });

  it('has no script and only absolute URLs', () => {
    for (const html of [email, web]) {
      expect(html).not.toMatch(/<script|javascript:|\son\w+=/i);
      const urls = [...html.matchAll(/\s(?:href|src)="([^"]*)"/g)].map((m) => m[1] ?? '');
      expect(urls.length).toBeGreaterThan(5);
      for (const url of urls) expect(url).toMatch(/^https:\/\//);
    }
  });

  it('links the web version from the email, and the web version to itself as canonical', () => {
    expect(email).toContain('href="https://news.example.com/digests/2025-W03/"');
    expect(email).toContain('View in your browser');
    expect(web).not.toContain('View in your browser');
    expect(web).toContain('<link rel="canonical" href="https://news.example.com/digests/2025-W03/">');
    expect(all.get('digests/latest/index.html')).toBe(web);
  });

  it('gives the web page one <h1>, the period, on the line the email shows as a paragraph', () => {
    expect(web.match(/<h1[\s>]/g)).toHaveLength(1);
    expect(web).toMatch(
      /<div class="label"[^>]*><h1 class="period" style="[^"]*display: inline[^"]*">Week of 13 January 2025<\/h1> · 2 articles<\/div>/,
    );
    expect(all.get('digests/latest/index.html')?.match(/<h1[\s>]/g)).toHaveLength(1);
    expect(email).not.toContain('<h1');
    expect(email).toMatch(/<p class="label"[^>]*>Week of 13 January 2025 · 2 articles · <a /);
  });

  it('has an unsubscribe link in the HTML and in the text', () => {
    const text = renderDigestText(email);
    expect(email).toContain('href="https://news.example.com/digests/unsubscribe/"');
    expect(text).toContain('<https://news.example.com/digests/unsubscribe/>');
    expect(all.get('digests/2025-W03/digest.txt')).toBe(text);
  });

  it('the text is converted from the HTML: titles and links, no markup, no preheader', () => {
    const text = renderDigestText(email);
    expect(text).toContain('Sunday notes <https://news.example.com/posts/sun/>');
    expect(text).toContain('Élysée: a long week');
    expect(text).not.toMatch(/<\/?[a-z]+[ >]/i);
    expect(text).not.toContain('\u034f');
  });

  it('gives no paragraph for a missing summary, and the text no gap and no bare link for an image', () => {
    const noText = withArticle(model, 1, { summaryText: '' });
    const d = buildDigests(noText, DIGEST_NOW)[0];
    if (!d) throw new Error('no digest');
    const html = renderDigestHtml(noText, d, 'email');
    expect(html).not.toMatch(/<p class="summary"[^>]*><\/p>/);
    const text = renderDigestText(html);
    expect(text).not.toMatch(/\n\n\n/);
    expect(text).not.toMatch(/^https?:\/\/\S+$/m);
  });

  it('shows a cover no wider than it is (at most the column), and one of unknown size never stretched', () => {
    const imgOf = (patch: Record<string, unknown>) => {
      const m = withArticle(model, 2, patch);
      const d = buildDigests(m, DIGEST_NOW)[0];
      if (!d) throw new Error('no digest');
      return /<img [^>]*>/.exec(renderDigestHtml(m, d, 'email'))?.[0] ?? '';
    };
    // A 256 px square in the content: its own size, shrinking on a narrow screen, never stretched.
    const small = imgOf({ imageWidth: 256, imageHeight: 256 });
    expect(small).toMatch(/ width="256" height="256" /);
    expect(small).toMatch(/style="[^"]*width: 100%;[^"]*max-width: 256px;/);
    // A wide one: the column's width, its height in proportion.
    expect(imgOf({ imageWidth: 2000, imageHeight: 1000 })).toMatch(/ width="552" height="276" /);
    // Unknown (a URL): its own width up to the column's in clients that read CSS; Outlook takes the attribute.
    const unknown = imgOf({});
    expect(unknown).toMatch(/ width="552" /);
    expect(unknown).toMatch(/style="[^"]*width: auto; max-width: 100%;/);
    expect(unknown).not.toMatch(/ height=/);
    for (const img of [small, unknown]) expect(img).not.toMatch(/="auto"|width: 100%; max-width: 552px/);
  });

  it('links an enclosure with what it does and its size, in the HTML and in the text', () => {
    const url = 'https://news.example.com/posts/sun/episode.mp3';
    const withEpisode = withArticle(model, 1, {
      enclosureUrl: url,
      enclosureType: 'audio/mpeg',
      enclosureLength: 3_250_000,
    });
    const d = buildDigests(withEpisode, DIGEST_NOW)[0];
    if (!d) throw new Error('no digest');
    const html = renderDigestHtml(withEpisode, d, 'email');
    expect(html).toMatch(
      new RegExp(`<p class="enclosure"[^>]*><a href="${url}"[^>]*>Listen \\(3\\.1 MB\\)</a></p>`),
    );
    expect(renderDigestText(html)).toContain(`Listen (3.1 MB) <${url}>`);
    expect(email).not.toContain('class="enclosure"');
    expect(enclosureLabel('video/mp4', undefined)).toBe('Watch');
    expect(enclosureLabel('application/pdf', 2048)).toBe('Download (2 KB)');
    expect(enclosureLabel('audio/mpeg', 5000, '42:10')).toBe('Listen (5 KB, 42:10)');
    // Whole seconds read as a running time.
    expect(enclosureLabel('audio/mpeg', undefined, '3790')).toBe('Listen (1:03:10)');
    expect(enclosureLabel('video/mp4', undefined, '59')).toBe('Watch (0:59)');
  });

  it('escapes article text', () => {
    const evil = withArticle(model, 1, {
      title: '<img src=x onerror=alert(1)>',
      summaryText: '</p><script>x</script>',
    });
    const d = buildDigests(evil, DIGEST_NOW)[0];
    if (!d) throw new Error('no digest');
    const html = renderDigestHtml(evil, d, 'email');
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });
});

describe('digest.eml', () => {
  const eml = renderAll().get('digests/2025-W03/digest.eml') ?? '';

  it('is multipart/alternative with fixed Date and Message-ID derived from the period', () => {
    const fields = headerFields(eml);
    expect(fields.map(([k]) => k)).toEqual(EXPECTED_HEADERS);
    const get = (name: string) => fields.find(([k]) => k === name)?.[1];
    expect(get('Date')).toBe('Sun, 19 Jan 2025 23:00:00 +0000');
    expect(get('Message-ID')).toMatch(/^<digest-2025-W03\.[0-9a-f]{16}@broadsheet>$/);
    expect(get('To')).toBe('Subscriber <subscriber@invalid>');
    expect(get('From')).toBe('The Desk <desk@example.com>');
    expect(get('List-Unsubscribe')).toBe('<https://news.example.com/digests/unsubscribe/>');
    expect(get('List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    expect(get('Content-Type')).toMatch(/^multipart\/alternative; boundary="--_NmP-[0-9a-f]{24}-Part_1"$/);
    expect(eml).not.toMatch(/^X-Mailer:/im);
    // every line CRLF-terminated, none over 998 octets
    expect(eml.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    for (const line of eml.split('\r\n')) expect(line.length).toBeLessThanOrEqual(998);
  });

  it('takes From from digest.from in site.yaml when set', () => {
    const config = parseSiteConfig(
      'title: Dispatch\ndigest:\n  cadence: weekly\n  from: { name: Dispatch Digest, email: digest@example.com }\n',
    );
    const model = digestModel(digestArticles(), { ...config, timeZone: 'Europe/Paris' });
    const from = headerFields(renderAll(model).get('digests/2025-W03/digest.eml') ?? '').find(
      ([k]) => k === 'From',
    );
    expect(from?.[1]).toBe('Dispatch Digest <digest@example.com>');
  });

  it('takes digest.from written as a bare address, with the site title as its name', () => {
    const config = parseSiteConfig('title: Dispatch\ndigest:\n  from: digest@example.com\n');
    const model = digestModel(digestArticles(), { ...config, timeZone: 'Europe/Paris' });
    const from = headerFields(renderAll(model).get('digests/2025-W03/digest.eml') ?? '').find(
      ([k]) => k === 'From',
    );
    expect(from?.[1]).toBe('Dispatch <digest@example.com>');
    expect(() => parseSiteConfig('digest:\n  from: the desk\n')).toThrow(
      'site.yaml:2: digest.from: must be an email address, or a name and an email (write an address (from: desk@example.com)',
    );
  });

  it('matches nodemailer’s own stream serialiser byte for byte', async () => {
    const model = digestModel();
    for (const digest of buildDigests(model, DIGEST_NOW)) {
      const html = renderDigestHtml(model, digest, 'email');
      const email: DigestEmail = {
        subject: digest.subject,
        from: digest.from,
        to: PLACEHOLDER_RECIPIENT,
        date: digest.date,
        messageId: digest.messageId,
        unsubscribeUrl: digest.unsubscribeUrl,
        text: renderDigestText(html),
        html,
      };
      expect(composeDigestEmail(email)).toBe(await composeDigestEmailWithStreams(email));
    }
  });

  it('matches it for any text too (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit: 'binary', maxLength: 400 }),
        fc.string({ unit: 'grapheme', maxLength: 200 }),
        async (text, subject) => {
          const email: DigestEmail = {
            subject,
            from: { name: subject, address: 'desk@example.com' },
            to: PLACEHOLDER_RECIPIENT,
            date: new Date('2025-01-01T00:00:00Z'),
            messageId: '<x@broadsheet>',
            unsubscribeUrl: 'https://news.example.com/digests/unsubscribe/',
            text,
            html: `<p>${text}</p>`,
          };
          expect(composeDigestEmail(email)).toBe(await composeDigestEmailWithStreams(email));
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('header injection', () => {
  const attacks = [
    'Hello\r\nBcc: victim@example.com',
    'Hello\nSubject: other',
    'Hello\u2028Bcc: x@example.com',
    'A "quoted" <evil@example.com>, name',
  ];

  it('no article title can add or change a header', () => {
    for (const title of attacks) {
      const model = withArticle(digestModel(), 1, { title });
      const eml = renderAll(model).get('digests/2025-W03/digest.eml') ?? '';
      expect(headerFields(eml).map(([k]) => k)).toEqual(EXPECTED_HEADERS);
      expect(eml.slice(0, eml.indexOf('\r\n\r\n'))).not.toMatch(/^(Bcc|Cc):/im);
    }
  });

  it('no author name or site title can either', () => {
    for (const name of [...attacks, 'Evil <x@y> "q"']) {
      const config = { ...baseConfig, title: name, author: { name, email: 'desk@example.com' } };
      const model = withArticle(digestModel(digestArticles(), config), 1, { author: { name } });
      const eml = renderAll(model).get('digests/2025-W03/digest.eml') ?? '';
      const fields = headerFields(eml);
      expect(fields.map(([k]) => k)).toEqual(EXPECTED_HEADERS);
      const from = fields.find(([k]) => k === 'From')?.[1] ?? '';
      // one mailbox, the configured address, the name quoted or encoded
      expect(from.match(/<[^>]*>\s*$/)?.[0]).toBe('<desk@example.com>');
      expect(from.match(/@/g)?.length ?? 0).toBeLessThanOrEqual(/@/.test(name) ? 2 : 1);
    }
  });

  it('addressing a stored message replaces From/To, drops our List-Unsubscribe pair, keeps the body', () => {
    const eml = renderAll().get('digests/2025-W03/digest.eml') ?? '';
    const sent = addressDigestEmail(eml, { from: 'Dispatch <news@example.com>', to: 'reader@example.org' });
    const fields = headerFields(sent);
    expect(fields.map(([k]) => k)).toEqual(EXPECTED_HEADERS.filter((k) => !k.startsWith('List-Unsubscribe')));
    expect(fields[0]?.[1]).toBe('Dispatch <news@example.com>');
    expect(fields[1]?.[1]).toBe('reader@example.org');
    expect(sent.slice(sent.indexOf('\r\n\r\n'))).toBe(eml.slice(eml.indexOf('\r\n\r\n')));
    expect(() => addressDigestEmail(eml, { from: 'a@b.c', to: 'x@y.z\r\nBcc: v@w.x' })).toThrow(/line break/);
  });
});
