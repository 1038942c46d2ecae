/**
 * What an author is told of a front matter value the schema refuses, in place of zod's own words
 * ("Invalid input", "Too small: expected string to have >=1 characters"): what the value is, what the key
 * takes, and what to write, from the value itself where it can (`date: 1741000000` is a Unix time).
 */
import type { z } from 'zod';

export interface WrongValue {
  /** After "front matter KEY: ". */
  readonly message: string;
  readonly fix: string;
}

/** What each key takes, as the message says it: "42 is a number, not a list of tags". */
const EXPECTED: Record<string, string> = {
  title: 'text',
  date: 'a date',
  updated: 'a date',
  author: 'a name',
  tags: 'a list of tags',
  summary: 'text',
  id: 'text',
  image: 'a path or URL',
  enclosure: 'a path or URL',
  language: 'a language tag',
  aliases: 'a list of paths',
  slug: 'text',
  episode: 'a whole number',
  season: 'a whole number',
  episodeType: 'full, trailer or bonus',
};

/** zod's own messages (`Invalid input`, `Too small: …`); the schema's own say the value and stay. */
const ZOD_WORDS = /^(?:Invalid|Too (?:small|big)|Unrecognized)\b/;

/**
 * The message and fix for `issue` (the first of `field`), or undefined when the schema's message already
 * names the value (`"maybe" is not true or false`). `fix` is the key's usual fix.
 */
export function describeWrongValue(
  field: string,
  issue: z.core.$ZodIssue,
  value: unknown,
  fix: string,
): WrongValue | undefined {
  if (issue.code === 'custom' || !ZOD_WORDS.test(issue.message)) return undefined;
  const expected = EXPECTED[field] ?? `what ${field} takes`;
  const shown = show(value);
  const kind = kindOf(value);
  const sub = issue.path.length > 1 ? String(issue.path.at(-1)) : undefined;

  if (field === 'author') {
    if (sub === 'email')
      return {
        message: `email ${show(valueAt(value, 'email'))} is not an email address`,
        fix: 'write the address as jane@example.com, or remove email',
      };
    if (sub === 'url')
      return {
        message: `url ${show(valueAt(value, 'url'))} is not a web address`,
        fix: 'write the address as https://example.com/jane, or remove url',
      };
    if (value === '')
      return { message: 'the name is empty', fix: 'write author: Jane Doe, or remove the line' };
    if (Array.isArray(value))
      return {
        message: `${shown} is a list, and an article has one author`,
        fix: `write one, e.g. author: ${firstText(value) ?? 'Jane Doe'}, or all as one name in quotes: author: "${value.map(String).join(' and ')}"`,
      };
    if (kind === 'a group of keys')
      return {
        message: `${shown} has no name`,
        fix: 'write author: { name: Jane Doe, email: jane@example.com }, or author: Jane Doe',
      };
  }

  if ((field === 'date' || field === 'updated') && typeof value === 'number') {
    if (Number.isInteger(value) && value >= 1000 && value <= 9999)
      return {
        message: `${value} is a year, not a whole date`,
        fix: `write the whole date, e.g. ${field}: ${value}-01-08 or ${field}: ${value}-01-08T09:30:00+01:00`,
      };
    // Seconds (10 digits) or milliseconds (13) since 1970, as a database or a script exports a date.
    const ms =
      value >= 1e9 && value < 1e11 ? value * 1000 : value >= 1e12 && value < 1e14 ? value : undefined;
    if (ms !== undefined && Number.isInteger(value))
      return {
        message: `${value} is a number (a Unix time?), not a date`,
        fix: `write it as ISO 8601: ${field}: ${new Date(ms).toISOString().replace('.000Z', 'Z')}`,
      };
  }

  if (expected === 'text' && (Array.isArray(value) || kind === 'a group of keys'))
    return {
      message: `${shown} is ${kind}, not text`,
      fix: `put the text in quotes: ${field}: "${flowText(value).replaceAll('"', '\\"')}"`,
    };

  if (value === '') return { message: 'the value is empty', fix: `${fix}, or remove the line` };
  if (Array.isArray(value) && (field === 'tags' || field === 'aliases'))
    return { message: `${shown} holds an item that is a list or a group of keys`, fix };
  if (typeof value === 'boolean') return { message: `${shown} is not ${expected}`, fix };
  return { message: `${shown} is ${kind}, not ${expected}`, fix };
}

function valueAt(value: unknown, key: string): unknown {
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
}

function kindOf(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value instanceof Date) return 'a date';
  if (value !== null && typeof value === 'object') return 'a group of keys';
  if (typeof value === 'number') return 'a number';
  return 'text';
}

/** A value as the author wrote it, near enough: `42`, `true`, `"text"`, `[a, b]`, `{ name: … }`. */
function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value) || (value !== null && typeof value === 'object')) return flowText(value);
  return String(value);
}

/** A list or keys as YAML writes them on one line (`[a, b]`, `{ name: 3 }`), shortened past 60 characters. */
function flowText(value: unknown): string {
  const text = (item: unknown): string => {
    if (Array.isArray(item)) return `[${item.map(text).join(', ')}]`;
    if (item instanceof Date) return item.toISOString();
    if (item !== null && typeof item === 'object')
      return `{ ${Object.entries(item)
        .map(([k, v]) => `${k}: ${text(v)}`)
        .join(', ')} }`;
    return String(item);
  };
  const all = text(value);
  return all.length > 60 ? `${all.slice(0, 59)}…` : all;
}

function firstText(list: readonly unknown[]): string | undefined {
  const first = list[0];
  return typeof first === 'string' || typeof first === 'number' ? String(first) : undefined;
}
