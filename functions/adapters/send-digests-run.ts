import { randomUUID } from 'node:crypto';
import type { S3Client } from '@aws-sdk/client-s3';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { z } from 'zod';
import { type Clock, hasPausedSend, type SendOutcome, sendDigests } from '../core/digest/send-digests.ts';
import type { Logger } from '../core/ports.ts';
import {
  defaultSiteConfig,
  parseSiteConfig,
  SITE_CONFIG_FILE,
  type SiteConfig,
} from '../core/site-config.ts';
import { createS3Client, S3ContentSource, S3SiteStore } from './s3.ts';
import { S3ClaimStore } from './s3-claims.ts';
import { readMaxSendRate, SesContactSource, SesMailer } from './ses-mailer.ts';

const envSchema = z.object({
  CONTENT_BUCKET: z.string().min(3),
  SITE_BUCKET: z.string().min(3),
  CONTENT_PREFIX: z
    .string()
    .default('content/')
    .transform((p) => (p === '' || p.endsWith('/') ? p : `${p}/`)),
  SENDER_EMAIL: z.string().min(3),
  CONTACT_LIST: z.string().min(1),
  CONTACT_TOPIC: z.string().min(1).optional(),
});

export type DigestSendEnv = z.output<typeof envSchema>;

/**
 * The sending settings, or undefined when sending is off (no `SENDER_EMAIL` or no `CONTACT_LIST`).
 * Throws when it is half configured in a way that cannot work.
 */
export function readDigestSendEnv(env: NodeJS.ProcessEnv): DigestSendEnv | undefined {
  if (!env.SENDER_EMAIL || !env.CONTACT_LIST) return undefined;
  const result = envSchema.safeParse(env);
  if (!result.success) {
    const detail = result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`digest sending is misconfigured (${detail}): fix the stack's environment`);
  }
  if (/[\r\n]/.test(result.data.SENDER_EMAIL)) throw new Error('SENDER_EMAIL must be one line');
  return result.data;
}

/** EventBridge schedules deliver `{ source: 'aws.events', 'detail-type': 'Scheduled Event' }`. */
export function isScheduledEvent(event: unknown): boolean {
  const e = event as { source?: unknown; 'detail-type'?: unknown } | null;
  return e?.source === 'aws.events' && e?.['detail-type'] === 'Scheduled Event';
}

export interface RunDigestSendsOptions {
  readonly env: NodeJS.ProcessEnv;
  /** The same `now` the publisher ran with, so both agree on which period is finished. */
  readonly now: Date;
  readonly logger: Logger;
  readonly s3?: S3Client;
  readonly ses?: SESv2Client;
  readonly clock?: Clock;
  readonly runId?: string;
  /** True when the Lambda's timeout is near: the sending stops and the next run carries on. */
  readonly outOfTime?: () => boolean;
  /** Only carry on a sending that paused for time (see `SendDigestsOptions.resumeOnly`). */
  readonly resumeOnly?: boolean;
}

const realClock: Clock = {
  now: () => new Date(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/**
 * The scheduled run's digest step: sends the last finished period's digest once, if sending is
 * configured. Returns undefined when it is not. Call it after `publishSite` so the digest is written.
 */
export async function runDigestSends(options: RunDigestSendsOptions): Promise<SendOutcome | undefined> {
  const env = readDigestSendEnv(options.env);
  if (!env) return undefined;
  const s3 = options.s3 ?? createS3Client();
  const ses = options.ses ?? new SESv2Client({});
  const config = await readSiteConfig(new S3ContentSource(s3, env.CONTENT_BUCKET, env.CONTENT_PREFIX));
  const store = new S3SiteStore(s3, env.SITE_BUCKET);
  // A continuation tick with no paused sending asks SES nothing.
  if (
    options.resumeOnly &&
    !(await hasPausedSend(store, options.now, config.digest.cadence, config.timeZone))
  ) {
    return undefined;
  }
  const outcome = await sendDigests({
    store,
    claims: new S3ClaimStore(s3, env.SITE_BUCKET),
    mailer: new SesMailer(ses),
    contacts: new SesContactSource(ses, env.CONTACT_LIST, env.CONTACT_TOPIC),
    cadence: config.digest.cadence,
    timeZone: config.timeZone,
    sender: env.SENDER_EMAIL,
    contactList: env.CONTACT_LIST,
    topic: env.CONTACT_TOPIC,
    maxSendRate: await readMaxSendRate(ses, options.logger),
    now: options.now,
    clock: options.clock ?? realClock,
    logger: options.logger,
    runId: options.runId ?? randomUUID(),
    outOfTime: options.outOfTime,
    resumeOnly: options.resumeOnly,
  });
  options.logger.info('digest step done', { ...outcome });
  return outcome;
}

async function readSiteConfig(source: S3ContentSource): Promise<SiteConfig> {
  try {
    return parseSiteConfig(new TextDecoder().decode(await source.read(SITE_CONFIG_FILE)));
  } catch (error) {
    if ((error as { name?: string }).name === 'NoSuchKey') return defaultSiteConfig;
    throw error;
  }
}
