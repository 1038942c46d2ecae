import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { S3ClaimStore } from '../../functions/adapters/s3-claims.ts';

// The error paths S3 takes and moto_server does not (the claims themselves are tested against moto).
const failure = (name: string, httpStatusCode: number) =>
  Object.assign(new Error(name), { name, $metadata: { httpStatusCode } });

describe('S3ClaimStore error paths', () => {
  const body = new TextEncoder().encode('{}');

  it('takes 409 (another conditional write of the key in flight) and 412 as a claim held elsewhere', async () => {
    const s3 = new S3Client({ region: 'us-east-1' });
    const mock = mockClient(s3);
    const claims = new S3ClaimStore(s3, 'site');
    mock
      .on(PutObjectCommand)
      .rejectsOnce(failure('ConditionalRequestConflict', 409))
      .rejectsOnce(failure('PreconditionFailed', 412))
      .resolves({});
    expect(await claims.putIfAbsent('_state/x.json', body)).toBe(false);
    expect(await claims.putIfAbsent('_state/x.json', body)).toBe(false);
    expect(await claims.putIfAbsent('_state/x.json', body)).toBe(true);
    expect(mock.commandCalls(PutObjectCommand).map((c) => c.args[0].input.IfNoneMatch)).toEqual([
      '*',
      '*',
      '*',
    ]);
  });

  it('lets any other failure through: the run fails and is retried, nothing is taken as claimed', async () => {
    const s3 = new S3Client({ region: 'us-east-1' });
    mockClient(s3).on(PutObjectCommand).rejects(failure('InternalError', 500));
    await expect(new S3ClaimStore(s3, 'site').putIfAbsent('_state/x.json', body)).rejects.toThrow(
      'InternalError',
    );
  });
});
