import { SaxesParser } from 'saxes';
import { z } from 'zod';
import type { DocumentParts } from './feed-fragments.ts';
import { isCdataBytes, isXmlText } from './xml-writer.ts';

/**
 * Throws with line and column when `xml` is not well-formed XML 1.0 (namespaces included).
 *
 * Feeds are mostly CDATA (every article's HTML, once per document it appears in), and saxes reads CDATA
 * one character at a time. So saxes first parses the document with every CDATA section emptied to a
 * numbered stub, while the sections' text is checked against XML's Char production. That is the same
 * verdict: a CDATA section ends at its first `]]>` (where the stub's ends) and may hold any Char, and if
 * saxes reports every stub as CDATA, every cut was at a real CDATA section. Anything else (a stub found
 * elsewhere, say inside a comment; a bad character; a parse error) is decided by parsing the whole
 * document, which also gives the error its true line and column.
 */
export function assertWellFormedXml(xml: string): void {
  if (!wellFormedWithStubs(xml)) parseStrict(xml);
}

function parseStrict(xml: string): string[] {
  const parser = new SaxesParser({ xmlns: true, position: true });
  let failure: Error | undefined;
  const sections: string[] = [];
  parser.on('error', (error) => {
    failure ??= error;
  });
  parser.on('cdata', (text) => {
    sections.push(text);
  });
  parser.write(xml).close();
  if (failure) throw failure;
  return sections;
}

function wellFormedWithStubs(xml: string): boolean {
  const parts: string[] = [];
  let count = 0;
  let at = 0;
  for (;;) {
    const open = xml.indexOf('<![CDATA[', at);
    if (open < 0) break;
    const close = xml.indexOf(']]>', open + 9);
    if (close < 0) break;
    if (!isXmlText(xml.slice(open + 9, close))) return false;
    parts.push(xml.slice(at, open + 9), String(count++));
    at = close;
  }
  if (count === 0) return false;
  parts.push(xml.slice(at));
  try {
    const sections = parseStrict(parts.join(''));
    return sections.length === count && sections.every((text, i) => text === String(i));
  } catch {
    return false;
  }
}

/**
 * The strict check of an XML document given as parts (`DocumentParts`), without decoding its bodies: true
 * when it is well-formed. Each body's bytes must hold only XML characters and no `]]>` (`isCdataBytes`)
 * and sit between a `<![CDATA[` and a `]]>`; the document is then checked with those sections empty, and
 * saxes must report each as a CDATA section (not, say, text inside a comment). A section of such text is
 * well-formed whatever it holds, so the verdict is the whole document's. False when that does not settle
 * it: the caller checks the whole text, which also gives an error its true line and column.
 */
export function checkXmlParts(key: string, parts: DocumentParts): boolean {
  if (!key.endsWith('.xml')) return false;
  const text: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    if (typeof part === 'string') {
      text.push(part);
      continue;
    }
    const before = parts[i - 1];
    const after = parts[i + 1];
    if (
      typeof before !== 'string' ||
      !before.endsWith('<![CDATA[') ||
      typeof after !== 'string' ||
      !after.startsWith(']]>') ||
      !isCdataBytes(part as Uint8Array)
    ) {
      return false;
    }
  }
  return wellFormedWithStubs(text.join(''));
}

const person = z.object({ name: z.string().optional(), url: z.url().optional() });

/** The JSON Feed 1.1 rules a reader relies on (https://jsonfeed.org/version/1.1), checked before writing. */
const jsonFeedSchema = z.object({
  version: z.literal('https://jsonfeed.org/version/1.1'),
  title: z.string().min(1),
  home_page_url: z.url().optional(),
  feed_url: z.url().optional(),
  next_url: z.url().optional(),
  icon: z.url().optional(),
  favicon: z.url().optional(),
  hubs: z.array(z.object({ type: z.string().min(1), url: z.url() })).optional(),
  authors: z.array(person).optional(),
  items: z
    .array(
      z
        .object({
          id: z.string().min(1),
          url: z.url().optional(),
          title: z.string().optional(),
          content_html: z.string().optional(),
          content_text: z.string().optional(),
          summary: z.string().optional(),
          image: z.url().optional(),
          date_published: z.iso.datetime({ offset: true }).optional(),
          date_modified: z.iso.datetime({ offset: true }).optional(),
          authors: z.array(person).optional(),
          tags: z.array(z.string()).optional(),
          language: z.string().min(1).optional(),
        })
        .refine((item) => item.content_html !== undefined || item.content_text !== undefined, {
          message: 'an item needs content_html or content_text',
        }),
    )
    .refine((items) => new Set(items.map((i) => i.id)).size === items.length, {
      message: 'item ids must be unique',
    }),
});

/**
 * Throws naming the first problem when `value` is not a JSON Feed 1.1 document: parsed text, or the plain
 * data a renderer is about to serialise (`renderCheckedJsonFeed`).
 */
export function assertJsonFeed(value: unknown): void {
  const result = jsonFeedSchema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new Error(`not JSON Feed 1.1: /${issue?.path.join('/') ?? ''}: ${issue?.message ?? 'invalid'}`);
  }
}

/**
 * Text whose renderer has already checked what `checkOutput` would, on the value it serialised
 * (`renderCheckedJsonFeed`): `renderOutput` writes it without reading it back.
 */
export interface CheckedText {
  readonly checked: string;
}

/**
 * The strict check every output passes before it is written: XML documents parse, JSON parses, and a
 * `feed.json` is JSON Feed 1.1.
 */
export function checkOutput(key: string, body: string): void {
  if (/\.(xml|opml)$/.test(key)) assertWellFormedXml(body);
  else if (/(^|\/)feed\.json$/.test(key)) assertJsonFeed(JSON.parse(body));
  else if (/\.json$/.test(key)) JSON.parse(body);
}
