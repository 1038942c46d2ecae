/** The words the site writes itself follow its language, and site.yaml's `labels:` overrides any of them. */
import { describe, expect, it } from 'vitest';
import { periodLabel, periodOf } from '../../functions/core/digest/periods.ts';
import {
  BUILT_IN_LABELS,
  builtInLabels,
  ENGLISH_LABELS,
  fillLabel,
  LABEL_KEYS,
  labelHtml,
  labelsOf,
  placeholdersOf,
} from '../../functions/core/labels.ts';
import type { ConfigError } from '../../functions/core/problems.ts';
import { parseSiteConfig } from '../../functions/core/site-config.ts';
import { markdownArticle } from '../fixtures/articles.ts';
import { MemorySource, MemoryStore, memoryRuns } from '../fixtures/memory.ts';

/** A site in `language` whose articles hold no English, so any English on a page is the site's own. */
function frenchContent(siteYaml: string): MemorySource {
  return new MemorySource({
    'site.yaml': siteYaml,
    '2025-01-06-sommet.md': markdownArticle(
      {
        title: 'Le sommet de Paris',
        date: '2025-01-06T09:00:00Z',
        updated: '2025-01-08T09:00:00Z',
        tags: '[diplomatie, europe]',
        aliases: '[/ancien/sommet/]',
        enclosure: 'entretien.mp3',
      },
      'Les ministres se retrouvent à Paris.\n',
    ),
    '2025-01-07-suite.md': markdownArticle(
      { title: 'La suite', date: '2025-01-07T09:00:00Z', tags: '[europe]' },
      'Deuxième jour de rencontres.\n',
    ),
    '2025-01-14-bilan.md': markdownArticle(
      { title: 'Le bilan', date: '2025-01-14T09:00:00Z', tags: '[europe]' },
      'Ce qu’il faut retenir.\n',
    ),
    'entretien.mp3': 'ID3',
  });
}

/**
 * What a reader reads of a file: its text and the attributes said or shown (`aria-label`, `title`, OPML's
 * `text`…), without markup (`class="feeds"`, `<updated>`, style sheets) or addresses (`/digests/`, `List-Unsubscribe`).
 */
function wordsOf(key: string, text: string): string {
  const body = key.endsWith('.eml') ? decodeMessage(text) : text;
  return body
    .replace(/<(style|script)\b[^>]*>[\s\S]*?<\/\1>/g, '')
    .replace(/<[^>]*>/g, (tag) =>
      [...tag.matchAll(/\b(?:aria-label|title|text|description|alt)="([^"]*)"/g)].map((m) => m[1]).join(' '),
    )
    .replace(/https?:\/\/[^\s"<>]*/g, '');
}

/** The parts of a MIME message as text: quoted-printable and base64 decoded, headers but List-* dropped. */
function decodeMessage(raw: string): string {
  const unfolded = raw.replace(/=\r?\n/g, '');
  const qp = unfolded.replace(/(?:=[0-9A-F]{2})+/g, (run) =>
    Buffer.from(run.replaceAll('=', ''), 'hex').toString('utf8'),
  );
  const base64 = [...raw.matchAll(/base64\r?\n\r?\n([A-Za-z0-9+/=\r\n]+)/g)].map((m) =>
    Buffer.from((m[1] as string).replace(/\s/g, ''), 'base64').toString('utf8'),
  );
  return [qp, ...base64].join('\n').replace(/^List-Unsubscribe.*$/gm, '');
}

/** The English words of every label French writes otherwise: none may be left on a French site. */
const englishLeftovers = LABEL_KEYS.flatMap((key) => {
  const french = BUILT_IN_LABELS.fr?.[key] ?? '';
  return ENGLISH_LABELS[key]
    .split(/\{[A-Za-z]+\}/)
    .map((piece) => piece.replace(/^[\s:,.(+]+|[\s:,.)]+$/g, ''))
    .filter((piece) => piece.length >= 4 && !french.includes(piece))
    .map((piece) => ({ key, piece }));
});

describe('the site language picks the words', () => {
  it('by its primary subtag, in any letter case, and English for a language with no table', () => {
    expect(builtInLabels('fr-CA').readArticle).toBe('Lire l’article');
    expect(builtInLabels('FR').readArticle).toBe('Lire l’article');
    expect(builtInLabels('de-AT').readArticle).toBe('Artikel lesen');
    expect(builtInLabels('pt-BR').readArticle).toBe('Ler o artigo');
    expect(builtInLabels('ja')).toBe(ENGLISH_LABELS);
    expect(builtInLabels('zh-Hant-TW')).toBe(ENGLISH_LABELS);
    expect(builtInLabels('en-GB')).toBe(ENGLISH_LABELS);
  });

  it('has every word in every table, none empty, with the values the English one fills', () => {
    expect(Object.keys(BUILT_IN_LABELS).sort()).toEqual(['de', 'en', 'es', 'fr', 'it', 'nl', 'pt']);
    for (const [language, table] of Object.entries(BUILT_IN_LABELS)) {
      expect(Object.keys(table).sort(), language).toEqual([...LABEL_KEYS].sort());
      for (const key of LABEL_KEYS) {
        expect(table[key].trim(), `${language} ${key}`).not.toBe('');
        expect(placeholdersOf(table[key]).sort(), `${language} ${key}`).toEqual(
          placeholdersOf(ENGLISH_LABELS[key]).sort(),
        );
      }
    }
  });

  it('names a week in the language: "Semaine du 6 janvier 2025", or in the words site.yaml gives', () => {
    const week = periodOf(new Date('2025-01-08T12:00:00Z'), 'weekly', 'Europe/Paris');
    expect(periodLabel(week, 'fr', 'Europe/Paris')).toBe('Semaine du 6 janvier 2025');
    expect(periodLabel(week, 'de-CH', 'Europe/Paris')).toBe('Woche vom 6. Januar 2025');
    expect(periodLabel(week, 'ja', 'Europe/Paris')).toBe('Week of 2025年1月6日');
    const { weekOf } = labelsOf(parseSiteConfig('language: fr\nlabels:\n  weekOf: "Semaine {date}"\n'));
    expect(periodLabel(week, 'fr', 'Europe/Paris', weekOf)).toBe('Semaine 6 janvier 2025');
  });

  it('fills a label in one pass, and escapes its own text but not the HTML given for its values', () => {
    expect(fillLabel('{tag} on {site}', { tag: '{site}', site: 'Dispatch' })).toBe('{site} on Dispatch');
    expect(labelHtml('Fish & <chips> "{site}"', { site: '<b>D</b>' })).toBe(
      'Fish &amp; &lt;chips&gt; &quot;<b>D</b>&quot;',
    );
    // An apostrophe stays one, as English pages always wrote it.
    expect(labelHtml("the site's feed list")).toBe("the site's feed list");
  });
});

describe('a French site', () => {
  it('writes French on its pages, feeds and digests, and none of the English words', async () => {
    const store = new MemoryStore();
    const report = await memoryRuns(
      frenchContent('title: Dépêches\nlanguage: fr-CA\npageSize: 1\n'),
      store,
    )();
    expect(report.skipped).toEqual([]);
    const page = (key: string) => store.text(key);

    expect(page('index.html')).toContain('>Thèmes</a>');
    expect(page('index.html')).toContain('Articles plus anciens <span aria-hidden="true">→</span>');
    expect(page('index.html')).toContain('aria-label="S’abonner"');
    expect(page('page/1/index.html')).toContain('<h1>Articles plus anciens</h1>');
    expect(page('page/1/index.html')).toContain('<title>Articles plus anciens, page 1 · Dépêches</title>');
    expect(page('page/2/index.html')).toMatch(/Page 2\u00a0: du <time[^>]*>7 janvier 2025<\/time> au/);
    expect(page('posts/sommet/index.html')).toContain(' · mis à jour le <time');
    expect(page('posts/sommet/index.html')).toContain('<ul class="tags" aria-label="Mots-clés">');
    expect(page('tags/index.html')).toContain('<h1>Thèmes</h1>');
    expect(page('tags/index.html')).toContain('europe</a> <span class="meta">3 articles');
    expect(page('tags/index.html')).toContain('diplomatie</a> <span class="meta">1 article ·');
    expect(page('tags/index.html')).toContain('la liste des flux du site (OPML)</a> dans votre lecteur');
    expect(page('tags/europe/index.html')).toContain('Suivre ce thème\u00a0: <a');
    expect(page('tags/europe/page/1/index.html')).toContain('<h1>europe\u00a0: articles plus anciens</h1>');
    expect(page('404.html')).toContain('<h1>Page introuvable</h1>');
    expect(page('404.html')).toContain('Les derniers articles de Dépêches</a>');
    expect(page('ancien/sommet/index.html')).toContain('Cet article se trouve désormais à l’adresse <a');
    expect(page('tags/europe/rss.xml')).toContain('Articles du thème «\u00a0europe\u00a0» sur Dépêches');
    expect(page('feeds.opml')).toContain('<title>Flux de Dépêches</title>');
    expect(page('feed.css')).toContain('content:"Ceci est un flux web.');

    const week = 'digests/2025-W02/';
    expect(page(`${week}index.html`)).toMatch(/>Semaine du 6 janvier 2025<\/h1> · 2 articles/);
    expect(page(`${week}index.html`)).toContain('>Lire l’article</a>');
    expect(page(`${week}index.html`)).toContain('>Se désabonner</a>');
    expect(page(`${week}index.html`)).toContain('>Écouter (1 KB)</a>');
    expect(page(`${week}digest.txt`)).toContain(
      'Semaine du 6 janvier 2025 · 2 articles · Voir la version en ligne',
    );
    expect(page(`${week}digest.txt`)).toContain(
      'Vous recevez ce résumé parce que vous êtes abonné à Dépêches.',
    );
    const message = decodeMessage(page(`${week}digest.eml`));
    expect(page(`${week}digest.eml`)).toContain('To: =?UTF-8?Q?Abonn=C3=A9?= <subscriber@invalid>');
    expect(message).toContain('<title>Dépêches: La suite (+1 autre)</title>');
    expect(message).toContain('Semaine du 6 janvier 2025 · 2 articles');
    expect(message).toContain('>Lire l’article</a>');
    expect(page('digests/index.html')).toContain('Dépêches en résumé hebdomadaire\u00a0: tous les articles');
    expect(page('digests/unsubscribe/index.html')).toContain('<h1>Se désabonner</h1>');

    const leftovers = [...store.publicObjects().keys()]
      .filter((key) => /\.(html|txt|eml|xml|json|opml|css)$/.test(key))
      .flatMap((key) => {
        const words = wordsOf(key, page(key));
        return englishLeftovers.filter(({ piece }) => words.includes(piece)).map((l) => `${key}: ${l.piece}`);
      });
    expect(leftovers).toEqual([]);
  });

  it('takes site.yaml’s own words over the built-in ones, in pages and digests', async () => {
    const store = new MemoryStore();
    const yaml =
      'title: Dépêches\nlanguage: fr\nlabels:\n  readArticle: Lire la suite\n  topics: Rubriques\n  weekOf: "Semaine {date}"\n';
    await memoryRuns(frenchContent(yaml), store)();
    expect(store.text('index.html')).toContain('>Rubriques</a>');
    expect(store.text('tags/index.html')).toContain('<h1>Rubriques</h1>');
    expect(store.text('digests/2025-W02/index.html')).toContain('>Lire la suite</a>');
    expect(store.text('digests/2025-W02/index.html')).toMatch(/>Semaine 6 janvier 2025<\/h1>/);
    // The words it does not override stay French.
    expect(store.text('digests/2025-W02/index.html')).toContain('>Se désabonner</a>');
  });
});

describe('a site in a language with no table', () => {
  it('writes the English words, dates in its own language', async () => {
    const store = new MemoryStore();
    await memoryRuns(frenchContent('title: 速報\nlanguage: ja\n'), store)();
    expect(store.text('index.html')).toContain('>Topics</a>');
    expect(store.text('digests/2025-W02/index.html')).toContain('>Read the article</a>');
    expect(store.text('digests/2025-W02/index.html')).toMatch(/>Week of 2025年1月6日<\/h1>/);
    expect(store.text('404.html')).toContain('<h1>Page not found</h1>');
  });
});

describe('site.yaml labels', () => {
  const problems = (yaml: string) => {
    try {
      parseSiteConfig(yaml);
    } catch (error) {
      return (error as ConfigError).problems;
    }
    throw new Error('no config error');
  };

  it('refuses an unknown word, naming the file, the key, the word meant and the fix', () => {
    expect(problems('title: X\nlabels:\n  redArticle: Lire la suite\n')).toEqual([
      {
        file: 'site.yaml',
        line: 3,
        message: 'labels: unknown key "redArticle"',
        fix: expect.stringMatching(
          /^did you mean readArticle\? Rename it, or remove it \(labels: known keys: .*topics/,
        ),
      },
    ]);
    expect(() => parseSiteConfig('labels:\n  readArticle: Lire la suite\n  Topics: Rubriques\n')).toThrow(
      'site.yaml:3: labels: unknown key "Topics" (did you mean topics?',
    );
  });

  it('refuses a value the word does not have, and an empty or non-text word', () => {
    expect(problems('labels:\n  weekOf: "Semaine du {dat}"\n')).toEqual([
      {
        file: 'site.yaml',
        line: 2,
        message: 'labels.weekOf: {dat} is not a value this label has (it has {date})',
        fix: 'write the words with {date} where the value goes, such as weekOf: "Week of {date}"',
      },
    ]);
    expect(() => parseSiteConfig('labels:\n  topics: ""\n')).toThrow('labels.topics: must not be empty');
    expect(() => parseSiteConfig('labels:\n  topics: [a]\n')).toThrow('labels.topics: must be text');
  });

  it('is kept as written, so a site without it has the configuration (and fingerprints) it had', () => {
    expect(parseSiteConfig('language: fr\n')).not.toHaveProperty('labels');
    expect(parseSiteConfig('labels:\n  topics: Rubriques\n').labels).toEqual({ topics: 'Rubriques' });
  });
});

describe('a changed label or language in site.yaml', () => {
  const english = (labels = '') => `title: Dispatch\nlanguage: en\n${labels}`;

  /** The public bytes of a build from nothing: what the site must be after any run over this content. */
  async function fromScratch(source: MemorySource): Promise<Map<string, Uint8Array>> {
    const store = new MemoryStore();
    await memoryRuns(source, store)(undefined, store, undefined);
    return store.publicObjects();
  }

  it('re-renders every page and digest that shows it, in a warm process and in a cold one', async () => {
    const source = frenchContent(english());
    const store = new MemoryStore();
    const run = memoryRuns(source, store);
    await run();
    expect(store.text('index.html')).toContain('>Topics</a>');
    expect(store.text('digests/2025-W02/index.html')).toContain('>Read the article</a>');

    // An upload of site.yaml with new words, to the warm container that made the site.
    source.put(
      'site.yaml',
      english(
        'labels:\n  topics: Sections\n  readArticle: Continue reading\n  notFoundTitle: Nothing here\n  tagsMenu: Filed under\n  movedTo: "Moved: {link}"\n  feedNotice: This is a feed.\n',
      ),
    );
    await run(['site.yaml']);
    expect(store.text('index.html')).toContain('>Sections</a>');
    expect(store.text('tags/index.html')).toContain('<h1>Sections</h1>');
    expect(store.text('posts/sommet/index.html')).toContain('aria-label="Filed under"');
    expect(store.text('404.html')).toContain('<h1>Nothing here</h1>');
    expect(store.text('ancien/sommet/index.html')).toContain('<p>Moved: <a');
    expect(store.text('feed.css')).toContain('content:"This is a feed."');
    for (const key of ['digests/2025-W02/index.html', 'digests/latest/index.html'])
      expect(store.text(key), key).toContain('>Continue reading</a>');
    expect(decodeMessage(store.text('digests/2025-W02/digest.eml'))).toContain('>Continue reading</a>');
    expect(store.publicObjects()).toEqual(await fromScratch(source));

    // Then another language, read by a cold process from the state in the store (a new container, a CLI build).
    source.put(
      'site.yaml',
      english('labels:\n  topics: Rubriques\n').replace('language: en', 'language: fr'),
    );
    await run(['site.yaml'], store, undefined);
    expect(store.text('index.html')).toContain('>Rubriques</a>');
    expect(store.text('posts/sommet/index.html')).toContain(' · mis à jour le <time');
    expect(store.text('posts/sommet/index.html')).toContain('aria-label="Mots-clés"');
    expect(store.text('digests/2025-W02/index.html')).toContain('>Lire l’article</a>');
    expect(store.text('digests/2025-W02/digest.txt')).toContain('Semaine du 6 janvier 2025');
    expect(store.text('404.html')).toContain('<h1>Page introuvable</h1>');
    expect(store.publicObjects()).toEqual(await fromScratch(source));
  });
});
