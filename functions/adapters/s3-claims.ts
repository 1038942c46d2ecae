import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { ClaimStore } from '../core/digest/send-digests.ts';

/**
 * Claims as S3 conditional creates: `PutObject` with `If-None-Match: *` succeeds for exactly one writer.
 * S3 answers 412 when the key exists, and 409 when another conditional write of the same key is in
 * flight; both mean someone else holds the claim.
 */
export class S3ClaimStore implements ClaimStore {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
  ) {}

  async putIfAbsent(key: string, body: Uint8Array): Promise<boolean> {
    try {
      await this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: key,
          Body: body,
          IfNoneMatch: '*',
          ContentType: 'application/json; charset=utf-8',
          CacheControl: 'no-store',
        }),
      );
      return true;
    } catch (error) {
      const { name, $metadata } = error as { name?: string; $metadata?: { httpStatusCode?: number } };
      const status = $metadata?.httpStatusCode;
      if (status === 412 || status === 409 || name === 'PreconditionFailed') return false;
      throw error;
    }
  }
}
