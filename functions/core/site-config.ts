import { LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { ENGLISH_LABELS, LABEL_KEYS, type LabelKey, placeholdersOf } from './labels.ts';
import { ConfigError, type Problem } from './problems.ts';
import { closestName, personFromText, slugify } from './text.ts';
import { isValidTimeZone } from './time.ts';

export const SITE_CONFIG_FILE = 'site.yaml';

export function isLanguageTag(tag: string): boolean {
  try {
    return Intl.getCanonicalLocales(tag).length === 1;
  } catch {
    return false;
  }
}

const personSchema = z.union([
  z
    .string()
    .min(1)
    // `Jane Doe <jane@example.com>` is a name and an address, as in mail.
    .transform((text) => personFromText(text)),
  // Strict, as every block of site.yaml: an `emial` would otherwise drop the email without a word.
  z.object({ name: z.string().min(1), email: z.email().optional(), url: z.url().optional() }).strict(),
]);

/** Items in each feed unless `feeds.limit` says otherwise (the feeds issue: newest N, default 50). */
export const FEED_LIMIT = 50;

const PAGE_SIZE_MESSAGE = 'must be a whole number of articles per page, from 1 to 1000';

const braced = (names: readonly string[]) => names.map((name) => `{${name}}`).join(', ');

/** A fix that depends on the value written: the time zone a misspelt one most likely meant. */
function fixFor(keyPath: string, value: unknown): string | undefined {
  const folders = RESERVED_PAGE_SLUGS.join(', ');
  if (/^pages\.\d+\.slug$/.test(keyPath))
    return `write a slug of lower-case letters, digits and hyphens that is none of the site's folders (${folders}), such as slug: about`;
  if (/^pages\.\d+\.title$/.test(keyPath))
    return `add a line slug: … to the page (lower-case letters, digits and hyphens; none of ${folders})`;
  const label = /^labels\.(\w+)$/.exec(keyPath)?.[1];
  if (label) {
    const example = ENGLISH_LABELS[label as LabelKey] ?? '';
    const names = placeholdersOf(example);
    return names.length > 0
      ? `write the words with ${braced(names)} where ${names.length > 1 ? 'the values go' : 'the value goes'}, such as ${label}: "${example}"`
      : `write the words in quotes, without braces, such as ${label}: "${example}"`;
  }
  if (keyPath !== 'timeZone' || typeof value !== 'string') return undefined;
  const zones = [...Intl.supportedValuesOf('timeZone'), 'UTC'];
  // `Europe/Pariss`, `europe/paris`; else a city alone (`Paris`, `new york`), when one zone has it.
  const city = (zone: string) => zone.slice(zone.lastIndexOf('/') + 1);
  const byCity = closestName(city(value), zones.map(city));
  const meant =
    closestName(value, zones) ??
    (byCity === undefined ? undefined : zones.find((zone) => city(zone) === byCity));
  return meant
    ? `did you mean ${meant}? Write timeZone: ${meant}`
    : 'write the IANA name of the zone where the site publishes, such as timeZone: Europe/Paris, America/New_York or UTC';
}

/** Fixes more precise than "set KEY to a valid value", by key path. */
const FIXES: Record<string, string> = {
  pageSize: 'write a whole number such as pageSize: 20, or remove the line to get the default, 20',
  pages: 'write each page as - { title: About, text: "Markdown…" } (optional slug: about), at most 20',
  'feeds.hub':
    "write the hub's URL, such as hub: https://pubsubhubbub.appspot.com/, or remove the line to name no hub",
  'podcast.image':
    'name a square JPEG or PNG of 1400 to 3000 pixels beside site.yaml (image: cover.jpg) or its https URL',
  'podcast.category':
    "write one of Apple Podcasts' categories, such as category: Technology (subcategory: Tech News)",
  'podcast.type': 'write type: episodic (newest first; the default) or type: serial (in order)',
  language: 'write a language tag such as language: en, language: en-GB or language: fr',
  'digest.from':
    'write an address (from: desk@example.com) or a name and address (from: { name: The Desk, email: desk@example.com })',
};

/** First path segments the site's own files use: a page named so would be hidden by them, or hide them. */
export const RESERVED_PAGE_SLUGS = ['posts', 'tags', 'digests', 'page', 'archive', 'sitemaps'] as const;

const SLUG_MESSAGE = 'must be lower-case letters, digits and hyphens, such as about or contact-us';

/** A standalone page (About, Contact…): Markdown at `/<slug>/`, linked from every page's header. */
const sitePageSchema = z
  .object({
    title: z.coerce.string().min(1),
    slug: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]*$/, SLUG_MESSAGE)
      .refine((slug) => !(RESERVED_PAGE_SLUGS as readonly string[]).includes(slug), {
        error: `is a folder of the site's own (${RESERVED_PAGE_SLUGS.join(', ')})`,
      })
      .optional(),
    /** Markdown, as in articles; links and images relative to the page's URL. */
    text: z.string().default(''),
  })
  .strict()
  .transform((page, context) => {
    // A slug written out is checked above; one made from the title is checked here, at the title.
    const slug = page.slug ?? slugify(page.title);
    if (page.slug === undefined && !slug)
      context.addIssue({ code: 'custom', path: ['title'], message: 'gives no slug: add a slug' });
    else if (page.slug === undefined && (RESERVED_PAGE_SLUGS as readonly string[]).includes(slug))
      context.addIssue({
        code: 'custom',
        path: ['title'],
        message: `makes the slug ${slug}, a folder of the site's own: add another slug`,
      });
    return { ...page, slug };
  });

export type SitePage = z.output<typeof sitePageSchema>;

/** Placeholders a label may use: those its English wording fills (a page's number, the site's title…). */
const LABEL_PLACEHOLDERS = new Map(LABEL_KEYS.map((key) => [key, placeholdersOf(ENGLISH_LABELS[key])]));

/**
 * `labels:` overrides any word the site writes itself (`readArticle: Lire la suite`). A placeholder the
 * label does not fill would be printed as it is written, so it is refused, as a misspelt key is.
 */
const labelsSchema = z
  .object(
    Object.fromEntries(
      LABEL_KEYS.map((key) => {
        const allowed = LABEL_PLACEHOLDERS.get(key) ?? [];
        const text = z
          .string({ error: 'must be text' })
          .min(1, 'must not be empty')
          .refine((label) => placeholdersOf(label).every((name) => allowed.includes(name)), {
            error: (issue) => {
              const unknown = placeholdersOf(String(issue.input)).filter((name) => !allowed.includes(name));
              return `${braced(unknown)} is not a value this label has (${allowed.length > 0 ? `it has ${braced(allowed)}` : 'it has none'})`;
            },
          });
        return [key, text.optional()];
      }),
    ) as { [K in LabelKey]: z.ZodOptional<z.ZodString> },
  )
  .strict();

export const siteConfigSchema = z
  .object({
    title: z.coerce.string().min(1).default('Broadsheet'),
    description: z.coerce.string().default(''),
    language: z
      .string()
      .regex(/^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/, 'a language tag such as en or en-GB')
      // The pattern lets through tags no Intl API takes (`en-12`): dates and sorting would throw.
      .refine(isLanguageTag, 'a language tag such as en or en-GB')
      .default('en'),
    author: personSchema.optional(),
    /** Absolute URL the site is served from. SITE_URL or --site-url win over it. */
    baseUrl: z.url({ protocol: /^https?$/ }).optional(),
    timeZone: z
      .string()
      .refine(isValidTimeZone, {
        error: (issue) =>
          `"${String(issue.input)}" is not a time zone (an IANA name such as Europe/Paris, or UTC)`,
      })
      .default('UTC'),
    digest: z
      .object({
        cadence: z.enum(['daily', 'weekly', 'monthly']).default('weekly'),
        /** The digest's From (`desk@example.com`, or `{ name, email }`); defaults to `author` when it has an email. */
        from: z
          .union(
            [
              z.email().transform((email) => ({ email, name: undefined })),
              z.object({ name: z.string().min(1).optional(), email: z.email() }).strict(),
            ],
            { error: 'must be an email address, or a name and an email' },
          )
          .optional(),
      })
      .strict()
      .default({ cadence: 'weekly' }),
    feeds: z
      // 50 full-text items, as the feeds issue asks; RFC 5005 archive pages hold every older one.
      .object({
        limit: z.number().int().min(1).max(1000).default(FEED_LIMIT),
        /** A WebSub hub: feeds name it, and the publisher tells it when they change. */
        hub: z
          .url({ protocol: /^https?$/ })
          .transform((url) => new URL(url).href)
          .optional(),
      })
      .strict()
      .default({ limit: FEED_LIMIT }),
    /** Articles per list page (home, tag pages and their older pages `page/<k>/`). */
    pageSize: z
      .number({ error: PAGE_SIZE_MESSAGE })
      .int(PAGE_SIZE_MESSAGE)
      .min(1, PAGE_SIZE_MESSAGE)
      .max(1000, PAGE_SIZE_MESSAGE)
      .default(20),
    /** The site's icon: an image in the content (`icon.png`, published at the same path) or a URL. */
    icon: z
      .string()
      .regex(
        /^(?:https?:\/\/[^\s"'<>&]+|\/?[A-Za-z0-9][\w.-]*(?:\/[A-Za-z0-9][\w.-]*)*\.(?:png|svg|jpe?g|gif|webp|avif|ico))$/i,
        'must be an image in the content (icon.png, a PNG, SVG, JPEG, GIF, WebP, AVIF or ICO) or an https URL',
      )
      .optional(),
    /**
     * The RSS feeds as a podcast: the channel tags Apple Podcasts and the apps that read its directory
     * need (`itunes:image`, `category`, `explicit`…). Episodes are the articles with an `enclosure`.
     */
    podcast: z
      .object({
        image: z
          .string()
          .regex(
            /^(?:https?:\/\/[^\s"'<>&]+|\/?[A-Za-z0-9][\w.-]*(?:\/[A-Za-z0-9][\w.-]*)*\.(?:png|jpe?g))$/i,
            'must be a JPEG or PNG in the content (cover.jpg) or an https URL',
          ),
        category: z.string().trim().min(1),
        subcategory: z.string().trim().min(1).optional(),
        explicit: z.boolean().default(false),
        type: z.enum(['episodic', 'serial']).default('episodic'),
        /** Who the directories write to about the show (Apple verifies the email); `author` by default. */
        owner: personSchema.optional(),
      })
      .strict()
      .optional(),
    /** The site's own words, over those of its language (see `labels.ts`). */
    labels: labelsSchema.optional(),
    /** Standalone pages, in the order the header lists them. */
    pages: z
      .array(sitePageSchema)
      .max(20)
      .default([])
      .superRefine((pages, context) => {
        const seen = new Set<string>();
        pages.forEach((page, index) => {
          if (page.slug && seen.has(page.slug)) {
            context.addIssue({
              code: 'custom',
              path: [index],
              message: `${page.slug} is the slug of another page`,
            });
          }
          seen.add(page.slug);
        });
      }),
  })
  .strict();

export type SiteConfig = z.output<typeof siteConfigSchema>;
export type Person = NonNullable<SiteConfig['author']>;

export const defaultSiteConfig: SiteConfig = siteConfigSchema.parse({});

/** Parses `content/site.yaml`. Throws ConfigError naming the line and the fix. */
export function parseSiteConfig(text: string, file = SITE_CONFIG_FILE): SiteConfig {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      doc.errors.map((e) => ({
        file,
        line: e.linePos?.[0].line,
        message: `not valid YAML: ${e.message.split('\n')[0]}`,
        fix: 'fix the YAML syntax (indentation, quotes around values with a colon)',
      })),
    );
  }
  const raw = doc.toJS({ maxAliasCount: 50 }) ?? {};
  const result = siteConfigSchema.safeParse(raw);
  if (result.success) return result.data;
  const lineAt = (range: readonly number[] | undefined) =>
    range ? lineCounter.linePos(range[0] as number).line : undefined;
  // One problem per value: a value can fail more than one check of its key (`xx-$$` is neither of the
  // pattern of a language tag nor a tag Intl takes), and each says the same thing.
  const seen = new Set<string>();
  const issues = result.error.issues.filter((issue) => {
    if (issue.code === 'unrecognized_keys') return true;
    const at = JSON.stringify(issue.path);
    if (seen.has(at)) return false;
    seen.add(at);
    return true;
  });
  const problems: Problem[] = issues.flatMap((issue): Problem[] => {
    const path = issue.path as (string | number)[];
    const node = doc.getIn(path, true) as { range?: [number] } | undefined;
    const keyPath = path.join('.');
    if (issue.code === 'unrecognized_keys') {
      // One problem per key, at its own line, with the keys that block takes and the likeliest one.
      const known = keysAt(siteConfigSchema, path);
      const block = keyPath ? `${keyPath}: ` : '';
      return issue.keys.map((key) => {
        const meant = closestName(key, known);
        const pair = (
          doc.getIn(path, true) as { items?: { key?: { value?: unknown; range?: number[] } }[] }
        )?.items?.find((item) => item.key?.value === key);
        return {
          file,
          line: lineAt(pair?.key?.range) ?? lineAt(node?.range),
          message: `${block}unknown key "${key}"`,
          fix: meant
            ? `did you mean ${meant}? Rename it, or remove it (${block}known keys: ${known.join(', ')})`
            : `remove or rename it; ${block}known keys: ${known.join(', ')}`,
        };
      });
    }
    if (keyPath === '')
      return [
        {
          file,
          line: 1,
          message: 'site.yaml is not a list of key: value lines',
          fix: 'write each setting on a line of its own, such as title: My site (see the README, Site settings)',
        },
      ];
    const value = doc.getIn(path);
    // A key the block needs and does not have (a page with no title): said at the block's line.
    if (value === undefined && issue.code === 'invalid_type') {
      const parent = doc.getIn(path.slice(0, -1), true) as { range?: [number] } | undefined;
      const name = String(path.at(-1));
      return [
        {
          file,
          line: lineAt(parent?.range),
          message: `${path.slice(0, -1).join('.')}: ${name} is missing`,
          fix: /^pages\.\d+\.title$/.test(keyPath)
            ? 'give the page a title (the header links it by that name): - { title: About, text: "…" }'
            : (FIXES[keyPath] ?? `add ${name}: …`),
        },
      ];
    }
    return [
      {
        file,
        line: lineAt(node?.range),
        message: `${keyPath}: ${issue.message}`,
        fix: fixFor(keyPath, value) ?? FIXES[keyPath] ?? `set ${keyPath} to a valid value`,
      },
    ];
  });
  // In the file's order, as an editor lists them (zod reports nested blocks first).
  throw new ConfigError(problems.sort((a, b) => (a.line ?? Infinity) - (b.line ?? Infinity)));
}

/** The keys the object at `path` in `schema` takes, through optional, default, transform, array and union. */
function keysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  type Def = {
    type: string;
    innerType?: z.ZodType;
    in?: z.ZodType;
    shape?: Record<string, z.ZodType>;
    element?: z.ZodType;
    options?: z.ZodType[];
  };
  const defOf = (node: z.ZodType | undefined) => (node as { _zod?: { def: Def } } | undefined)?._zod?.def;
  const unwrap = (node: z.ZodType | undefined): z.ZodType | undefined => {
    const def = defOf(node);
    if (def?.innerType) return unwrap(def.innerType);
    if (def?.type === 'pipe') return unwrap(def.in);
    if (def?.type === 'union') return unwrap(def.options?.find((o) => defOf(unwrap(o))?.type === 'object'));
    return node;
  };
  let node = unwrap(schema);
  for (const step of path) {
    const def = defOf(node);
    node = unwrap(def?.type === 'array' ? def.element : def?.shape?.[String(step)]);
  }
  return Object.keys(defOf(node)?.shape ?? {});
}
