/**
 * JSON Feed 1.1 validation: the community schema in `../shared/schemas/` (draft-07, so plain Ajv) plus the
 * rules of https://jsonfeed.org/version/1.1 it cannot express or leaves loose.
 */
import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { hasShared, SHARED_MISSING, sharedPath } from './paths.ts';
import { missing } from './skip.ts';

export const JSON_FEED_VERSION = 'https://jsonfeed.org/version/1.1';

let validateSchema: ValidateFunction | undefined;

function compiledSchema(): ValidateFunction | undefined {
  if (validateSchema === undefined) {
    // Without ../shared, only the hand-written rules below run (and CI, which has it, fails instead).
    if (missing(hasShared(), SHARED_MISSING)) return undefined;
    const schema = JSON.parse(
      readFileSync(sharedPath('schemas', 'jsonfeed-v1.1.schema.json'), 'utf8'),
    ) as object;
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats.default(ajv);
    validateSchema = ajv.compile(schema);
  }
  return validateSchema;
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function checkUrl(problems: string[], path: string, value: unknown, allowMailto = false): void {
  if (typeof value !== 'string') return;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    problems.push(`${path}: "${value}" is not an absolute URL`);
    return;
  }
  const allowed = allowMailto ? ['http:', 'https:', 'mailto:'] : ['http:', 'https:'];
  if (!allowed.includes(url.protocol)) problems.push(`${path}: "${value}" is not an http(s) URL`);
}

function checkAuthors(problems: string[], path: string, owner: Json): void {
  if ('author' in owner)
    problems.push(`${path}/author: deprecated in JSON Feed 1.1, use "authors" (an array)`);
  if (!Array.isArray(owner.authors)) return;
  owner.authors.forEach((author, i) => {
    if (!isObject(author)) return;
    checkUrl(problems, `${path}/authors/${i}/url`, author.url, true);
    checkUrl(problems, `${path}/authors/${i}/avatar`, author.avatar);
  });
}

/**
 * Validates a parsed JSON Feed as 1.1; returns one line per problem (`/items/0/id: …`), empty when valid.
 * Without `../shared/schemas/` the schema part is skipped with a warning (an error under
 * `BROADSHEET_REQUIRE_TOOLS=1`).
 */
export function validateJsonFeed(feed: unknown): string[] {
  const validate = compiledSchema();
  const problems =
    !validate || validate(feed)
      ? []
      : (validate.errors ?? []).map((e) => `${e.instancePath || '/'}: ${e.message ?? e.keyword}`);
  if (!isObject(feed)) return problems;

  if (feed.version !== JSON_FEED_VERSION) {
    problems.push(`/version: must be "${JSON_FEED_VERSION}", got ${JSON.stringify(feed.version)}`);
  }
  for (const key of ['home_page_url', 'feed_url', 'next_url', 'icon', 'favicon'] as const) {
    checkUrl(problems, `/${key}`, feed[key]);
  }
  checkAuthors(problems, '', feed);
  if (Array.isArray(feed.hubs)) {
    feed.hubs.forEach((hub, i) => {
      if (isObject(hub)) checkUrl(problems, `/hubs/${i}/url`, hub.url);
    });
  }

  const seen = new Map<string, number>();
  const items: unknown[] = Array.isArray(feed.items) ? feed.items : [];
  items.forEach((item, i) => {
    if (!isObject(item)) return;
    const path = `/items/${i}`;
    // The schema requires a string id; 1.1 also wants it unique and not empty.
    if (typeof item.id === 'string') {
      const first = seen.get(item.id);
      if (item.id.trim() === '') problems.push(`${path}/id: must not be empty`);
      else if (first !== undefined) problems.push(`${path}/id: "${item.id}" repeats /items/${first}/id`);
      else seen.set(item.id, i);
    }
    for (const key of ['url', 'external_url', 'image', 'banner_image'] as const) {
      checkUrl(problems, `${path}/${key}`, item[key]);
    }
    checkAuthors(problems, path, item);
    if (Array.isArray(item.attachments)) {
      item.attachments.forEach((a, j) => {
        if (isObject(a)) checkUrl(problems, `${path}/attachments/${j}/url`, a.url);
      });
    }
  });
  return problems;
}
