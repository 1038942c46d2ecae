import { execFileSync } from 'node:child_process';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { CreateEmailIdentityCommand, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  drainQueue,
  enableS3ToSqs,
  hasMotoServer,
  isS3TestEvent,
  MOTO_MISSING,
  type MotoServer,
  motoEnv,
  readSentEmails,
  s3ClientFor,
  s3EventRecords,
  sesClientFor,
  sqsClientFor,
  startMotoServer,
} from '../helpers/moto-server.ts';
import { missing } from '../helpers/skip.ts';

async function statusOf(promise: Promise<unknown>): Promise<number | undefined> {
  try {
    await promise;
    return 200;
  } catch (err) {
    return (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  }
}

describe.skipIf(missing(hasMotoServer(), MOTO_MISSING))('moto_server helper', () => {
  let moto: MotoServer;
  let s3: S3Client;

  beforeAll(async () => {
    moto = await startMotoServer();
    s3 = s3ClientFor(moto.endpoint);
  });
  afterAll(async () => {
    await moto?.stop();
  });
  beforeEach(async () => {
    await moto.reset();
    await s3.send(new CreateBucketCommand({ Bucket: 'harness' }));
  });

  it('stores and returns an object', async () => {
    await s3.send(new PutObjectCommand({ Bucket: 'harness', Key: 'a/b.txt', Body: 'hello' }));
    const got = await s3.send(new GetObjectCommand({ Bucket: 'harness', Key: 'a/b.txt' }));
    expect(await got.Body?.transformToString()).toBe('hello');
  });

  it('answers 412 to conditional writes that do not hold', async () => {
    const put = (extra: { IfNoneMatch?: string; IfMatch?: string }) =>
      s3.send(new PutObjectCommand({ Bucket: 'harness', Key: 'lock', Body: 'x', ...extra }));
    const first = await put({ IfNoneMatch: '*' });
    expect(await statusOf(put({ IfNoneMatch: '*' }))).toBe(412);
    expect(await statusOf(put({ IfMatch: '"0123456789abcdef0123456789abcdef"' }))).toBe(412);
    expect(await statusOf(put({ IfMatch: first.ETag }))).toBe(200);
  });

  it('delivers S3 events to SQS after a test event, with form-encoded keys', async () => {
    const sqs = sqsClientFor(moto.endpoint);
    const queueUrl = await enableS3ToSqs({ s3, sqs, bucket: 'harness', prefix: 'content/' });
    await s3.send(new PutObjectCommand({ Bucket: 'harness', Key: 'content/a b+c é.md', Body: 'x' }));
    await s3.send(new PutObjectCommand({ Bucket: 'harness', Key: 'site/ignored.html', Body: 'x' }));

    const messages = await drainQueue(sqs, queueUrl);
    expect(isS3TestEvent(messages[0]?.Body)).toBe(true);
    const records = s3EventRecords(messages);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      eventName: 'ObjectCreated:Put',
      bucket: 'harness',
      key: 'content/a b+c é.md',
    });
    expect(records[0]?.rawKey).toContain('a+b%2Bc+%C3%A9.md');
    expect(await drainQueue(sqs, queueUrl)).toEqual([]);
  });

  it('records mail sent through SESv2', async () => {
    const ses = sesClientFor(moto.endpoint);
    await ses.send(new CreateEmailIdentityCommand({ EmailIdentity: 'example.com' }));
    await ses.send(
      new SendEmailCommand({
        FromEmailAddress: 'Broadsheet <news@example.com>',
        Destination: { ToAddresses: ['reader@example.org'] },
        Content: { Raw: { Data: Buffer.from('Subject: Digest\r\nTo: reader@example.org\r\n\r\nHello\r\n') } },
      }),
    );
    const sent = await readSentEmails(moto.endpoint);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      kind: 'raw',
      from: 'Broadsheet <news@example.com>',
      to: ['reader@example.org'],
    });
    expect(sent[0]?.kind === 'raw' && sent[0].raw).toContain('Subject: Digest');
  });

  it('is reachable by clients built from the environment alone', async () => {
    const env = motoEnv(moto.endpoint);
    const script = `
      import { S3Client, PutObjectCommand } from '@aws-sdk/client-s3';
      await new S3Client({}).send(new PutObjectCommand({ Bucket: 'harness', Key: 'from-env', Body: 'ok' }));
    `;
    execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      env: { PATH: process.env.PATH, ...env },
      stdio: 'pipe',
    });
    const got = await s3.send(new GetObjectCommand({ Bucket: 'harness', Key: 'from-env' }));
    expect(await got.Body?.transformToString()).toBe('ok');
  });
});
