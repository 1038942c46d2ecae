import { randomUUID } from 'node:crypto';
import type { CdnInvalidator } from '../core/cdn-invalidation.ts';

/**
 * Invalidations on one CloudFront distribution. The SDK loads on the first invalidation, not at cold start
 * (most runs replace no cached page), and honours AWS_ENDPOINT_URL like the S3 client. One reference per
 * call: the SDK's retries resend it, and CloudFront answers a repeated reference with the invalidation
 * already made instead of making a second one.
 */
export function cloudFrontInvalidator(distributionId: string): CdnInvalidator {
  let sdk: Promise<typeof import('@aws-sdk/client-cloudfront')> | undefined;
  let client: import('@aws-sdk/client-cloudfront').CloudFrontClient | undefined;
  return {
    async invalidate(paths) {
      sdk ??= import('@aws-sdk/client-cloudfront');
      const { CloudFrontClient, CreateInvalidationCommand } = await sdk;
      // Three attempts: a run has committed by now, and a throttled invalidation must not hold it to its timeout.
      client ??= new CloudFrontClient({ maxAttempts: 3, retryMode: 'standard' });
      await client.send(
        new CreateInvalidationCommand({
          DistributionId: distributionId,
          InvalidationBatch: {
            CallerReference: `broadsheet-${randomUUID()}`,
            Paths: { Quantity: paths.length, Items: [...paths] },
          },
        }),
      );
    },
  };
}
