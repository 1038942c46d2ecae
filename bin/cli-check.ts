import { existsSync } from 'node:fs';
import { readFile, readlink, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { brokenLinkProblem, LocalContentSource } from '../functions/adapters/local-folder.ts';
import { isRepositoryFile } from '../functions/core/article-key.ts';
import { articleLinkProblems } from '../functions/core/article-links.ts';
import { podcastWarnings } from '../functions/core/feed-spec.ts';
import {
  isMediaKey,
  type MediaLookup,
  mediaFinder,
  mediaRefsIn,
  oversizedMedia,
  planMedia,
  planPageMedia,
} from '../functions/core/media.ts';
import { isOtherFileKey, otherFileProblem } from '../functions/core/other-files.ts';
import {
  isArticleKey,
  MAX_ARTICLE_BYTES,
  type ParsedArticle,
  type ParseResult,
  parseArticle,
} from '../functions/core/parse-article.ts';
import { ConfigError, type Problem } from '../functions/core/problems.ts';
import { planRedirects } from '../functions/core/redirects.ts';
import { planSite } from '../functions/core/render-site.ts';
import { sitePageArticleLinks, sitePageMediaRefs } from '../functions/core/render-site-page.ts';
import {
  defaultSiteConfig,
  parseSiteConfig,
  SITE_CONFIG_FILE,
  type SiteConfig,
} from '../functions/core/site-config.ts';
import { judgedFiles, siteYamlFiles } from '../functions/core/site-icon.ts';
import {
  buildSiteModel,
  duplicateArticles,
  type HeldBack,
  normaliseSiteUrl,
  type PublishedArticle,
} from '../functions/core/site-model.ts';
import { parseCommandArgs, plural, UsageError } from './cli-shared.ts';

/**
 * What the publisher decides about one file, with the same limit and parser (publishSite refuses an
 * oversized object before reading it; here the bytes are already local, so the parser's own check answers).
 */
export function checkArticle(key: string, bytes: Uint8Array, config: SiteConfig): ParseResult {
  return parseArticle(key, bytes, { timeZone: config.timeZone });
}

/** site.yaml from `dir` as the publisher reads it; defaults when there is none. Problems instead of a throw. */
export async function readSiteConfig(
  dir: string,
): Promise<{ config: SiteConfig; problems: readonly Problem[]; found: boolean }> {
  let text: string;
  try {
    text = await readFile(join(dir, SITE_CONFIG_FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    // A link to nothing is a site.yaml the run would stop at, not a site without one.
    const target = await readlink(join(dir, SITE_CONFIG_FILE)).catch(() => undefined);
    const problems = target === undefined ? [] : [{ file: SITE_CONFIG_FILE, ...brokenLinkProblem(target) }];
    return { config: defaultSiteConfig, problems, found: target !== undefined };
  }
  try {
    return { config: parseSiteConfig(text), problems: [], found: true };
  } catch (error) {
    if (error instanceof ConfigError)
      return { config: defaultSiteConfig, problems: error.problems, found: true };
    throw error;
  }
}

export interface CheckReport {
  /** Article files looked at. */
  readonly checked: number;
  readonly published: number;
  /** Bad site.yaml and articles the publisher would skip: each one makes `check` exit 1. */
  readonly errors: readonly Problem[];
  readonly warnings: readonly Problem[];
  readonly heldBack: readonly HeldBack[];
}

/** Parses every article in `dir` and builds the model, as a run would, without rendering or writing. */
export async function checkFolder(dir: string, now: Date): Promise<CheckReport> {
  const { config, problems } = await readSiteConfig(dir);
  const listed = await new LocalContentSource(dir).list();
  const entries = listed
    .filter((e) => isArticleKey(e.key) && !e.unreadable)
    .sort((a, b) => (a.key < b.key ? -1 : 1));
  const mediaFiles = new Map(listed.filter((e) => isMediaKey(e.key) && !e.unreadable).map((e) => [e.key, e]));
  const errors: Problem[] = [...problems];
  // A symbolic link to nothing: the run skips it with this reason.
  for (const entry of listed)
    if (entry.unreadable && entry.key !== SITE_CONFIG_FILE)
      errors.push({ file: entry.key, ...entry.unreadable });
  // Files the run would leave out (an author's post.html): the run warns about them too.
  const listedKeys = new Set(listed.map((e) => e.key));
  const warnings: Problem[] = listed
    .filter((e) => isOtherFileKey(e.key))
    .map((e) => otherFileProblem(e.key, (key) => listedKeys.has(key) || existsSync(join(dir, key))));
  const parsed: ParsedArticle[] = [];
  const sources = new Map<string, Uint8Array>();
  for (const entry of entries) {
    if (entry.size > MAX_ARTICLE_BYTES) {
      errors.push({
        file: entry.key,
        message: `the file is ${(entry.size / 1024 / 1024).toFixed(1)} MB, over the 2 MB limit`,
        fix: 'split the article or move large media out of the text',
      });
      continue;
    }
    const bytes = await readFile(join(dir, entry.key));
    sources.set(entry.key, bytes);
    const result = checkArticle(entry.key, bytes, config);
    if (!result.ok) {
      errors.push(result.problem);
      continue;
    }
    warnings.push(...result.warnings);
    parsed.push(result.article);
  }
  // The model adds what only shows across articles (two with one slug) and what is held back.
  const siteUrl = normaliseSiteUrl(config.baseUrl ?? 'http://localhost/');
  const model = buildSiteModel(parsed, config, siteUrl, now);
  warnings.push(
    ...model.warnings,
    ...articleLinkProblems(model.model.articles, sitePageArticleLinks(config.pages)),
    ...duplicateArticles(model.model.articles),
  );
  // The images and files the articles show or link: missing ones are warnings, oversized ones would be skipped.
  const lookup: MediaLookup = (key) => {
    const file = mediaFiles.get(key);
    return file && { version: file.version, ok: !oversizedMedia(key, file.size) };
  };
  const refsOf = (article: PublishedArticle) =>
    mediaRefsIn(article.html, article.url, article.imageUrl, article.enclosureUrl);
  const find = mediaFinder(() => mediaFiles.keys());
  const articleMedia = planMedia(model.model.articles, refsOf, lookup, find);
  const pageMedia = planPageMedia(sitePageMediaRefs(siteUrl, config.pages), lookup, find);
  // Here the source is at hand: the line that names the missing file, for an editor to jump to.
  if (pageMedia.missing.length > 0)
    sources.set(SITE_CONFIG_FILE, await readFile(join(dir, SITE_CONFIG_FILE)));
  const lineOf = (problem: Problem, refs: readonly string[]): Problem => {
    const text = new TextDecoder().decode(sources.get(problem.file));
    const at = refs.map((r) => text.indexOf(r)).find((i) => i >= 0);
    return at === undefined ? problem : { ...problem, line: text.slice(0, at).split('\n').length };
  };
  // An article's come with their line, as the run gives it; site.yaml's pages are searched.
  for (const { ref, problem } of [...articleMedia.missing, ...pageMedia.missing])
    warnings.push(problem.line === undefined ? lineOf(problem, [ref, encodeURI(ref)]) : problem);
  for (const file of mediaFiles.values()) {
    const problem = oversizedMedia(file.key, file.size);
    if (problem) errors.push(problem);
  }
  // The icon and podcast cover site.yaml names, when they are files here: the run would warn as this does.
  warnings.push(...podcastWarnings(config));
  const siteFiles = siteYamlFiles(config);
  for (const { key, missing } of siteFiles) if (!mediaFiles.has(key)) warnings.push(missing);
  // The files whose bytes the run judges when it publishes them: the same verdicts, read here every time.
  const { keys, judge } = judgedFiles(config, siteUrl);
  for (const key of keys) {
    const file = mediaFiles.get(key);
    if (!file || oversizedMedia(file.key, file.size)) continue;
    const problem = judge(key, await readFile(join(dir, key)));
    if (problem) warnings.push(problem);
  }
  // Old addresses (aliases) that another output or an older article holds: the run leaves them out.
  if (model.model.articles.some((a) => a.aliases)) {
    const planned = [...planSite(model.model, now), ...articleMedia.plans, ...pageMedia.plans];
    const taken = new Set(planned.map((p) => p.key));
    for (const { key } of siteFiles) taken.add(key);
    for (const { problem, key } of planRedirects(model.model, taken).problems) {
      const path = key.replace(/index\.html$/, '');
      const bare = path.replace(/\/$/, '');
      warnings.push(lineOf(problem, [`/${path}`, `/${bare}`, bare, 'aliases']));
    }
  }
  return {
    checked: entries.length,
    published: model.model.articles.length,
    errors,
    warnings,
    heldBack: model.heldBack,
  };
}

/** `content/x.md:3: error: message` and an indented `fix:` line: editors jump to file:line. */
export function formatCheckProblem(severity: 'error' | 'warning', problem: Problem, root: string): string {
  const file = root ? join(root, problem.file) : problem.file;
  const where = problem.line ? `${file}:${problem.line}` : file;
  return `${where}: ${severity}: ${problem.message}\n  fix: ${problem.fix}`;
}

export function describeCheck(report: CheckReport, root: string): string {
  const lines = [
    ...report.errors.map((p) => formatCheckProblem('error', p, root)),
    ...report.warnings.map((p) => formatCheckProblem('warning', p, root)),
  ];
  // An error is an article's, site.yaml's, or an image's or file's (too large to publish).
  const skipped = report.errors.filter((p) => isArticleKey(p.file)).length;
  const files = report.errors.filter((p) => p.file !== SITE_CONFIG_FILE && !isArticleKey(p.file)).length;
  const siteYamlBad = report.errors.some((p) => p.file === SITE_CONFIG_FILE);
  const held = report.heldBack.length > 0 ? `, ${report.heldBack.length} held back (draft or scheduled)` : '';
  const left = files > 0 ? `, ${plural(files, 'image or file', 'images or files')} left out` : '';
  lines.push(
    `checked ${plural(report.checked, 'article')} in ${root || '.'}: ${report.published} would be published, ${skipped} would be skipped${held}${left}, ${plural(report.warnings.length, 'warning')}${siteYamlBad ? '; site.yaml has errors' : ''}`,
  );
  return lines.join('\n');
}

export const CHECK_USAGE =
  'check    [DIR]                                                    check every article like the publisher; exit 1 if any would be skipped';

/** `broadsheet check [DIR]`: exit 1 when site.yaml is bad or any article would be skipped, else 0. */
export async function runCheck(args: string[]): Promise<number> {
  const { positionals } = parseCommandArgs(args, {});
  if (positionals.length > 1) throw new UsageError('check takes one folder: broadsheet check content');
  const target = positionals[0] ?? 'content';
  const info = await stat(target).catch(() => undefined);
  if (!info) throw new UsageError(`not found: ${target} (pass the folder that holds the articles)`);
  if (info.isFile()) {
    // One file: checked against the site.yaml beside it, as `publish` does.
    const result = await checkFile(target);
    const report: CheckReport = {
      checked: 1,
      published: result.ok ? 1 : 0,
      errors: result.ok ? [] : [result.problem],
      warnings: result.ok ? result.warnings : [],
      heldBack: [],
    };
    console.log(describeCheck(report, dirname(target)));
    return report.errors.length > 0 ? 1 : 0;
  }
  const report = await checkFolder(target, new Date());
  console.log(describeCheck(report, target));
  return report.errors.length > 0 ? 1 : 0;
}

export type FileCheck =
  | {
      readonly ok: true;
      readonly warnings: readonly Problem[];
      /** An article's slug: its page is `posts/<slug>/` unless an older article has it. */
      readonly slug?: string;
    }
  | { readonly ok: false; readonly problem: Problem };

/** One local file as the publisher would see it under its own name; site.yaml is checked as site.yaml. */
export async function checkFile(path: string): Promise<FileCheck> {
  const name = basename(path);
  const dir = dirname(path);
  if (name === SITE_CONFIG_FILE) {
    const { problems } = await readSiteConfig(dir);
    const first = problems[0];
    return first ? { ok: false, problem: first } : { ok: true, warnings: [] };
  }
  const info = await stat(path);
  if (isMediaKey(name)) {
    const problem = oversizedMedia(name, info.size);
    return problem ? { ok: false, problem } : { ok: true, warnings: [] };
  }
  if (isOtherFileKey(name))
    return { ok: false, problem: otherFileProblem(name, (key) => existsSync(join(dir, key))) };
  if (isRepositoryFile(name))
    return {
      ok: false,
      problem: {
        file: name,
        message:
          "not published: a README, LICENSE or CHANGELOG is the repository's, for its readers, not an article",
        fix: `give the article another name, such as ${new Date().toISOString().slice(0, 10)}-about-this-site.md`,
      },
    };
  if (!isArticleKey(name)) {
    // Hidden by its name (`_notes.md`, `.draft.md`): the publisher never reads it.
    return {
      ok: false,
      problem: {
        file: name,
        message:
          'not published: a name that starts with _ or . keeps a file in the content without the publisher reading it',
        fix: `rename it without the leading ${name.charAt(0)} to publish it`,
      },
    };
  }
  if (info.size > MAX_ARTICLE_BYTES) {
    return {
      ok: false,
      problem: {
        file: name,
        message: `the file is ${(info.size / 1024 / 1024).toFixed(1)} MB, over the 2 MB limit`,
        fix: 'split the article or move large media out of the text',
      },
    };
  }
  const { config } = await readSiteConfig(dir);
  const result = checkArticle(name, await readFile(path), config);
  return result.ok ? { ok: true, warnings: result.warnings, slug: result.article.slug } : result;
}
