import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Logger, SiteStore } from '../ports.ts';
import type { OutputPlan } from '../render-site.ts';
import { addressDigestEmail } from './compose-digest-email.ts';
import { DIGEST_FILES, DIGESTS_DIR } from './digest-model.ts';
import { type Cadence, lastFinishedPeriod, PERIOD_KEY } from './periods.ts';

/** Sends one message. SESv2 in production (`functions/adapters/ses-mailer.ts`), a fake in tests. */
export interface Mailer {
  send(raw: Uint8Array, options: MailerSendOptions): Promise<{ messageId: string }>;
}

export interface MailerSendOptions {
  /** Envelope sender: the verified identity (`SENDER_EMAIL`). */
  readonly from: string;
  /** One contact per message: SES's unsubscribe link is personal. */
  readonly to: string;
  readonly contactList: string;
  readonly topic?: string;
}

/** Everyone who should get the digest now (subscribed to the list, and to the topic when there is one). */
export interface ContactSource {
  list(): Promise<string[]>;
}

/** An atomic create: S3 `PutObject` with `If-None-Match: *` (`functions/adapters/s3-claims.ts`). */
export interface ClaimStore {
  /** Creates `key` and returns true, or returns false when it already exists. */
  putIfAbsent(key: string, body: Uint8Array): Promise<boolean>;
}

export interface Clock {
  now(): Date;
  sleep(ms: number): Promise<void>;
}

export const DIGEST_STATE_DIR = '_state/digests/';
export const FROZEN_DIGESTS_KEY = `${DIGEST_STATE_DIR}frozen.json`;
export const claimKey = (period: string) => `${DIGEST_STATE_DIR}${period}/claim.json`;
export const sentKey = (period: string) => `${DIGEST_STATE_DIR}${period}/sent.json`;
/** What the `n`-th run that stopped for time had sent (n = 1, 2, …). */
export const partKey = (period: string, n: number) => `${DIGEST_STATE_DIR}${period}/part-${n}.json`;
/** The claim of the run that carries on after part `n`. */
export const resumeKey = (period: string, n: number) => `${DIGEST_STATE_DIR}${period}/resume-${n}.json`;

export interface SendDigestsOptions {
  /** The site bucket: reads `digests/<period>/digest.eml`, writes `_state/digests/…`. */
  readonly store: Pick<SiteStore, 'read' | 'write'>;
  readonly claims: ClaimStore;
  readonly mailer: Mailer;
  readonly contacts: ContactSource;
  readonly cadence: Cadence;
  readonly timeZone: string;
  /** `SENDER_EMAIL`: `news@example.com` or `Dispatch <news@example.com>`; replaces the stored From. */
  readonly sender: string;
  readonly contactList: string;
  readonly topic?: string;
  /** Messages per second (SES `SendQuota.MaxSendRate`). */
  readonly maxSendRate: number;
  /** The run's time: decides which period is the last finished one. */
  readonly now: Date;
  /** Paces the sends and stamps the record; injected so tests never wait. */
  readonly clock: Clock;
  readonly logger: Logger;
  /** Names the run in the claim, for whoever reads the state later. */
  readonly runId: string;
  /**
   * Asked before each message; true stops the sending there and records who got it, so that the next run
   * sends to the others (the Lambda answers true when its timeout is near). @default never
   */
  readonly outOfTime?: () => boolean;
  /**
   * Only carry on a sending that paused for time; never start one (the continuation tick: a new digest
   * goes out with the hourly run, after the site that shows it is published). @default false
   */
  readonly resumeOnly?: boolean;
}

export type SendOutcome =
  | {
      readonly status: 'sent' | 'paused';
      readonly period: string;
      readonly sent: number;
      readonly failed: number;
    }
  | {
      readonly status: 'already-sent' | 'claimed-elsewhere' | 'no-digest' | 'nothing-to-resume';
      readonly period: string;
    };

/** `_state/digests/<period>/part-<n>.json`: what a run that stopped for time had sent. */
export interface SentPart {
  readonly version: 1;
  readonly period: string;
  readonly runId: string;
  readonly pausedAt: string;
  readonly recipients: readonly { readonly to: string; readonly messageId: string }[];
  readonly failed: readonly { readonly to: string; readonly error: string }[];
}

/** `_state/digests/<period>/sent.json` */
export interface SentRecord {
  readonly version: 1;
  readonly period: string;
  readonly runId: string;
  readonly claimedAt: string;
  readonly sentAt: string;
  readonly from: string;
  readonly contactList: string;
  readonly topic?: string;
  /** SHA-256 of the stored digest.eml that was sent. */
  readonly emlSha256: string;
  readonly recipients: readonly { readonly to: string; readonly messageId: string }[];
  readonly failed: readonly { readonly to: string; readonly error: string }[];
  /** Runs the sending took, when more than one (each earlier one stopped for time). */
  readonly runs?: number;
}

const encoder = new TextEncoder();
const json = (value: unknown) => encoder.encode(`${JSON.stringify(value, null, 2)}\n`);
const STATE_WRITE = { contentType: 'application/json; charset=utf-8', cacheControl: 'no-store' };

/**
 * Sends the digest of the last finished period once. Only that period is ever considered: older unsent
 * periods are skipped for good (no backlog on first deploy, no late mail after an outage).
 *
 * At most once per contact across retries and overlapping runs: the S3 conditional create of `claim.json`
 * decides which run sends; every other run sees the claim and stops. A run that dies after claiming leaves
 * the claim without `sent.json`: the period is then never sent again automatically (a newsletter sent
 * twice is worse than one missed); delete `claim.json` to retry by hand. A run that sees its time running
 * out stops between two messages and records whom it sent to (`part-<n>.json`); the next run claims the
 * continuation (`resume-<n>.json`, the same conditional create) and sends to the contacts no part names.
 */
export async function sendDigests(options: SendDigestsOptions): Promise<SendOutcome> {
  const { store, claims, logger } = options;
  const period = lastFinishedPeriod(options.now, options.cadence, options.timeZone).key;
  if (await store.read(sentKey(period))) return { status: 'already-sent', period };
  // Read before claiming: a period with no digest (no articles) must not be claimed.
  const eml = await store.read(`${DIGESTS_DIR}${period}/${DIGEST_FILES.email}`);
  if (!eml) {
    logger.info('no digest to send', { period });
    return { status: 'no-digest', period };
  }
  const claimedAt = options.clock.now().toISOString();
  const claim = json({ version: 1, period, runId: options.runId, claimedAt });
  if (options.resumeOnly) {
    if (!(await store.read(partKey(period, 1)))) return { status: 'nothing-to-resume', period };
  } else if (await claims.putIfAbsent(claimKey(period), claim)) {
    // From here on the publisher leaves this period's files alone.
    await freezeDigestPeriod(store, period);
    return send(options, period, eml, claimedAt, []);
  }
  // Claimed before: carry on only where the last run that held it stopped for time.
  const parts = await readParts(store, period);
  if (parts.length > 0 && (await claims.putIfAbsent(resumeKey(period, parts.length), claim))) {
    const first = await store.read(claimKey(period));
    const firstClaimedAt = first ? readClaimedAt(first) : undefined;
    return send(options, period, eml, firstClaimedAt ?? claimedAt, parts);
  }
  logger.info('digest already claimed by another run', { period });
  return { status: 'claimed-elsewhere', period };
}

async function send(
  options: SendDigestsOptions,
  period: string,
  eml: Uint8Array,
  claimedAt: string,
  parts: readonly SentPart[],
): Promise<SendOutcome> {
  const { store, mailer, contacts, clock, logger } = options;
  const raw = new TextDecoder().decode(eml);
  const recipients = parts.flatMap((part) => part.recipients);
  const failed = parts.flatMap((part) => part.failed);
  const earlier = { recipients: recipients.length, failed: failed.length };
  const done = new Set([...recipients, ...failed].map((r) => r.to));
  const pace = pacer(options.maxSendRate, clock);
  for (const to of [...new Set(await contacts.list())].sort()) {
    if (done.has(to)) continue;
    await pace();
    if (options.outOfTime?.()) {
      const part: SentPart = {
        version: 1,
        period,
        runId: options.runId,
        pausedAt: clock.now().toISOString(),
        recipients: recipients.slice(earlier.recipients),
        failed: failed.slice(earlier.failed),
      };
      await store.write(partKey(period, parts.length + 1), json(part), STATE_WRITE);
      logger.warn('digest sending stopped for time: the next run sends to the rest', {
        period,
        sent: recipients.length,
      });
      return { status: 'paused', period, sent: recipients.length, failed: failed.length };
    }
    try {
      const message = encoder.encode(addressDigestEmail(raw, { from: options.sender, to }));
      const { messageId } = await mailer.send(message, {
        from: options.sender,
        to,
        contactList: options.contactList,
        topic: options.topic,
      });
      recipients.push({ to, messageId });
    } catch (error) {
      // One bad address must not stop the others; it is recorded, never retried (the claim is taken).
      failed.push({ to, error: (error as Error).message });
      logger.warn('digest not sent to a contact', { period, error: (error as Error).message });
    }
  }
  const record: SentRecord = {
    version: 1,
    period,
    runId: options.runId,
    claimedAt,
    sentAt: clock.now().toISOString(),
    from: options.sender,
    contactList: options.contactList,
    ...(options.topic ? { topic: options.topic } : {}),
    emlSha256: createHash('sha256').update(eml).digest('hex'),
    recipients,
    failed,
    ...(parts.length > 0 ? { runs: parts.length + 1 } : {}),
  };
  await store.write(sentKey(period), json(record), STATE_WRITE);
  logger.info('digest sent', { period, sent: recipients.length, failed: failed.length });
  return { status: 'sent', period, sent: recipients.length, failed: failed.length };
}

/** The parts of a period in order, up to the first missing one. */
/**
 * Whether the last finished period's sending paused for time and is not finished: two small reads, for
 * the continuation tick to decide whether to look further.
 */
export async function hasPausedSend(
  store: Pick<SiteStore, 'read'>,
  now: Date,
  cadence: Cadence,
  timeZone: string,
): Promise<boolean> {
  const period = lastFinishedPeriod(now, cadence, timeZone).key;
  if (await store.read(sentKey(period))) return false;
  return (await store.read(partKey(period, 1))) !== undefined;
}

async function readParts(store: Pick<SiteStore, 'read'>, period: string): Promise<SentPart[]> {
  const parts: SentPart[] = [];
  for (let n = 1; ; n++) {
    const bytes = await store.read(partKey(period, n));
    if (!bytes) return parts;
    const part = sentPartSchema.safeParse(parseJson(bytes));
    if (!part.success) {
      // Whom it names is unknown: carrying on could send to them twice, so this period stops here.
      throw new Error(`${partKey(period, n)} is damaged; the period's sending stays stopped (at most once)`);
    }
    parts.push(part.data);
  }
}

const sentPartSchema = z.object({
  version: z.literal(1),
  period: z.string(),
  runId: z.string(),
  pausedAt: z.string(),
  recipients: z.array(z.object({ to: z.string(), messageId: z.string() })),
  failed: z.array(z.object({ to: z.string(), error: z.string() })),
});

function parseJson(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return undefined;
  }
}

function readClaimedAt(bytes: Uint8Array): string | undefined {
  const claimedAt = (parseJson(bytes) as { claimedAt?: unknown } | undefined)?.claimedAt;
  return typeof claimedAt === 'string' ? claimedAt : undefined;
}

/** Spaces the starts of successive sends at least `1 / rate` seconds apart. */
export function pacer(ratePerSecond: number, clock: Clock): () => Promise<void> {
  const interval = 1000 / Math.max(ratePerSecond, 0.001);
  let next = Number.NEGATIVE_INFINITY;
  return async () => {
    const now = clock.now().getTime();
    if (now < next) await clock.sleep(next - now);
    next = Math.max(now, next) + interval;
  };
}

// ---- Freezing: once a digest is claimed for sending, the publisher must not rewrite its files. ----

/** The periods whose digests are frozen, from keys of `_state/digests/<period>/claim.json` or `sent.json`. */
export function frozenDigestPeriods(stateKeys: Iterable<string>): Set<string> {
  const periods = new Set<string>();
  for (const key of stateKeys) {
    const match = /^_state\/digests\/([^/]+)\/(?:claim|sent)\.json$/.exec(key);
    if (match?.[1] && PERIOD_KEY.test(match[1])) periods.add(match[1]);
  }
  return periods;
}

/** The frozen periods as recorded in `_state/digests/frozen.json` (one read; no listing needed). */
export async function readFrozenDigestPeriods(store: Pick<SiteStore, 'read'>): Promise<Set<string>> {
  const bytes = await store.read(FROZEN_DIGESTS_KEY);
  if (!bytes) return new Set();
  try {
    const parsed = JSON.parse(new TextDecoder().decode(bytes)) as { periods?: unknown };
    const periods = Array.isArray(parsed.periods) ? parsed.periods : [];
    return new Set(periods.filter((p): p is string => typeof p === 'string' && PERIOD_KEY.test(p)));
  } catch {
    return new Set();
  }
}

/**
 * Adds `period` to `frozen.json`. Read-modify-write is safe enough here: only the run holding a period's
 * claim writes it, and it writes before sending, so the publisher's next run already sees it.
 */
export async function freezeDigestPeriod(store: Pick<SiteStore, 'read' | 'write'>, period: string) {
  const periods = await readFrozenDigestPeriods(store);
  if (periods.has(period)) return;
  periods.add(period);
  await store.write(FROZEN_DIGESTS_KEY, json({ version: 1, periods: [...periods].sort() }), STATE_WRITE);
}

/** True for an output of a frozen digest, `digests/latest/…` included while it shows that digest. */
export function isFrozenDigestOutput(plan: OutputPlan, frozen: ReadonlySet<string>): boolean {
  const period = (plan as { digestPeriod?: unknown }).digestPeriod;
  return typeof period === 'string' && frozen.has(period);
}

/** True for a key under `digests/<frozen period>/`: such a file is never deleted either. */
export function isFrozenDigestKey(key: string, frozen: ReadonlySet<string>): boolean {
  const match = /^digests\/([^/]+)\//.exec(key);
  return match?.[1] !== undefined && frozen.has(match[1]);
}
