import { CORE_SCHEMA, load } from 'js-yaml';
import { parse as parseToml, TomlError } from 'smol-toml';
import { LineCounter, parseDocument } from 'yaml';
import type { Problem } from './problems.ts';
import { cleanText } from './text.ts';

export interface FrontMatter {
  readonly data: Record<string, unknown>;
  /** Line in the file where the body starts (1-based). */
  readonly bodyLine: number;
  readonly body: string;
  /** 1-based file line of a top-level key, or of one item of its list, for error messages. */
  lineOf(key: string, item?: number): number | undefined;
}

const OPEN = /^---[ \t]*\n/;
const CLOSE = /^(?:---|\.\.\.)[ \t]*$/m;

/**
 * Splits `---` YAML front matter from a Markdown body. Hand-written because it is ten lines and the
 * `yaml` parser below gives us line numbers and an alias limit (gray-matter gives neither, and caches).
 * Front matter without anchors, aliases, tags or merge keys is read by js-yaml first (the same YAML 1.2
 * core schema, ~10× faster: 1.1 s of a 10,000-article build); anything it rejects goes to `yaml`, whose
 * errors name the line, and `lineOf` (asked only to point at a bad value) parses with `yaml` when asked.
 */
export function splitFrontMatter(text: string, file: string): FrontMatter | Problem {
  // Blank lines before the opening fence (an editor's, or a paste): still front matter, lines kept true.
  const blank = LEADING_BLANK_LINES.exec(text);
  if (blank) {
    const shift = blank[0].split('\n').length - 1;
    const rest = text.slice(blank[0].length);
    const split = splitFrontMatterAtStart(rest, file);
    if ('message' in split) {
      // A rule and a line of text (a setext heading), not keys: the text is all body, as it always was.
      if (!/^\S+[ \t]*\n[ \t]*["']?[\w-]+["']?[ \t]*[:=]/.test(rest))
        return { data: {}, bodyLine: 1, body: text, lineOf: () => undefined };
      return { ...split, ...(split.line === undefined ? {} : { line: split.line + shift }) };
    }
    return {
      data: split.data,
      bodyLine: split.bodyLine + shift,
      body: split.body,
      lineOf: (key, item) => {
        const line = split.lineOf(key, item);
        return line === undefined ? undefined : line + shift;
      },
    };
  }
  return splitFrontMatterAtStart(text, file);
}

const LEADING_BLANK_LINES = /^(?:[ \t]*\n)+(?=(?:---|\+\+\+)[ \t]*\n)/;

function splitFrontMatterAtStart(text: string, file: string): FrontMatter | Problem {
  if (TOML_OPEN.test(text)) return splitTomlFrontMatter(text, file);
  if (!OPEN.test(text)) {
    return { data: {}, bodyLine: 1, body: text, lineOf: () => undefined };
  }
  const afterOpen = text.replace(OPEN, '');
  const close = CLOSE.exec(afterOpen);
  if (!close) {
    return {
      file,
      line: 1,
      message: 'front matter starts with --- but never ends',
      fix: 'add a line with --- after the front matter',
    };
  }
  const yamlText = afterOpen.slice(0, close.index);
  const rest = afterOpen.slice(close.index + close[0].length).replace(/^\n/, '');
  const yamlLines = yamlText.split('\n').length - 1;
  const fast = quickLoad(yamlText);
  if (fast !== undefined) {
    return {
      data: cleanStrings(fast) as Record<string, unknown>,
      bodyLine: yamlLines + 3,
      body: rest,
      lineOf(key, item) {
        const slow = parseYaml(yamlText, file, rest, yamlLines);
        return 'lineOf' in slow ? slow.lineOf(key, item) : undefined;
      },
    };
  }
  return parseYaml(yamlText, file, rest, yamlLines);
}

/**
 * Only `yaml` reads anchors, aliases and tags (`&a`, `*a`, `!tag`; it limits aliases), merge keys, and a
 * quoted value left open at the end of its line (js-yaml lets `title: "a` run on into the next key).
 */
const NEEDS_YAML = /[&*!]|<<|(?:^|[:\-[{,?]\s*)(?:"(?:[^"\\\n]|\\.)*|'(?:[^'\n]|'')*)$/m;

/** A mapping js-yaml reads without complaint, or undefined (then `yaml` reads it and explains). */
function quickLoad(yamlText: string): Record<string, unknown> | undefined {
  if (NEEDS_YAML.test(yamlText)) return undefined;
  try {
    const data = load(yamlText, { schema: CORE_SCHEMA });
    return data !== null && typeof data === 'object' && !Array.isArray(data)
      ? (data as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function parseYaml(yamlText: string, file: string, rest: string, yamlLines: number): FrontMatter | Problem {
  const lineCounter = new LineCounter();
  const doc = parseDocument(yamlText, { lineCounter, uniqueKeys: true, prettyErrors: true });
  const firstError = doc.errors[0];
  if (firstError) {
    // An unclosed `[` or quote is only noticed at the end; the last line with text is where to look.
    const body = yamlText.trimEnd();
    const yamlLine =
      firstError.pos[0] >= body.length ? body.split('\n').length : (firstError.linePos?.[0].line ?? 0);
    return {
      file,
      line: yamlLine + 1,
      message: `front matter is not valid YAML: ${firstError.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '')}`,
      fix: 'fix the YAML (quote values that contain a colon or start with a special character)',
    };
  }
  let data: unknown;
  try {
    // maxAliasCount stops "billion laughs" alias bombs before they expand.
    data = doc.toJS({ maxAliasCount: 50 });
  } catch (error) {
    return {
      file,
      line: 2,
      message: `front matter could not be read: ${(error as Error).message.split('\n')[0]}`,
      fix: 'remove YAML aliases (*name) and anchors (&name) from the front matter',
    };
  }
  if (data === null || data === undefined) data = {};
  if (typeof data !== 'object' || Array.isArray(data)) {
    return {
      file,
      line: 2,
      message: 'front matter is not a list of key: value pairs',
      fix: 'write the front matter as lines like "title: My article"',
    };
  }
  return {
    data: cleanStrings(data) as Record<string, unknown>,
    bodyLine: yamlLines + 3,
    body: rest,
    lineOf(key, item) {
      // The item's own line in a list written one item a line; the key's for `[a, b]` or a lone value.
      const at = (path: unknown[]) => (doc.getIn(path, true) as { range?: [number] } | undefined)?.range?.[0];
      const start = (item === undefined ? undefined : at([key, item])) ?? at([key]);
      return start === undefined ? undefined : lineCounter.linePos(start).line + 1;
    },
  };
}

const TOML_OPEN = /^\+\+\+[ \t]*\n/;
const TOML_CLOSE = /^\+\+\+[ \t]*$/m;

/**
 * Hugo's other front matter, TOML between `+++` lines (`title = "…"`), as a site moved from Hugo has it:
 * read by `smol-toml` into the same fields, so it publishes as its YAML twin would. A TOML date is given
 * back as the text it was written as, so that one without an offset is read in the site's time zone.
 */
function splitTomlFrontMatter(text: string, file: string): FrontMatter | Problem {
  const afterOpen = text.replace(TOML_OPEN, '');
  const close = TOML_CLOSE.exec(afterOpen);
  if (!close) {
    return {
      file,
      line: 1,
      message: 'front matter starts with +++ but never ends',
      fix: 'add a line with +++ after the front matter',
    };
  }
  const tomlText = afterOpen.slice(0, close.index);
  const tomlLines = tomlText.split('\n');
  let data: Record<string, unknown>;
  try {
    data = parseToml(tomlText);
  } catch (error) {
    const line = error instanceof TomlError ? error.line : undefined;
    return {
      file,
      ...(line ? { line: line + 1 } : {}),
      message: `front matter is not valid TOML: ${(error as Error).message.split('\n')[0]?.replace(/^Invalid TOML document: /, '')}`,
      fix: 'fix the TOML (key = "value", text in quotes, lists as ["a", "b"]), or write the front matter as YAML between --- lines',
    };
  }
  return {
    data: cleanStrings(tomlDatesAsText(data)) as Record<string, unknown>,
    bodyLine: tomlLines.length + 2,
    body: afterOpen.slice(close.index + close[0].length).replace(/^\n/, ''),
    lineOf(key) {
      const at = tomlLines.findIndex((line) =>
        // `key = …`, or the table `[key]` (an author written as a table).
        new RegExp(`^\\s*\\[?\\s*["']?${escapeRegExp(key)}["']?\\s*[=\\]]`).test(line),
      );
      return at === -1 ? undefined : at + 2;
    },
  };
}

function tomlDatesAsText(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(tomlDatesAsText);
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, tomlDatesAsText(v)]));
  return value;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * YAML escapes (`"\u0001"`, `"\uD800"`) can put characters in a value that the raw text never had;
 * every string goes through the same cleaning as the file itself.
 */
function cleanStrings(value: unknown): unknown {
  if (typeof value === 'string') return cleanText(value);
  if (Array.isArray(value)) return value.map(cleanStrings);
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [cleanText(k), cleanStrings(v)]));
  }
  return value;
}
