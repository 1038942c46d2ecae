import { createHash } from 'node:crypto';
import { fillLabel, labelsOf } from '../labels.ts';
import { type PublishedArticle, type SiteModel, sameMembers, siteInputs } from '../site-model.ts';
import { singleLine } from '../text.ts';
import { groupByPeriod, isFinished, type Period, periodLabel } from './periods.ts';

/** Every digest lives under this prefix; `latest/` and `unsubscribe/` are not period keys. */
export const DIGESTS_DIR = 'digests/';
export const DIGEST_FILES = { html: 'index.html', text: 'digest.txt', email: 'digest.eml' } as const;
export const LATEST_DIR = `${DIGESTS_DIR}latest/`;
export const UNSUBSCRIBE_DIR = `${DIGESTS_DIR}unsubscribe/`;

/**
 * The `To` of the stored message. A placeholder must still be a valid address: `.invalid` is reserved
 * (RFC 2606), so nothing is ever delivered there; the sender replaces it with each contact. The name is
 * the site's word for a subscriber (`labels.subscriber`); this is the English one.
 */
export const PLACEHOLDER_RECIPIENT = { name: 'Subscriber', address: 'subscriber@invalid' } as const;

export interface Mailbox {
  readonly name?: string;
  readonly address: string;
}

/** One digest: a finished period and the articles published in it. */
export interface Digest {
  readonly period: Period;
  /** "Week of 6 January 2025" */
  readonly label: string;
  /** Newest first; never empty. */
  readonly articles: readonly PublishedArticle[];
  /** `digests/2025-W02/` */
  readonly dir: string;
  /** Absolute URL of the web version. */
  readonly webUrl: string;
  readonly unsubscribeUrl: string;
  /** One line: the site's title and the lead article's. */
  readonly subject: string;
  readonly from: Mailbox;
  /** `<digest-2025-W02.<hash of site URL>@broadsheet>`: one id per site and period, never the clock. */
  readonly messageId: string;
  /** The period's end: the message's Date, so it never moves. */
  readonly date: Date;
}

/**
 * The digests of every FINISHED period (end ≤ `now`) that has articles, newest first. A new article
 * never rewrites the current period: its digest appears once the period is over.
 */
export function buildDigests(model: SiteModel, now: Date): Digest[] {
  const { config, siteUrl } = model;
  const labels = labelsOf(config);
  const inputs = siteInputs(model);
  let siteHash: string | undefined;
  return groupByPeriod(model.articles, config.digest.cadence, config.timeZone)
    .filter(({ period }) => isFinished(period, now))
    .map(({ period, items }) => {
      // A warm process plans every digest on every run; a period whose articles are the same objects as
      // last time gets the same Digest object back (and with it the plans and feed item made from it).
      const memoKey = inputs + period.key;
      const known = digestMemo.get(memoKey);
      if (known && sameMembers(known.articles, items)) return known;
      siteHash ??= createHash('sha256').update(siteUrl).digest('hex').slice(0, 16);
      const dir = `${DIGESTS_DIR}${period.key}/`;
      const lead = items[0] as PublishedArticle;
      const others = items.length - 1;
      const more =
        others > 0
          ? ` ${fillLabel(others === 1 ? labels.subjectMoreOne : labels.subjectMoreOther, { count: others })}`
          : '';
      const digest: Digest = {
        period,
        label: periodLabel(period, config.language, config.timeZone, labels.weekOf),
        articles: items,
        dir,
        webUrl: siteUrl + dir,
        unsubscribeUrl: siteUrl + UNSUBSCRIBE_DIR,
        // Article text reaches a header only here; singleLine drops CR/LF and the composer encodes the rest.
        subject: singleLine(`${config.title}: ${lead.title}${more}`),
        from: digestFrom(model),
        messageId: `<digest-${period.key}.${siteHash}@broadsheet>`,
        date: period.end,
      };
      if (digestMemo.size >= MAX_DIGESTS_KEPT) digestMemo.clear();
      digestMemo.set(memoKey, digest);
      return digest;
    });
}

/** Digests of earlier runs by site inputs and period: bounded, since a warm process serves many runs. */
const digestMemo = new Map<string, Digest>();
const MAX_DIGESTS_KEPT = 5_000;

/** `digest.from`, else the site's author when it has an email, else `noreply@<site host>`. */
export function digestFrom(model: SiteModel): Mailbox {
  const { config, siteUrl } = model;
  const from = config.digest.from;
  if (from) return { name: singleLine(from.name ?? config.title), address: from.email };
  const author = config.author;
  if (author && 'email' in author && author.email) {
    return { name: singleLine(author.name), address: author.email };
  }
  return { name: singleLine(config.title), address: `noreply@${new URL(siteUrl).hostname}` };
}
