import { randomUUID } from 'node:crypto';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { singleLine, slugify } from '../functions/core/text.ts';
import { parseIsoDate } from '../functions/core/time.ts';
import { requireFolder } from './cli-build.ts';
import { parseCommandArgs, UsageError } from './cli-shared.ts';

export interface NewArticle {
  /** File name inside the content folder: `YYYY-MM-DD-slug.md`. */
  readonly fileName: string;
  readonly text: string;
  readonly slug: string;
}

export interface NewArticleInput {
  readonly title: string;
  readonly tags?: readonly string[];
  /** ISO 8601 as the author wrote it; @default now, with this machine's UTC offset */
  readonly date?: string;
  /** @default new Date() */
  readonly now?: Date;
  /** @default `urn:uuid:${randomUUID()}` */
  readonly id?: string;
}

const isoDate = z.string().refine((v) => parseIsoDate(v, 'UTC') !== undefined, {
  message: 'is not an ISO 8601 date (write e.g. 2025-01-08 or 2025-01-08T09:30:00+01:00)',
});

/** `2025-01-08T09:30:00+01:00` in this machine's offset (`Z` when that is UTC), to the second. */
export function formatLocalIso(date: Date, offsetMinutes = -date.getTimezoneOffset()): string {
  const local = new Date(date.getTime() + offsetMinutes * 60_000).toISOString().slice(0, 19);
  if (offsetMinutes === 0) return `${local}Z`;
  const abs = Math.abs(offsetMinutes);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  return `${local}${offsetMinutes < 0 ? '-' : '+'}${hh}:${mm}`;
}

// JSON strings are valid YAML double-quoted scalars, so any title or tag round-trips exactly.
const PLAIN_TAG = /^[\p{L}\p{N}][\p{L}\p{N} _-]*$/u;
const yamlTag = (tag: string) => (PLAIN_TAG.test(tag) ? tag : JSON.stringify(tag));

/**
 * The skeleton `broadsheet new` writes. `draft: false` so that the article shows up in `broadsheet
 * preview` at once (drafts are held back there too); the author flips it to true to keep it private.
 */
export function renderNewArticle(input: NewArticleInput): NewArticle {
  const title = singleLine(input.title);
  if (title === '') throw new UsageError('the title is empty: broadsheet new "My article"');
  const date = input.date ?? formatLocalIso(input.now ?? new Date());
  const checked = isoDate.safeParse(date);
  if (!checked.success) throw new UsageError(`--date "${date}" ${checked.error.issues[0]?.message}`);
  const id = input.id ?? `urn:uuid:${randomUUID()}`;
  // A title with no Latin letters or digits (e.g. all CJK) still needs a file name; the id keeps it unique.
  const slug = slugify(title) || `article-${id.replace(/^urn:uuid:/, '').slice(0, 8)}`;
  const tags = (input.tags ?? []).map(singleLine).filter((t) => t !== '');
  const lines = [
    '---',
    `title: ${JSON.stringify(title)}`,
    `date: ${date}`,
    ...(tags.length > 0 ? [`tags: [${tags.map(yamlTag).join(', ')}]`] : []),
    '# The id keeps feed readers from showing the article as new when you rename the file or the slug.',
    `id: ${id}`,
    'draft: false',
    '# summary: One or two sentences for the home page and the feeds (remove the # to use it).',
    '# image: cover.jpg   # a picture beside this file, shown in the feeds and the digest (remove the first #)',
    '# enclosure: episode.mp3   # a recording, video or PDF beside this file, for podcast apps (remove the first #)',
    "# duration: 42:10   # an episode's running time; also episode: 12, season: 2 (remove the first #)",
    '---',
    '',
    'Write the article here, in Markdown. The title above is the headline; start sections with ## Heading.',
    'Put pictures beside this file and show them with `![what the picture shows](picture.jpg)`.',
    '',
  ];
  return { fileName: `${date.slice(0, 10)}-${slug}.md`, text: lines.join('\n'), slug };
}

export const NEW_USAGE =
  'new      "Title" [--tags a,b] [--date ISO] [--content DIR]          write content/YYYY-MM-DD-slug.md, print its path';

/** `broadsheet new "Title"`: writes the skeleton, never overwrites, prints the path (for `$EDITOR $(…)`). */
export async function runNew(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, {
    content: { type: 'string', default: 'content' },
    tags: { type: 'string' },
    date: { type: 'string' },
  });
  if (positionals.length !== 1) {
    throw new UsageError(
      positionals.length === 0
        ? 'new needs a title: broadsheet new "My article"'
        : `new takes one title; quote it: broadsheet new "${positionals.join(' ')}"`,
    );
  }
  await requireFolder(values.content, '--content');
  const article = renderNewArticle({
    title: positionals[0] ?? '',
    tags: values.tags?.split(','),
    date: values.date,
  });
  const path = join(values.content, article.fileName);
  try {
    await writeFile(path, article.text, { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      console.error(
        `${path} already exists and was left as it is: edit it, or choose another title or --date`,
      );
      return 1;
    }
    throw error;
  }
  const sameSlug = (await readdir(values.content)).filter(
    (name) =>
      name !== article.fileName &&
      name.replace(/^\d{4}-\d{2}-\d{2}-/, '').replace(/\.[^.]+$/, '') === article.slug,
  );
  for (const other of sameSlug) {
    console.error(
      `note: ${join(values.content, other)} has the same slug; the newer article will get "${article.slug}-2" (set slug: in either one to choose)`,
    );
  }
  console.log(path);
  return 0;
}
