import { type CfnElement, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { CURRENTLY_RECOMMENDED_FLAGS } from 'aws-cdk-lib/cx-api';
import type { IConstruct } from 'constructs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTINUE_EVENT, isContinuation } from '../../functions/adapters/s3-events.ts';
import { Publisher } from '../../lib/publisher.ts';
import {
  CONTENT_SECURITY_POLICY,
  DIRECTORY_INDEX_FUNCTION_CODE,
  FEED_FOR_BROWSERS_FUNCTION_CODE,
} from '../../lib/site-distribution.ts';
import { CUSTOM_DOMAIN, cdkJsonContext, createApp, EMAIL, removeApps } from './app-fixture.ts';

afterAll(removeApps);

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, unknown>;
  Principal?: unknown;
  Sid?: string;
}
type Resources = Record<string, { Properties: Record<string, unknown> }>;

const logicalId = (construct: IConstruct): string => {
  const cfn = construct.node.defaultChild as CfnElement;
  return Stack.of(construct).resolve(cfn.logicalId) as string;
};
const actionsOf = (s: Statement): string[] => (Array.isArray(s.Action) ? s.Action : [s.Action]);

/** Every statement of every policy attached to the role, inline or not. */
function roleStatements(template: Template, roleId: string): Statement[] {
  const role = template.findResources('AWS::IAM::Role')[roleId];
  expect(role, `role ${roleId}`).toBeDefined();
  const inline = (
    (role?.Properties.Policies ?? []) as { PolicyDocument: { Statement: Statement[] } }[]
  ).flatMap((p) => p.PolicyDocument.Statement);
  const attached = Object.values(template.findResources('AWS::IAM::Policy') as Resources)
    .filter((p) => JSON.stringify(p.Properties.Roles).includes(`"${roleId}"`))
    .flatMap((p) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
  return [...inline, ...attached];
}

function bucketPolicyStatements(template: Template, bucketId: string): Statement[] {
  return Object.values(template.findResources('AWS::S3::BucketPolicy') as Resources)
    .filter((p) => JSON.stringify(p.Properties.Bucket) === JSON.stringify({ Ref: bucketId }))
    .flatMap((p) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
}

describe('cdk.json', () => {
  it('sets every feature flag aws-cdk-lib recommends (no notice at synth), but one that would fail an upgrade', () => {
    const context = cdkJsonContext();
    const differs = Object.entries(CURRENTLY_RECOMMENDED_FLAGS)
      .filter(([flag, value]) => JSON.stringify(context[flag]) !== JSON.stringify(value))
      .map(([flag]) => flag);
    // An explicit log group for the deployment's custom resource function: a stack deployed before has one
    // of that name already (Lambda made it), so CloudFormation would fail to create it and roll back.
    expect(differs).toEqual(['@aws-cdk/aws-lambda:useCdkManagedLogGroup']);
    expect(context['@aws-cdk/aws-lambda:useCdkManagedLogGroup']).toBe(false);
  });
});

describe('BroadsheetStack (no context)', () => {
  let template: Template;
  let ids: {
    content: string;
    site: string;
    logs: string;
    fn: string;
    role: string;
    queue: string;
    dlq: string;
    distribution: string;
  };

  beforeAll(() => {
    const { stack } = createApp();
    template = Template.fromStack(stack);
    const fn = stack.publisher.function;
    ids = {
      content: logicalId(stack.contentBucket),
      site: logicalId(stack.siteBucket),
      logs: logicalId(stack.logBucket),
      fn: logicalId(fn),
      role: logicalId(fn.role as IConstruct),
      queue: logicalId(stack.publisher.queue),
      dlq: logicalId(stack.publisher.deadLetterQueue),
      distribution: logicalId(stack.site.distribution),
    };
  });

  describe('buckets', () => {
    it('has three separate buckets: content, site and access logs', () => {
      template.resourceCountIs('AWS::S3::Bucket', 3);
      expect(new Set([ids.content, ids.site, ids.logs]).size).toBe(3);
    });

    it('makes every bucket private and S3-encrypted', () => {
      const buckets = template.findResources('AWS::S3::Bucket', {
        Properties: {
          PublicAccessBlockConfiguration: {
            BlockPublicAcls: true,
            BlockPublicPolicy: true,
            IgnorePublicAcls: true,
            RestrictPublicBuckets: true,
          },
          BucketEncryption: {
            ServerSideEncryptionConfiguration: [
              { ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } },
            ],
          },
        },
      });
      expect(Object.keys(buckets).sort()).toEqual([ids.content, ids.site, ids.logs].sort());
    });

    it('refuses plain HTTP on every bucket', () => {
      for (const bucket of [ids.content, ids.site, ids.logs]) {
        expect(bucketPolicyStatements(template, bucket), bucket).toContainEqual(
          expect.objectContaining({
            Effect: 'Deny',
            Action: 's3:*',
            Principal: { AWS: '*' },
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        );
      }
    });

    it('versions and retains the content bucket', () => {
      const content = template.findResources('AWS::S3::Bucket')[ids.content];
      expect(content?.Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
      expect(content).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    });

    it('expires old versions of content: the 3 newest of each file stay, any other 90 days after it was replaced', () => {
      const content = template.findResources('AWS::S3::Bucket')[ids.content];
      expect(content?.Properties.LifecycleConfiguration).toEqual({
        Rules: expect.arrayContaining([
          {
            Status: 'Enabled',
            NoncurrentVersionExpiration: { NoncurrentDays: 90, NewerNoncurrentVersions: 3 },
          },
        ]),
      });
    });

    it('logs content and site bucket access to the log bucket', () => {
      for (const [bucket, prefix] of [
        [ids.content, 's3/content/'],
        [ids.site, 's3/site/'],
      ] as const) {
        expect(template.findResources('AWS::S3::Bucket')[bucket]?.Properties.LoggingConfiguration).toEqual({
          DestinationBucketName: { Ref: ids.logs },
          LogFilePrefix: prefix,
        });
      }
    });
  });

  describe('the function never triggers itself', () => {
    it('puts no notification configuration on the site bucket', () => {
      const site = template.findResources('AWS::S3::Bucket')[ids.site];
      expect(site?.Properties).not.toHaveProperty('NotificationConfiguration');
      const customNotifications = Object.values(
        template.findResources('Custom::S3BucketNotifications') as Resources,
      );
      expect(customNotifications.map((n) => n.Properties.BucketName)).toEqual([{ Ref: ids.content }]);
    });

    it('sends only content/ creations and removals to the queue', () => {
      const onlyContent = {
        Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'content/' }] } },
        QueueArn: { 'Fn::GetAtt': [ids.queue, 'Arn'] },
      };
      template.hasResourceProperties('Custom::S3BucketNotifications', {
        BucketName: { Ref: ids.content },
        NotificationConfiguration: {
          QueueConfigurations: [
            { Events: ['s3:ObjectCreated:*'], ...onlyContent },
            { Events: ['s3:ObjectRemoved:*'], ...onlyContent },
          ],
          LambdaFunctionConfigurations: Match.absent(),
          TopicConfigurations: Match.absent(),
          EventBridgeConfiguration: Match.absent(),
        },
      });
    });

    it('gives the function role no write access to the content bucket', () => {
      const onContent = roleStatements(template, ids.role).filter((s) =>
        JSON.stringify(s.Resource).includes(`"${ids.content}"`),
      );
      expect(onContent.length).toBeGreaterThan(0);
      for (const statement of onContent) {
        expect(statement.Effect).toBe('Allow');
        for (const action of actionsOf(statement))
          expect(['s3:GetObject', 's3:ListBucket']).toContain(action);
      }
    });
  });

  describe('least privilege', () => {
    it('uses no managed policy and no wildcard action', () => {
      const role = template.findResources('AWS::IAM::Role')[ids.role];
      expect(role?.Properties.ManagedPolicyArns).toBeUndefined();
      const actions = roleStatements(template, ids.role).flatMap(actionsOf);
      expect(actions.filter((a) => a.includes('*'))).toEqual([]);
      expect(actions.some((a) => a.startsWith('ses:'))).toBe(false);
    });

    it('grants exactly the statements the publisher needs', () => {
      const contentArn = { 'Fn::GetAtt': [ids.content, 'Arn'] };
      const siteArn = { 'Fn::GetAtt': [ids.site, 'Arn'] };
      const statements = roleStatements(template, ids.role).map((s) => ({
        ...s,
        Action: [...actionsOf(s)].sort(),
      }));
      expect(statements).toHaveLength(7);
      expect(statements).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            Action: ['s3:GetObject'],
            Resource: { 'Fn::Join': ['', [contentArn, '/content/*']] },
          }),
          expect.objectContaining({
            Action: ['s3:ListBucket'],
            Resource: contentArn,
            Condition: { StringLike: { 's3:prefix': ['content/*'] } },
          }),
          expect.objectContaining({
            Action: ['s3:DeleteObject', 's3:GetObject', 's3:PutObject'],
            Resource: { 'Fn::Join': ['', [siteArn, '/*']] },
          }),
          expect.objectContaining({ Action: ['s3:ListBucket'], Resource: siteArn }),
          // Invalidations on the site's own distribution only.
          expect.objectContaining({
            Action: ['cloudfront:CreateInvalidation'],
            Resource: {
              'Fn::Join': [
                '',
                [
                  'arn:',
                  { Ref: 'AWS::Partition' },
                  ':cloudfront::',
                  { Ref: 'AWS::AccountId' },
                  ':distribution/',
                  { Ref: ids.distribution },
                ],
              ],
            },
          }),
          expect.objectContaining({
            Action: [
              'sqs:ChangeMessageVisibility',
              'sqs:DeleteMessage',
              'sqs:GetQueueAttributes',
              'sqs:GetQueueUrl',
              'sqs:ReceiveMessage',
            ],
            Resource: { 'Fn::GetAtt': [ids.queue, 'Arn'] },
          }),
          expect.objectContaining({
            Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
            Resource: { 'Fn::GetAtt': [expect.stringMatching(/^PublisherLogs/), 'Arn'] },
          }),
        ]),
      );
    });
  });

  describe('publisher function', () => {
    it('is an ARM64 Node.js function with 2 GB and 5 minutes, without reserved concurrency', () => {
      template.hasResourceProperties('AWS::Lambda::Function', {
        Handler: 'index.handler',
        Runtime: Match.stringLikeRegexp('^nodejs(20|22)\\.x$'),
        Architectures: ['arm64'],
        MemorySize: 2048,
        Timeout: 300,
        // Reserved concurrency would throttle queue batches into the DLQ; maxConcurrency limits instead.
        ReservedConcurrentExecutions: Match.absent(),
      });
    });

    it('gets the buckets, prefix, site URL, distribution and runtime settings from its environment', () => {
      template.hasResourceProperties('AWS::Lambda::Function', {
        Environment: {
          Variables: {
            CONTENT_BUCKET: { Ref: ids.content },
            SITE_BUCKET: { Ref: ids.site },
            CONTENT_PREFIX: 'content/',
            SITE_URL: {
              'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [Match.anyValue(), 'DomainName'] }, '/']],
            },
            NODE_OPTIONS: '--enable-source-maps',
            POWERTOOLS_SERVICE_NAME: 'broadsheet',
            DISTRIBUTION_ID: { Ref: ids.distribution },
            SENDER_EMAIL: Match.absent(),
            CONTACT_LIST: Match.absent(),
          },
        },
      });
    });

    it('consumes the queue in batches and reports partial failures', () => {
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        EventSourceArn: { 'Fn::GetAtt': [ids.queue, 'Arn'] },
        FunctionName: { Ref: ids.fn },
        BatchSize: 10,
        MaximumBatchingWindowInSeconds: 20,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        ScalingConfig: { MaximumConcurrency: 2 },
      });
    });

    it('uploads content/ on deploy only once the bucket notifies the queue and the function reads it', () => {
      // Else, on the first deploy, the uploaded articles raise no event and wait for the hourly run.
      const notifications = Object.keys(template.findResources('Custom::S3BucketNotifications'));
      const mappings = Object.keys(template.findResources('AWS::Lambda::EventSourceMapping'));
      expect(notifications).toHaveLength(1);
      expect(mappings).toHaveLength(1);
      const uploads = Object.values(template.findResources('Custom::CDKBucketDeployment'));
      expect(uploads).toHaveLength(1);
      expect(uploads[0]?.DependsOn).toEqual(expect.arrayContaining([...notifications, ...mappings]));
    });

    it('runs every hour from an EventBridge schedule', () => {
      template.hasResourceProperties('AWS::Events::Rule', {
        ScheduleExpression: 'rate(1 hour)',
        State: 'ENABLED',
        Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [ids.fn, 'Arn'] } })],
      });
      template.hasResourceProperties('AWS::Lambda::Permission', {
        Action: 'lambda:InvokeFunction',
        Principal: 'events.amazonaws.com',
        FunctionName: { 'Fn::GetAtt': [ids.fn, 'Arn'] },
      });
    });

    it('looks every 6 minutes (timeout + 1) whether a run stopped for time, with the event the handler takes for that', () => {
      template.hasResourceProperties('AWS::Events::Rule', {
        ScheduleExpression: 'rate(6 minutes)',
        State: 'ENABLED',
        Targets: [
          Match.objectLike({
            Arn: { 'Fn::GetAtt': [ids.fn, 'Arn'] },
            Input: JSON.stringify({ broadsheet: 'continue' }),
          }),
        ],
      });
      expect(isContinuation(CONTINUE_EVENT)).toBe(true);
      expect(isContinuation({ source: 'aws.events', 'detail-type': 'Scheduled Event', detail: {} })).toBe(
        false,
      );
      expect(template.findResources('AWS::Events::Rule')).toSatisfy(
        (rules) => Object.keys(rules).length === 2,
      );
    });
  });

  describe('deploy-time functions', () => {
    it('log to groups that expire their logs after a month, not to groups Lambda keeps for ever', () => {
      const groups = template.findResources('AWS::Logs::LogGroup') as Resources;
      const deployTime = Object.entries(template.findResources('AWS::Lambda::Function') as Resources).filter(
        ([id]) => id !== ids.fn,
      );
      // CDK's BucketDeployment handler (copies content/) and BucketNotificationsHandler.
      expect(deployTime.map(([id]) => id)).toEqual([
        expect.stringMatching(/^BucketNotificationsHandler/),
        expect.stringMatching(/^CustomCDKBucketDeployment/),
      ]);
      for (const [id, fn] of deployTime) {
        const group = (fn.Properties.LoggingConfig as { LogGroup?: { Ref?: string } } | undefined)?.LogGroup
          ?.Ref;
        expect(group, id).toBeDefined();
        expect(groups[group as string]?.Properties.RetentionInDays, id).toBe(30);
      }
    });
  });

  describe('queue', () => {
    it('is encrypted, SSL-only and redrives to a dead-letter queue after 5 receives', () => {
      template.hasResourceProperties('AWS::SQS::Queue', {
        SqsManagedSseEnabled: true,
        RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [ids.dlq, 'Arn'] }, maxReceiveCount: 5 },
      });
      template.hasResourceProperties('AWS::SQS::Queue', {
        SqsManagedSseEnabled: true,
        MessageRetentionPeriod: 1209600,
      });
      for (const queue of [ids.queue, ids.dlq]) {
        template.hasResourceProperties('AWS::SQS::QueuePolicy', {
          Queues: [{ Ref: queue }],
          PolicyDocument: {
            Statement: Match.arrayWith([
              Match.objectLike({
                Effect: 'Deny',
                Action: 'sqs:*',
                Condition: { Bool: { 'aws:SecureTransport': 'false' } },
              }),
            ]),
          },
        });
      }
    });

    it('accepts messages from the content bucket only', () => {
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: ids.queue }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Allow',
              Principal: { Service: 's3.amazonaws.com' },
              Condition: { ArnLike: { 'aws:SourceArn': { 'Fn::GetAtt': [ids.content, 'Arn'] } } },
            }),
          ]),
        },
      });
    });

    it('keeps a message invisible for at least 6 times the function timeout', () => {
      const queue = template.findResources('AWS::SQS::Queue')[ids.queue];
      const fn = template.findResources('AWS::Lambda::Function')[ids.fn];
      expect(queue?.Properties.VisibilityTimeout).toBeGreaterThanOrEqual(
        6 * (fn?.Properties.Timeout as number),
      );
    });

    it('alarms as soon as a message is visible in the dead-letter queue', () => {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [ids.dlq, 'QueueName'] } }],
        ComparisonOperator: 'GreaterThanThreshold',
        Threshold: 0,
        EvaluationPeriods: 1,
      });
    });

    it('alarms while an article is skipped, from the metric every run writes, until a run finds none', () => {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'Broadsheet',
        MetricName: 'SkippedArticles',
        Dimensions: [{ Name: 'service', Value: 'broadsheet' }],
        Statistic: 'Maximum',
        ComparisonOperator: 'GreaterThanThreshold',
        Threshold: 0,
        EvaluationPeriods: 1,
        TreatMissingData: 'ignore',
      });
    });

    it('has one dashboard: the alarms, runs, duration, S3 requests, skipped articles and the queues', () => {
      const dashboards = Object.values(template.findResources('AWS::CloudWatch::Dashboard'));
      expect(dashboards).toHaveLength(1);
      const body = JSON.stringify(dashboards[0]?.Properties.DashboardBody);
      for (const metric of ['RunDuration', 'S3Requests', 'SkippedArticles', 'RunErrors', 'DeferredOutputs'])
        expect(body, metric).toContain(`\\"Broadsheet\\",\\"${metric}\\",\\"service\\",\\"broadsheet\\"`);
      expect(body).toContain('ApproximateNumberOfMessagesVisible');
      expect(body).toContain('\\"alarm\\"');
      for (const alarm of Object.keys(template.findResources('AWS::CloudWatch::Alarm')))
        expect(body, alarm).toContain(alarm);
    });

    it('sends the three alarms (and their recovery) to a TLS-only topic, with no subscriber by default', () => {
      const topics = Object.keys(template.findResources('AWS::SNS::Topic'));
      expect(topics).toHaveLength(1);
      const topic = { Ref: topics[0] };
      const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'));
      expect(alarms).toHaveLength(3);
      for (const alarm of alarms) {
        expect(alarm.Properties.AlarmActions).toEqual([topic]);
        expect(alarm.Properties.OKActions).toEqual([topic]);
      }
      template.hasResourceProperties('AWS::SNS::TopicPolicy', {
        PolicyDocument: Match.objectLike({
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        }),
      });
      template.resourceCountIs('AWS::SNS::Subscription', 0);
      template.hasOutput('AlarmTopicArn', { Value: topic });
    });
  });

  describe('CloudFront', () => {
    it('reads the site bucket through Origin Access Control only', () => {
      template.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
        OriginAccessControlConfig: Match.objectLike({
          OriginAccessControlOriginType: 's3',
          SigningBehavior: 'always',
          SigningProtocol: 'sigv4',
        }),
      });
      template.hasResourceProperties('AWS::CloudFront::Distribution', {
        DistributionConfig: Match.objectLike({
          Origins: [
            Match.objectLike({
              DomainName: { 'Fn::GetAtt': [ids.site, 'RegionalDomainName'] },
              OriginAccessControlId: { 'Fn::GetAtt': [Match.anyValue(), 'Id'] },
              S3OriginConfig: { OriginAccessIdentity: '' },
            }),
          ],
        }),
      });
      expect(bucketPolicyStatements(template, ids.site)).toContainEqual(
        expect.objectContaining({
          Effect: 'Allow',
          Principal: { Service: 'cloudfront.amazonaws.com' },
          Action: 's3:GetObject',
          Condition: { StringEquals: { 'AWS:SourceArn': expect.anything() } },
        }),
      );
    });

    it('names its response headers policy and origin access control after the stack and the region', () => {
      // Both names are global to the account: the same stack in a second region must not clash.
      const nameOf = (type: string, config: string) =>
        (Object.values(template.findResources(type))[0]?.Properties[config] as { Name?: unknown } | undefined)
          ?.Name;
      for (const [type, config, suffix] of [
        ['AWS::CloudFront::ResponseHeadersPolicy', 'ResponseHeadersPolicyConfig', 'SecurityHeaders-'],
        ['AWS::CloudFront::OriginAccessControl', 'OriginAccessControlConfig', 'Origin-'],
      ] as const) {
        expect(nameOf(type, config), type).toEqual({
          'Fn::Join': [
            '',
            [expect.stringMatching(new RegExp(`^BroadsheetSite\\w*${suffix}$`)), { Ref: 'AWS::Region' }],
          ],
        });
      }
    });

    it('never serves the internal _ keys of the site bucket', () => {
      expect(bucketPolicyStatements(template, ids.site)).toContainEqual(
        expect.objectContaining({
          Effect: 'Deny',
          Principal: { Service: 'cloudfront.amazonaws.com' },
          Action: 's3:GetObject',
          Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [ids.site, 'Arn'] }, '/_*']] },
        }),
      );
    });

    it('serves HTTPS over HTTP/2 and 3, compressed, with index.html at the root', () => {
      template.hasResourceProperties('AWS::CloudFront::Distribution', {
        DistributionConfig: Match.objectLike({
          DefaultRootObject: 'index.html',
          HttpVersion: 'http2and3',
          DefaultCacheBehavior: Match.objectLike({
            ViewerProtocolPolicy: 'redirect-to-https',
            Compress: true,
            FunctionAssociations: [{ EventType: 'viewer-request', FunctionARN: Match.anyValue() }],
          }),
          Logging: { Bucket: { 'Fn::GetAtt': [ids.logs, 'RegionalDomainName'] }, Prefix: 'cloudfront/' },
          CustomErrorResponses: [
            Match.objectLike({ ErrorCode: 403, ResponseCode: 404, ResponsePagePath: '/404.html' }),
            Match.objectLike({ ErrorCode: 404, ResponseCode: 404, ResponsePagePath: '/404.html' }),
          ],
        }),
      });
    });

    it('caches feeds for 5 minutes and everything else longer', () => {
      const policies = template.findResources('AWS::CloudFront::CachePolicy') as Resources;
      const config = (id: string) =>
        policies[id]?.Properties.CachePolicyConfig as { DefaultTTL: number; MaxTTL: number } | undefined;
      const distribution = Object.values(
        template.findResources('AWS::CloudFront::Distribution') as Resources,
      )[0];
      const dc = distribution?.Properties.DistributionConfig as {
        DefaultCacheBehavior: { CachePolicyId: { Ref: string } };
        CacheBehaviors: {
          PathPattern: string;
          CachePolicyId: { Ref: string };
          ViewerProtocolPolicy: string;
        }[];
      };
      expect(dc.CacheBehaviors.map((b) => b.PathPattern)).toEqual(['*.xml', '*.json', '*.opml']);
      for (const behavior of dc.CacheBehaviors) {
        expect(behavior.ViewerProtocolPolicy).toBe('redirect-to-https');
        expect(config(behavior.CachePolicyId.Ref)?.DefaultTTL).toBe(300);
      }
      const page = config(dc.DefaultCacheBehavior.CachePolicyId.Ref);
      expect(page?.DefaultTTL).toBeGreaterThan(300);
    });

    it('adds HSTS, nosniff, DENY framing, a referrer policy and a script-free CSP', () => {
      expect(CONTENT_SECURITY_POLICY).toBe(
        "default-src 'none'; img-src 'self' https: data:; media-src 'self'; style-src 'self' 'unsafe-inline'; " +
          "base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
      );
      template.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
        ResponseHeadersPolicyConfig: Match.objectLike({
          SecurityHeadersConfig: {
            // Two years, this host only: on an apex domain includeSubDomains would reach hosts not served here.
            StrictTransportSecurity: {
              AccessControlMaxAgeSec: 2 * 365 * 24 * 3600,
              IncludeSubdomains: false,
              Override: true,
            },
            ContentTypeOptions: { Override: true },
            FrameOptions: { FrameOption: 'DENY', Override: true },
            ReferrerPolicy: { ReferrerPolicy: 'strict-origin-when-cross-origin', Override: true },
            ContentSecurityPolicy: { ContentSecurityPolicy: CONTENT_SECURITY_POLICY, Override: true },
          },
        }),
      });
      const distribution = Object.values(
        template.findResources('AWS::CloudFront::Distribution') as Resources,
      )[0];
      const dc = distribution?.Properties.DistributionConfig as {
        DefaultCacheBehavior: { ResponseHeadersPolicyId: unknown };
        CacheBehaviors: { ResponseHeadersPolicyId: unknown }[];
      };
      for (const behavior of [dc.DefaultCacheBehavior, ...dc.CacheBehaviors]) {
        expect(behavior.ResponseHeadersPolicyId).toEqual({ Ref: expect.stringMatching(/SecurityHeaders/) });
      }
    });

    it('uses the default certificate when no custom domain is given', () => {
      template.hasResourceProperties('AWS::CloudFront::Distribution', {
        DistributionConfig: Match.objectLike({ Aliases: Match.absent(), ViewerCertificate: Match.absent() }),
      });
    });
  });

  describe('feed-for-browsers function', () => {
    it('is deployed on the cloudfront-js-2.0 runtime as a viewer-response function of the *.xml behaviour', () => {
      template.hasResourceProperties('AWS::CloudFront::Function', {
        FunctionCode: FEED_FOR_BROWSERS_FUNCTION_CODE,
        FunctionConfig: Match.objectLike({ Runtime: 'cloudfront-js-2.0' }),
      });
      template.hasResourceProperties('AWS::CloudFront::Distribution', {
        DistributionConfig: Match.objectLike({
          CacheBehaviors: Match.arrayWith([
            Match.objectLike({
              PathPattern: '*.xml',
              FunctionAssociations: [{ EventType: 'viewer-response', FunctionARN: Match.anyValue() }],
            }),
          ]),
        }),
      });
    });
  });

  describe('directory index function', () => {
    type Result = { uri?: string; statusCode?: number; headers?: { location: { value: string } } };
    const run = new Function(`${DIRECTORY_INDEX_FUNCTION_CODE}\nreturn handler;`)() as (event: {
      request: { uri: string };
    }) => Result;
    const request = (uri: string) => run({ request: { uri } });

    it('is deployed as a viewer-request function on the cloudfront-js-2.0 runtime', () => {
      template.hasResourceProperties('AWS::CloudFront::Function', {
        AutoPublish: true,
        FunctionCode: DIRECTORY_INDEX_FUNCTION_CODE,
        FunctionConfig: Match.objectLike({ Runtime: 'cloudfront-js-2.0' }),
      });
    });

    it('maps /path/ to /path/index.html', () => {
      expect(request('/').uri).toBe('/index.html');
      expect(request('/posts/hello-world/').uri).toBe('/posts/hello-world/index.html');
      expect(request('/digests/latest/').uri).toBe('/digests/latest/index.html');
    });

    it('redirects a directory without its slash, so relative links resolve', () => {
      expect(request('/posts/hello-world')).toEqual({
        statusCode: 301,
        statusDescription: 'Moved Permanently',
        headers: { location: { value: '/posts/hello-world/' } },
      });
    });

    it('passes files through', () => {
      for (const uri of [
        '/rss.xml',
        '/tags/paris/feed.json',
        '/feeds.opml',
        '/digests/2025-w02/digest.eml',
      ]) {
        expect(request(uri).uri).toBe(uri);
      }
    });
  });

  describe('outputs', () => {
    const siteUrl = (suffix: string) => ({
      'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [Match.anyValue(), 'DomainName'] }, suffix]],
    });

    it('prints the site and feed URLs', () => {
      template.hasOutput('SiteUrl', { Value: siteUrl('/') });
      template.hasOutput('RssUrl', { Value: siteUrl('/rss.xml') });
      template.hasOutput('AtomUrl', { Value: siteUrl('/atom.xml') });
      template.hasOutput('JsonFeedUrl', { Value: siteUrl('/feed.json') });
      template.hasOutput('OpmlUrl', { Value: siteUrl('/feeds.opml') });
    });

    it('prints the buckets, the upload command and the dead-letter queue', () => {
      template.hasOutput('ContentBucketName', { Value: { Ref: ids.content } });
      // What `broadsheet status` reads the last report from.
      template.hasOutput('SiteBucketName', { Value: { Ref: ids.site } });
      const dashboard = Object.keys(template.findResources('AWS::CloudWatch::Dashboard'))[0];
      template.hasOutput('DashboardUrl', {
        Value: {
          'Fn::Join': [
            '',
            [
              'https://console.aws.amazon.com/cloudwatch/home?region=',
              { Ref: 'AWS::Region' },
              '#dashboards:name=',
              { Ref: dashboard },
            ],
          ],
        },
      });
      template.hasOutput('UploadCommand', {
        Value: { 'Fn::Join': ['', ['aws s3 cp ARTICLE.md s3://', { Ref: ids.content }, '/content/']] },
      });
      template.hasOutput('DeadLetterQueueUrl', { Value: { Ref: ids.dlq } });
    });

    it('prints what the dead-letter runbook needs: the queue ARN, the log group and the function', () => {
      template.hasOutput('DeadLetterQueueArn', { Value: { 'Fn::GetAtt': [ids.dlq, 'Arn'] } });
      template.hasOutput('PublisherLogGroupName', {
        Value: { Ref: Match.stringLikeRegexp('^PublisherLogs') },
      });
      template.hasOutput('PublisherFunctionName', { Value: { Ref: ids.fn } });
    });
  });
});

describe('BroadsheetStack with a custom domain', () => {
  let template: Template;
  beforeAll(() => {
    template = Template.fromStack(createApp({ context: CUSTOM_DOMAIN }).stack);
  });

  it('serves the domain with the imported certificate over TLS 1.2+', () => {
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        Aliases: [CUSTOM_DOMAIN.domainName],
        ViewerCertificate: {
          AcmCertificateArn: CUSTOM_DOMAIN.certificateArn,
          SslSupportMethod: 'sni-only',
          MinimumProtocolVersion: 'TLSv1.2_2021',
        },
      }),
    });
  });

  it('publishes under the custom domain', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ SITE_URL: 'https://news.example.com/' }) },
    });
    template.hasOutput('SiteUrl', { Value: 'https://news.example.com/' });
    template.hasOutput('RssUrl', { Value: 'https://news.example.com/rss.xml' });
  });
});

describe('BroadsheetStack with email', () => {
  let template: Template;
  let roleId: string;
  beforeAll(() => {
    const { stack } = createApp({ context: EMAIL });
    template = Template.fromStack(stack);
    roleId = logicalId(stack.publisher.function.role as IConstruct);
  });

  it('passes the sender and contact list to the function', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          SENDER_EMAIL: EMAIL.senderEmail,
          CONTACT_LIST: 'readers',
          CONTACT_TOPIC: Match.absent(),
        }),
      },
    });
  });

  it('passes a contact list topic when one is given', () => {
    const { stack } = createApp({ context: { ...EMAIL, contactTopic: 'weekly' } });
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ CONTACT_LIST: 'readers', CONTACT_TOPIC: 'weekly' }) },
    });
  });

  it('allows ses:SendEmail on the sender identity and the contact list only', () => {
    const ses = roleStatements(template, roleId).filter((s) => actionsOf(s).includes('ses:SendEmail'));
    expect(ses).toHaveLength(1);
    expect(actionsOf(ses[0] as Statement)).toEqual(['ses:SendEmail']);
    const resources = JSON.stringify(ses[0]?.Resource);
    expect(resources).toContain(':identity/news@example.com"');
    expect(resources).toContain(':identity/example.com"');
    expect(resources).toContain(':contact-list/readers"');
    expect(resources).not.toContain('*');
  });

  it('may list the contact list and read the account send quota, nothing more of SES', () => {
    const ses = roleStatements(template, roleId).filter((s) =>
      actionsOf(s).some((a) => a.startsWith('ses:')),
    );
    const byAction = Object.fromEntries(ses.map((s) => [actionsOf(s).join(','), JSON.stringify(s.Resource)]));
    expect(Object.keys(byAction).sort()).toEqual(['ses:GetAccount', 'ses:ListContacts', 'ses:SendEmail']);
    expect(byAction['ses:ListContacts']).toContain(':contact-list/readers"');
    expect(byAction['ses:GetAccount']).toBe('"*"');
  });
});

describe('BroadsheetStack with an alarm email', () => {
  it('subscribes the address to the alarm topic', () => {
    const { stack } = createApp({ context: { alarmEmail: 'ops@example.com' } });
    Template.fromStack(stack).hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.com',
    });
  });
});

describe('BroadsheetStack Settings output', () => {
  // A routine deploy without the cdk.json context or -c drops every setting: the output shows it.
  it('says when every setting is at its default', () => {
    Template.fromStack(createApp().stack).hasOutput('Settings', {
      Value: 'none: every setting at its default',
    });
  });

  it('lists the settings in effect, from cdk.json values (numbers too) or -c', () => {
    const context = { ...CUSTOM_DOMAIN, alarmEmail: 'ops@example.com', publisherTimeoutMinutes: 15 };
    Template.fromStack(createApp({ context }).stack).hasOutput('Settings', {
      Value: `domainName=news.example.com certificateArn=${CUSTOM_DOMAIN.certificateArn} alarmEmail=ops@example.com publisherTimeoutMinutes=15`,
    });
  });
});

describe('BroadsheetStack settings', () => {
  it.each([
    [{ domainName: 'news.example.com' }, 'domainName and certificateArn go together'],
    [
      { ...CUSTOM_DOMAIN, certificateArn: CUSTOM_DOMAIN.certificateArn.replace('us-east-1', 'eu-west-1') },
      'certificateArn is in eu-west-1: CloudFront only uses certificates from us-east-1',
    ],
    [{ ...CUSTOM_DOMAIN, domainName: 'https://news.example.com' }, 'is not a lower-case host name'],
    [{ senderEmail: EMAIL.senderEmail }, 'senderEmail and contactList go together'],
    [{ contactList: 'readers' }, 'senderEmail and contactList go together'],
    [{ ...EMAIL, senderEmail: 'news' }, 'is not an email address'],
    [{ contactTopic: 'weekly' }, 'contactTopic needs contactList'],
    [{ ...EMAIL, contactTopic: 'week ly' }, 'is not an SES topic name'],
    [{ alarmEmail: 'ops' }, 'alarmEmail "ops" is not an email address'],
    [
      { publisherTimeoutMinutes: '16' },
      'publisherTimeoutMinutes "16" is not a whole number of minutes from 1 to 15',
    ],
    [{ publisherTimeoutMinutes: '2.5' }, 'publisherTimeoutMinutes "2.5" is not a whole number'],
    [{ publisherTimeoutMinutes: '0' }, 'publisherTimeoutMinutes "0" is not a whole number'],
    [{ publisherMemoryMb: '512' }, 'publisherMemoryMb "512" is not a whole number of MB from 1024 to 10240'],
    [{ publisherMemoryMb: '10241' }, 'publisherMemoryMb "10241" is not a whole number'],
    [{ publisherMemoryMb: '2 GB' }, 'publisherMemoryMb "2 GB" is not a whole number'],
  ])('rejects %j', (context, message) => {
    expect(() => createApp({ context })).toThrow(message);
  });

  it('gives the publisher the timeout asked for, and its queue a visibility timeout to match', () => {
    // A number, as `cdk.json` may hold it (`-c` gives the string '15').
    const template = Template.fromStack(createApp({ context: { publisherTimeoutMinutes: 15 } }).stack);
    template.hasResourceProperties('AWS::Lambda::Function', { Handler: 'index.handler', Timeout: 900 });
    // 6 × the function timeout plus the 20 s batching window (the default's test checks the rule itself).
    template.hasResourceProperties('AWS::SQS::Queue', { VisibilityTimeout: 6 * 900 + 20 });
    // A continuation tick never comes while a run the last tick started may still run.
    template.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(16 minutes)' });
  });

  it('gives the publisher the memory asked for, 2048 MB by default', () => {
    const template = Template.fromStack(createApp({ context: { publisherMemoryMb: 3008 } }).stack);
    template.hasResourceProperties('AWS::Lambda::Function', { Handler: 'index.handler', MemorySize: 3008 });
    Template.fromStack(createApp().stack).hasResourceProperties('AWS::Lambda::Function', {
      Handler: 'index.handler',
      MemorySize: 2048,
    });
  });

  it('uploads content/ on deploy and never deletes from the bucket; contentDir=none uploads nothing', () => {
    const { stack } = createApp();
    Template.fromStack(stack).hasResourceProperties('Custom::CDKBucketDeployment', {
      DestinationBucketName: { Ref: logicalId(stack.contentBucket) },
      DestinationBucketKeyPrefix: 'content/',
      Prune: false,
      RetainOnDelete: true,
    });
    // /tmp holds the zip and its unzipped copy: Lambda's default 512 MiB failed on ~250 MB of media.
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
      Runtime: Match.stringLikeRegexp('^python'),
      EphemeralStorage: { Size: 4096 },
      MemorySize: 1024,
    });
    const none = Template.fromStack(createApp({ context: { contentDir: 'none' } }).stack);
    none.resourceCountIs('Custom::CDKBucketDeployment', 0);
    expect(() => createApp({ context: { contentDir: 'no-such-folder' } })).toThrow(
      '"no-such-folder" is not a folder',
    );
  });

  it('is named Broadsheet, or -c stackName for a second site beside the first', () => {
    expect(createApp().stack.stackName).toBe('Broadsheet');
    const { stack } = createApp({ context: { stackName: 'Dispatch' } });
    expect(stack.stackName).toBe('Dispatch');
    // The account-global CloudFront names follow, so the two stacks do not clash.
    Template.fromStack(stack).hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
      ResponseHeadersPolicyConfig: Match.objectLike({
        Name: { 'Fn::Join': ['', [Match.stringLikeRegexp('^DispatchSite'), { Ref: 'AWS::Region' }]] },
      }),
    });
    expect(() => createApp({ context: { stackName: 'my site' } })).toThrow(
      'context stackName "my site" is not a CloudFormation stack name',
    );
  });

  it('adds includeSubDomains to HSTS only when asked (-c hstsIncludeSubdomains=true, or true in cdk.json)', () => {
    for (const value of ['true', true]) {
      const { stack } = createApp({ context: { hstsIncludeSubdomains: value } });
      Template.fromStack(stack).hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
        ResponseHeadersPolicyConfig: Match.objectLike({
          SecurityHeadersConfig: Match.objectLike({
            StrictTransportSecurity: Match.objectLike({ IncludeSubdomains: true }),
          }),
        }),
      });
    }
    expect(() => createApp({ context: { hstsIncludeSubdomains: 'yes' } })).toThrow(
      'hstsIncludeSubdomains "yes" is not true or false',
    );
  });

  it('reports every problem at once', () => {
    expect(() => createApp({ context: { domainName: 'x', senderEmail: 'y' } })).toThrow(
      /domainName and certificateArn[\s\S]*not a lower-case host name[\s\S]*senderEmail and contactList[\s\S]*not an email address/,
    );
  });
});

describe('Publisher props', () => {
  it.each(['/content/', 'content', ''])('rejects the content prefix %j', (contentPrefix) => {
    const stack = new Stack();
    const bucket = new Bucket(stack, 'Bucket');
    expect(
      () =>
        new Publisher(stack, 'Publisher', {
          contentBucket: bucket,
          siteBucket: bucket,
          siteUrl: 'https://example.com/',
          contentPrefix,
        }),
    ).toThrow(`contentPrefix "${contentPrefix}" must not start with "/" and must end with "/"`);
  });
});
