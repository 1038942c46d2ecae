import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** A deterministic generator (LCG): the same corpus on every machine and every run. */
function generator(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  return { next, pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T };
}

const WORDS = (
  'the of and to in a is that for it as was with be by on not he this are or his from at which but have an ' +
  'they you were her she there been one all we their has would when if so no will more about up what out ' +
  'diplomacy ministère café naïve résumé façade Zürich São Paulo Kraków Ångström señor déjà vu coöperation ' +
  'government economy climate science culture election treaty parliament budget market energy research ' +
  'negotiation summit agreement policy minister council report analysis development infrastructure'
).split(' ');
const TAGS = [
  'europe',
  'asia',
  'americas',
  'africa',
  'economy',
  'climate',
  'science',
  'culture',
  'sport',
  'tech',
  'health',
  'opinion',
];
const AUTHORS = ['Claire Dubois', 'Jürgen Müller', 'Ana Lúcia', 'Sam Okafor', 'Li Wei'];
/** Newest article's date; one every 4 hours before it (10,000 articles ≈ 4.5 years). */
export const CORPUS_NEWEST = Date.UTC(2025, 4, 31, 20, 0, 0);
export const CORPUS_NOW = new Date('2025-06-01T12:00:00Z');

export interface CorpusArticle {
  readonly name: string;
  readonly text: string;
}

function sentence(g: ReturnType<typeof generator>, words: number): string {
  const out: string[] = [];
  for (let i = 0; i < words; i++) out.push(g.pick(WORDS));
  const text = out.join(' ');
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}

/** Article `i`: ~800 words of Markdown with front matter, headings, links, a list, code and accents. */
export function corpusArticle(i: number): CorpusArticle {
  const g = generator(i + 1);
  const date = new Date(CORPUS_NEWEST - i * 4 * 3600_000);
  const slug = `dispatch-${i}-${g.pick(WORDS).replace(/[^a-z]/g, '') || 'news'}`;
  const tags = [g.pick(TAGS), ...(g.next() < 0.4 ? [g.pick(TAGS)] : [])];
  const blocks: string[] = [];
  for (let section = 0; section < 5; section++) {
    blocks.push(`## ${sentence(g, 4).slice(0, -1)}`);
    for (let p = 0; p < 2; p++) {
      blocks.push(
        `${sentence(g, 18)} ${sentence(g, 22)} See [the earlier dispatch](../dispatch-${i + 1 + p}-x/) and ` +
          `[a source](https://example.org/report/${i}/${section}) — *${g.pick(WORDS)}* and **${g.pick(WORDS)}**. ${sentence(g, 20)}`,
      );
    }
    if (section === 2) blocks.push(`- ${sentence(g, 6)}\n- ${sentence(g, 7)}\n- ${sentence(g, 5)}`);
    if (section === 3)
      blocks.push(
        `\`\`\`ts\nconst dispatch = { id: ${i}, tags: ${JSON.stringify(tags)} };\nconsole.log(dispatch);\n\`\`\``,
      );
  }
  const front = [
    '---',
    `title: "Dispatch ${i}: ${sentence(g, 5).slice(0, -1)}"`,
    `date: ${date.toISOString()}`,
    `tags: [${tags.join(', ')}]`,
    `author: ${g.pick(AUTHORS)}`,
    ...(i % 3 === 0 ? [`summary: "Résumé of dispatch ${i}: ${sentence(g, 12).slice(0, -1)}"`] : []),
    '---',
  ];
  return {
    name: `${date.toISOString().slice(0, 10)}-${slug}.md`,
    text: `${front.join('\n')}\n\n${blocks.join('\n\n')}\n`,
  };
}

export const SITE_YAML =
  'title: Bench Dispatch\ndescription: A generated corpus\nlanguage: en\ntimeZone: UTC\n';

/** Writes `count` articles (and site.yaml) under `dir` for us, and the same Markdown as a Hugo site. */
export async function writeCorpus(count: number, ours: string, hugo: string): Promise<void> {
  await mkdir(ours, { recursive: true });
  await mkdir(join(hugo, 'content', 'posts'), { recursive: true });
  await writeFile(join(ours, 'site.yaml'), SITE_YAML);
  for (let start = 0; start < count; start += 500) {
    await Promise.all(
      Array.from({ length: Math.min(500, count - start) }, async (_, k) => {
        const article = corpusArticle(start + k);
        await writeFile(join(ours, article.name), article.text);
        await writeFile(join(hugo, 'content', 'posts', article.name), article.text);
      }),
    );
  }
  await writeHugoSite(hugo);
}

/** A minimal Hugo site of the same shape: article pages, home and tag lists with summaries, RSS everywhere. */
async function writeHugoSite(dir: string): Promise<void> {
  const layouts = join(dir, 'layouts', '_default');
  await mkdir(layouts, { recursive: true });
  await writeFile(
    join(dir, 'hugo.toml'),
    'baseURL = "https://bench.example.com/"\ntitle = "Bench Dispatch"\nlanguageCode = "en"\n' +
      '[taxonomies]\n  tag = "tags"\n[services.rss]\n  limit = 50\n',
  );
  const page = (body: string) =>
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title>{{ range .AlternativeOutputFormats }}<link rel="{{ .Rel }}" type="{{ .MediaType.Type }}" href="{{ .Permalink }}">{{ end }}</head><body>${body}</body></html>\n`;
  await writeFile(
    join(layouts, 'single.html'),
    page(
      '<article><h1>{{ .Title }}</h1><p><time>{{ .Date.Format "2 January 2006" }}</time></p>{{ range .Params.tags }}<a href="/tags/{{ . | urlize }}/">{{ . }}</a> {{ end }}{{ .Content }}</article>',
    ),
  );
  const list =
    '<h1>{{ .Title }}</h1><ol>{{ range .Pages }}<li><time>{{ .Date.Format "2 January 2006" }}</time> <a href="{{ .Permalink }}">{{ .Title }}</a><p>{{ .Summary }}</p></li>{{ end }}</ol>';
  await writeFile(join(layouts, 'list.html'), page(list));
  await writeFile(
    join(dir, 'layouts', 'index.html'),
    page(list.replace('range .Pages', 'range .Site.RegularPages')),
  );
}
