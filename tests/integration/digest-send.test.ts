import { Readable } from 'node:stream';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import {
  CreateContactCommand,
  CreateContactListCommand,
  CreateEmailIdentityCommand,
  type SESv2Client,
} from '@aws-sdk/client-sesv2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3ClaimStore } from '../../functions/adapters/s3-claims.ts';
import { runDigestSends } from '../../functions/adapters/send-digests-run.ts';
import { planDigests } from '../../functions/core/digest/plan-digests.ts';
import type { Clock, SentRecord } from '../../functions/core/digest/send-digests.ts';
import { silentLogger } from '../../functions/core/ports.ts';
import { DIGEST_NOW, digestModel } from '../fixtures/digests.ts';
import {
  hasMotoServer,
  MOTO_MISSING,
  type MotoServer,
  readSentEmails,
  s3ClientFor,
  sesClientFor,
  startMotoServer,
} from '../helpers/moto-server.ts';
import { missing } from '../helpers/skip.ts';

const CONTENT_BUCKET = 'digest-content';
const SITE_BUCKET = 'digest-site';
const CONTACTS = ['ann@readers.example', 'bob@readers.example'];
const env = {
  CONTENT_BUCKET,
  SITE_BUCKET,
  SENDER_EMAIL: 'Dispatch <news@dispatch.example>',
  CONTACT_LIST: 'readers',
  CONTACT_TOPIC: 'digest',
};

/**
 * moto 5.2.1 answers SESv2 contact timestamps as ISO strings where AWS's JSON protocol has epoch seconds,
 * and the SDK refuses them ("Expected real number"). Rewrite them in the raw response, for tests only.
 */
function acceptMotoTimestamps(client: SESv2Client): void {
  client.middlewareStack.add(
    (next) => async (args) => {
      const result = await next(args);
      const response = (result as { response?: { body?: unknown } }).response;
      const body = response?.body as AsyncIterable<Uint8Array> | undefined;
      if (response && body && typeof (body as { pipe?: unknown }).pipe === 'function') {
        const chunks: Buffer[] = [];
        for await (const chunk of body) chunks.push(Buffer.from(chunk));
        const text = Buffer.concat(chunks)
          .toString('utf8')
          .replace(
            /"(\w*Timestamp)":\s*"([^"]+)"/g,
            (_m, key: string, iso: string) => `"${key}": ${Date.parse(iso) / 1000}`,
          );
        response.body = Readable.from([Buffer.from(text)]);
      }
      return result;
    },
    { step: 'deserialize', priority: 'low', name: 'acceptMotoTimestamps' },
  );
}

/** Moto has no GetAccount, so the run paces at the fallback rate; this clock makes the waits free. */
const instantClock: Clock = { now: () => new Date(), sleep: async () => {} };

describe.skipIf(missing(hasMotoServer(), MOTO_MISSING))('sending digests through SESv2 (moto)', () => {
  let moto: MotoServer;
  let s3: S3Client;
  let ses: SESv2Client;

  beforeAll(async () => {
    moto = await startMotoServer();
    s3 = s3ClientFor(moto.endpoint);
    ses = sesClientFor(moto.endpoint);
    acceptMotoTimestamps(ses);
  });

  afterAll(async () => {
    await moto?.stop();
  });

  async function setUp(): Promise<void> {
    await moto.reset();
    for (const Bucket of [CONTENT_BUCKET, SITE_BUCKET]) await s3.send(new CreateBucketCommand({ Bucket }));
    await s3.send(
      new PutObjectCommand({
        Bucket: CONTENT_BUCKET,
        Key: 'content/site.yaml',
        Body: 'title: Dispatch\ntimeZone: Europe/Paris\ndigest:\n  cadence: weekly\n',
      }),
    );
    // What the publisher wrote for DIGEST_NOW.
    for (const plan of planDigests(digestModel(), DIGEST_NOW)) {
      await s3.send(new PutObjectCommand({ Bucket: SITE_BUCKET, Key: plan.key, Body: plan.render() }));
    }
    await ses.send(new CreateEmailIdentityCommand({ EmailIdentity: 'dispatch.example' }));
    await ses.send(
      new CreateContactListCommand({
        ContactListName: 'readers',
        Topics: [
          {
            TopicName: 'digest',
            DisplayName: 'Weekly digest',
            Description: 'Every article of the week',
            DefaultSubscriptionStatus: 'OPT_IN',
          },
        ],
      }),
    );
    for (const EmailAddress of CONTACTS) {
      await ses.send(new CreateContactCommand({ ContactListName: 'readers', EmailAddress }));
    }
  }

  type RunOptions = Partial<Parameters<typeof runDigestSends>[0]>;
  const run = (runId: string, extra: RunOptions = {}) =>
    runDigestSends({
      env,
      now: DIGEST_NOW,
      logger: silentLogger,
      s3,
      ses,
      clock: instantClock,
      runId,
      ...extra,
    });
  /** A run whose time runs out after one message. */
  const stoppedAfterOne = (runId: string) => {
    let asked = 0;
    return run(runId, { outOfTime: () => ++asked > 1 });
  };

  /**
   * Two S3 clients whose conditional creates of a `claim.json` are answered in turn: the second client's
   * waits until the first client's has its answer.
   */
  function claimsInTurn(): [S3Client, S3Client] {
    const isClaim = (input: unknown) => {
      const { Key, IfNoneMatch } = input as { Key?: string; IfNoneMatch?: string };
      return IfNoneMatch === '*' && Key?.endsWith('/claim.json') === true;
    };
    let answered = () => {};
    const firstAnswered = new Promise<void>((resolve) => {
      answered = resolve;
    });
    const first = s3ClientFor(moto.endpoint);
    first.middlewareStack.add(
      (next) => async (args) => (isClaim(args.input) ? next(args).finally(answered) : next(args)),
      { step: 'initialize' },
    );
    const second = s3ClientFor(moto.endpoint);
    second.middlewareStack.add(
      (next) => async (args) => {
        if (isClaim(args.input)) await firstAnswered;
        return next(args);
      },
      { step: 'initialize' },
    );
    return [first, second];
  }

  async function readJson<T>(key: string): Promise<T> {
    const object = await s3.send(new GetObjectCommand({ Bucket: SITE_BUCKET, Key: key }));
    return JSON.parse((await object.Body?.transformToString()) ?? '') as T;
  }

  it('two overlapping runs send the digest exactly once; a retried run sends nothing', async () => {
    await setUp();
    // moto checks If-None-Match, then stores, with no lock between (moto/s3/responses.py): two claims
    // that arrive together can both pass its check, which S3 never allows. So the second run's claim
    // waits for the first's answer, as S3 orders them; everything else of the two runs overlaps.
    const [first, second] = claimsInTurn();
    const outcomes = await Promise.all([run('run-a', { s3: first }), run('run-b', { s3: second })]);
    expect(outcomes.map((o) => o?.status).sort()).toEqual(['claimed-elsewhere', 'sent']);

    const sent = await readSentEmails(moto.endpoint);
    expect(sent).toHaveLength(CONTACTS.length);
    for (const mail of sent) {
      if (mail.kind !== 'raw') throw new Error('expected raw mail');
      expect(mail.from).toBe('Dispatch <news@dispatch.example>');
      expect(mail.to).toHaveLength(1);
      expect(mail.raw).toMatch(/^From: Dispatch <news@dispatch\.example>\r\n/);
      expect(mail.raw).toContain(`\r\nTo: ${mail.to[0]}\r\n`);
      expect(mail.raw).toContain('Message-ID: <digest-2025-W03.');
      expect(mail.raw).not.toContain('subscriber@invalid');
    }
    expect(sent.flatMap((m) => m.to).sort()).toEqual(CONTACTS);

    const record = await readJson<SentRecord>('_state/digests/2025-W03/sent.json');
    expect(record.period).toBe('2025-W03');
    expect(record.recipients.map((r) => r.to)).toEqual(CONTACTS);
    expect(record.recipients.every((r) => r.messageId.length > 0)).toBe(true);
    expect(record.failed).toEqual([]);
    const claim = await readJson<{ runId: string }>('_state/digests/2025-W03/claim.json');
    expect(claim.runId).toBe(record.runId);
    expect(await readJson('_state/digests/frozen.json')).toEqual({ version: 1, periods: ['2025-W03'] });

    expect(await run('retry')).toEqual({ status: 'already-sent', period: '2025-W03' });
    expect(await readSentEmails(moto.endpoint)).toHaveLength(CONTACTS.length);
  });

  it('a run that stops for time is carried on by the next: each contact mailed once', async () => {
    await setUp();
    const stopped = await stoppedAfterOne('short');
    expect(stopped).toEqual({ status: 'paused', period: '2025-W03', sent: 1, failed: 0 });
    expect((await readSentEmails(moto.endpoint)).flatMap((m) => m.to)).toEqual([CONTACTS[0]]);

    expect(await run('next')).toEqual({ status: 'sent', period: '2025-W03', sent: 2, failed: 0 });
    expect((await readSentEmails(moto.endpoint)).flatMap((m) => m.to).sort()).toEqual(CONTACTS);
    const record = await readJson<SentRecord>('_state/digests/2025-W03/sent.json');
    expect(record.recipients.map((r) => r.to)).toEqual(CONTACTS);
    expect(record.runs).toBe(2);
    expect(await run('retry')).toEqual({ status: 'already-sent', period: '2025-W03' });
  });

  it('a continuation tick asks SES nothing unless a sending paused, then finishes that one', async () => {
    await setUp();
    const tick = (client: SESv2Client) => run('tick', { ses: client, resumeOnly: true });
    // Nothing paused: two small S3 reads, no call to SES (this client would fail), nothing claimed.
    const nowhere = sesClientFor('http://127.0.0.1:9');
    expect(await tick(nowhere)).toBeUndefined();
    expect(await readSentEmails(moto.endpoint)).toEqual([]);

    const stopped = await stoppedAfterOne('hourly');
    expect(stopped).toEqual({ status: 'paused', period: '2025-W03', sent: 1, failed: 0 });
    expect(await tick(ses)).toEqual({ status: 'sent', period: '2025-W03', sent: 2, failed: 0 });
    expect((await readSentEmails(moto.endpoint)).flatMap((m) => m.to).sort()).toEqual(CONTACTS);
    expect(await tick(nowhere)).toBeUndefined();
  });

  it('does nothing when sending is not configured', async () => {
    await setUp();
    const outcome = await runDigestSends({
      env: { CONTENT_BUCKET, SITE_BUCKET },
      now: DIGEST_NOW,
      logger: silentLogger,
      s3,
      ses,
    });
    expect(outcome).toBeUndefined();
    expect(await readSentEmails(moto.endpoint)).toEqual([]);
  });

  it('S3ClaimStore: the first claim of a key wins, every later one is refused (412)', async () => {
    await setUp();
    const claims = new S3ClaimStore(s3, SITE_BUCKET);
    const body = (n: number) => new TextEncoder().encode(`{"n":${n}}`);
    // One after another: simultaneous ones would race inside moto (see above), never inside S3.
    const results: boolean[] = [];
    for (let n = 0; n < 4; n++) results.push(await claims.putIfAbsent('_state/x.json', body(n)));
    expect(results).toEqual([true, false, false, false]);
    expect(await readJson('_state/x.json')).toEqual({ n: 0 });
  });
});
