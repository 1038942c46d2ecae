import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct, Node } from 'constructs';
import { ContentDeployment } from './content-deployment.ts';
import { Publisher } from './publisher.ts';
import { SiteDistribution } from './site-distribution.ts';

/** The key prefix articles are uploaded under; the only prefix that triggers the publisher. */
export const CONTENT_PREFIX = 'content/';

/**
 * Settings of a Broadsheet deployment. `bin/app.ts` reads them from CDK context with
 * {@link settingsFromContext}: `context` in `cdk.json` (committed, so every deploy has them), or
 * `cdk deploy -c key=value` for a one-off override:
 *
 * | context key      | prop             | what                                                                 |
 * |------------------|------------------|----------------------------------------------------------------------|
 * | `domainName`     | `domainName`     | custom host name for the site, e.g. `news.example.com`               |
 * | `certificateArn` | `certificateArn` | ACM certificate for `domainName`, in **us-east-1**; set both or none |
 * | `senderEmail`    | `senderEmail`    | verified SES identity digests are sent from                          |
 * | `contactList`    | `contactList`    | SESv2 contact list digests go to; set both or none                   |
 * | `contactTopic`   | `contactTopic`   | optional topic of that list: only its subscribers get digests        |
 * | `alarmEmail`     | `alarmEmail`     | address subscribed to the alarm topic (confirm the email AWS sends)  |
 * | `publisherTimeoutMinutes` | `publisherTimeoutMinutes` | the publisher's timeout, 1–15 whole minutes (default 5) |
 * | `publisherMemoryMb` | `publisherMemoryMb` | the publisher's memory, 1024–10240 MB (default 2048) |
 * | `contentDir`     | `contentDir`     | folder `cdk deploy` uploads under `content/` (default `content`; `none`: nothing) |
 * | `hstsIncludeSubdomains` | `hstsIncludeSubdomains` | `true`: HSTS covers every subdomain of the site's host (default `false`) |
 *
 * Without a domain the site lives at `https://<id>.cloudfront.net/`; without email
 * settings the function has no SES permission at all.
 */
export interface BroadsheetStackProps extends StackProps {
  /**
   * Custom domain of the site (create the DNS record yourself: CNAME/alias to `DistributionDomainName`).
   * @default - the distribution's `*.cloudfront.net` domain
   */
  readonly domainName?: string;
  /**
   * ARN of an ACM certificate in us-east-1 that covers `domainName`.
   * @default - none; required when `domainName` is set
   */
  readonly certificateArn?: string;
  /**
   * Address digests are sent from; an SES identity (the address or its domain) must be verified.
   * @default - no email
   */
  readonly senderEmail?: string;
  /**
   * SESv2 contact list that receives digests.
   * @default - no email; required when `senderEmail` is set
   */
  readonly contactList?: string;
  /**
   * Topic of the contact list that digests go to (contacts opted in to it).
   * @default - the whole contact list
   */
  readonly contactTopic?: string;
  /**
   * Address that gets the dead-letter and error alarms (subscribed to the alarm topic; AWS sends a
   * confirmation email first).
   * @default - no subscription: subscribe to the `AlarmTopicArn` output yourself
   */
  readonly alarmEmail?: string;
  /**
   * The publisher function's timeout in whole minutes, 1 to 15 (a string, as context values are). A run
   * that builds every article (the first one, or after a change to `site.yaml`) must finish within it:
   * at 10,000 articles the bundled handler's first run took ~3 minutes of one core. A run that would not
   * finish stops in time and leaves the rest to the next run; raise it so that large sites build in one run.
   * @default '5'
   */
  readonly publisherTimeoutMinutes?: string;
  /**
   * The publisher function's memory in MB, 1024 to 10240 (a string, as context values are). A run that
   * builds every article holds them all: with the heap Lambda gives a 2 GB function, the bundled
   * handler's first run at 10,000 articles peaked at ~630 MB here, at 30,000 (in 5-minute steps) at
   * ~1.3 GB (`npm run bench`, README).
   * Lambda gives CPU in proportion (1,769 MB is one vCPU), so more memory is also faster.
   * @default '2048'
   */
  readonly publisherMemoryMb?: string;
  /**
   * Local folder that `cdk deploy` uploads into the content bucket under `content/` (new and changed files;
   * nothing in the bucket is ever deleted by a deploy). `none` deploys no content: the bucket is then
   * filled by uploads alone.
   * @default 'content'
   */
  readonly contentDir?: string;
  /**
   * `'true'` adds `includeSubDomains` to the site's HSTS header (two years): browsers then use only HTTPS for
   * every subdomain of the site's host too. Leave it off on an apex domain whose other hosts are not all HTTPS.
   * @default 'false'
   */
  readonly hstsIncludeSubdomains?: string;
}

/** The context keys of {@link BroadsheetStackProps}, in one place. */
export const CONTEXT_KEYS = [
  'domainName',
  'certificateArn',
  'senderEmail',
  'contactList',
  'contactTopic',
  'alarmEmail',
  'publisherTimeoutMinutes',
  'publisherMemoryMb',
  'contentDir',
  'hstsIncludeSubdomains',
] as const;

type Settings = Pick<BroadsheetStackProps, (typeof CONTEXT_KEYS)[number]>;

/** Reads the deployment settings from CDK context; empty strings count as unset. */
export function settingsFromContext(node: Node): Settings {
  const settings: Record<string, string> = {};
  for (const key of CONTEXT_KEYS) {
    const value: unknown = node.tryGetContext(key);
    if (value === undefined || value === null || value === '') continue;
    // `cdk.json` may hold a number (`"publisherTimeoutMinutes": 15`) or a boolean; `-c` always gives a string.
    if (typeof value === 'number' || typeof value === 'boolean') settings[key] = String(value);
    else if (typeof value !== 'string')
      throw new Error(`context ${key}: expected a string, got ${typeof value}`);
    else settings[key] = value.trim();
  }
  return settings;
}

/** The stack's name when `-c stackName` is not given; the CLI's `--stack` defaults to it too. */
export const DEFAULT_STACK_NAME = 'Broadsheet';

/**
 * The stack's id and CloudFormation name, from context `stackName`: a second site in the same account and
 * region needs a name of its own. Renaming a deployed stack deploys a new one beside it.
 */
export function stackNameFromContext(node: Node): string {
  const value: unknown = node.tryGetContext('stackName');
  if (value === undefined || value === null || value === '') return DEFAULT_STACK_NAME;
  const name = typeof value === 'string' ? value.trim() : '';
  if (!/^[A-Za-z][A-Za-z0-9-]{0,127}$/.test(name)) {
    throw new Error(
      `context stackName "${String(value)}" is not a CloudFormation stack name (a letter, then letters, digits and -), e.g. -c stackName=Dispatch`,
    );
  }
  return name;
}

/**
 * The settings in effect, as `key=value` pairs: the stack's `Settings` output and the line `bin/app.ts`
 * prints at synth, so a deploy that lost them (no `cdk.json` context, no `-c`) shows it.
 */
export function describeSettings(settings: Settings): string {
  const set = CONTEXT_KEYS.filter((key) => settings[key] !== undefined).map(
    (key) => `${key}=${settings[key]}`,
  );
  return set.length > 0 ? set.join(' ') : 'none: every setting at its default';
}

const HOST_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const CERTIFICATE_ARN = /^arn:aws[a-z-]*:acm:([a-z0-9-]+):\d{12}:certificate\/[\w-]+$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const CONTACT_LIST = /^[\w-]{1,64}$/;

/** Every problem with the settings, each with its fix; empty when they are usable. */
export function checkSettings(settings: Settings): string[] {
  const problems: string[] = [];
  const { domainName, certificateArn, senderEmail, contactList, contactTopic, alarmEmail } = settings;
  if ((domainName === undefined) !== (certificateArn === undefined)) {
    problems.push(
      'domainName and certificateArn go together: set both (-c domainName=… -c certificateArn=…) or neither',
    );
  }
  if (domainName !== undefined && !HOST_NAME.test(domainName)) {
    problems.push(`domainName "${domainName}" is not a lower-case host name like news.example.com`);
  }
  if (certificateArn !== undefined) {
    const region = CERTIFICATE_ARN.exec(certificateArn)?.[1];
    if (region === undefined) {
      problems.push(`certificateArn "${certificateArn}" is not an ACM certificate ARN`);
    } else if (region !== 'us-east-1') {
      problems.push(`certificateArn is in ${region}: CloudFront only uses certificates from us-east-1`);
    }
  }
  if ((senderEmail === undefined) !== (contactList === undefined)) {
    problems.push(
      'senderEmail and contactList go together: set both (-c senderEmail=… -c contactList=…) or neither',
    );
  }
  if (senderEmail !== undefined && !EMAIL.test(senderEmail)) {
    problems.push(`senderEmail "${senderEmail}" is not an email address`);
  }
  if (contactList !== undefined && !CONTACT_LIST.test(contactList)) {
    problems.push(`contactList "${contactList}" is not an SES contact list name (letters, digits, _ and -)`);
  }
  if (contactTopic !== undefined && contactList === undefined) {
    problems.push(
      'contactTopic needs contactList (and senderEmail): -c contactTopic=… is a topic of that list',
    );
  }
  if (contactTopic !== undefined && !CONTACT_LIST.test(contactTopic)) {
    problems.push(`contactTopic "${contactTopic}" is not an SES topic name (letters, digits, _ and -)`);
  }
  if (alarmEmail !== undefined && !EMAIL.test(alarmEmail)) {
    problems.push(`alarmEmail "${alarmEmail}" is not an email address`);
  }
  const minutes = settings.publisherTimeoutMinutes;
  if (minutes !== undefined && !/^(?:[1-9]|1[0-5])$/.test(minutes)) {
    problems.push(
      `publisherTimeoutMinutes "${minutes}" is not a whole number of minutes from 1 to 15 (Lambda's limit), e.g. -c publisherTimeoutMinutes=15`,
    );
  }
  const memory = settings.publisherMemoryMb;
  if (memory !== undefined && !(/^\d+$/.test(memory) && Number(memory) >= 1024 && Number(memory) <= 10240)) {
    problems.push(
      `publisherMemoryMb "${memory}" is not a whole number of MB from 1024 to 10240 (Lambda's limit), e.g. -c publisherMemoryMb=2048`,
    );
  }
  const hsts = settings.hstsIncludeSubdomains;
  if (hsts !== undefined && hsts !== 'true' && hsts !== 'false') {
    problems.push(`hstsIncludeSubdomains "${hsts}" is not true or false, e.g. -c hstsIncludeSubdomains=true`);
  }
  return problems;
}

/**
 * Broadsheet: content bucket → queue → publisher Lambda → site bucket → CloudFront.
 * The site bucket has no event notifications and the publisher cannot write the content
 * bucket, so the function can never trigger itself.
 */
export class BroadsheetStack extends Stack {
  public readonly contentBucket: Bucket;
  public readonly siteBucket: Bucket;
  public readonly logBucket: Bucket;
  public readonly site: SiteDistribution;
  public readonly publisher: Publisher;

  constructor(scope: Construct, id: string, props: BroadsheetStackProps = {}) {
    super(scope, id, props);
    const problems = checkSettings(props);
    if (problems.length > 0) {
      throw new Error(`Broadsheet settings:\n  - ${problems.join('\n  - ')}`);
    }

    this.logBucket = new Bucket(this, 'LogBucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      // CloudFront standard logging writes with ACLs.
      objectOwnership: ObjectOwnership.OBJECT_WRITER,
      lifecycleRules: [{ expiration: Duration.days(90) }],
    });

    this.contentBucket = new Bucket(this, 'ContentBucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      // Articles are the source of truth: an overwritten or deleted version can be restored.
      versioned: true,
      removalPolicy: RemovalPolicy.RETAIN,
      serverAccessLogsBucket: this.logBucket,
      serverAccessLogsPrefix: 's3/content/',
      lifecycleRules: [
        { abortIncompleteMultipartUploadAfter: Duration.days(7) },
        // A deploy that changes content/ rewrites every file, so old versions pile up: keep the 3 newest
        // of each file, and any other for 90 days after it was replaced, long enough to notice and restore.
        { noncurrentVersionsToRetain: 3, noncurrentVersionExpiration: Duration.days(90) },
      ],
    });

    // No event notifications on this bucket, ever: the publisher writes it.
    this.siteBucket = new Bucket(this, 'SiteBucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      // The site is rebuilt from the content bucket by any run, so it is not versioned.
      removalPolicy: RemovalPolicy.RETAIN,
      serverAccessLogsBucket: this.logBucket,
      serverAccessLogsPrefix: 's3/site/',
      lifecycleRules: [{ abortIncompleteMultipartUploadAfter: Duration.days(7) }],
    });

    const { domainName, certificateArn, senderEmail, contactList, contactTopic } = props;
    this.site = new SiteDistribution(this, 'Site', {
      siteBucket: this.siteBucket,
      logBucket: this.logBucket,
      logFilePrefix: 'cloudfront/',
      hstsIncludeSubdomains: props.hstsIncludeSubdomains === 'true',
      ...(domainName && certificateArn
        ? {
            domain: {
              domainName,
              certificate: Certificate.fromCertificateArn(this, 'Certificate', certificateArn),
            },
          }
        : {}),
    });

    this.publisher = new Publisher(this, 'Publisher', {
      contentBucket: this.contentBucket,
      siteBucket: this.siteBucket,
      contentPrefix: CONTENT_PREFIX,
      siteUrl: this.site.siteUrl,
      distribution: this.site.distribution,
      ...(props.publisherTimeoutMinutes
        ? { timeout: Duration.minutes(Number(props.publisherTimeoutMinutes)) }
        : {}),
      ...(props.publisherMemoryMb ? { memorySize: Number(props.publisherMemoryMb) } : {}),
      ...(senderEmail && contactList ? { email: { senderEmail, contactList, contactTopic } } : {}),
    });

    const contentDir = props.contentDir ?? 'content';
    if (contentDir !== 'none') {
      const content = new ContentDeployment(this, 'Content', {
        contentDir,
        contentBucket: this.contentBucket,
        contentPrefix: CONTENT_PREFIX,
      });
      // On the first deploy, files uploaded before the bucket notifies the queue would publish nothing.
      content.deployment.node.addDependency(this.publisher.eventDelivery);
    }

    if (props.alarmEmail) {
      this.publisher.alarmTopic.addSubscription(new EmailSubscription(props.alarmEmail));
    }

    const siteUrl = this.site.siteUrl;
    const outputs: Record<string, [string, string]> = {
      SiteUrl: [siteUrl, 'The site'],
      RssUrl: [`${siteUrl}rss.xml`, 'RSS 2.0 feed'],
      AtomUrl: [`${siteUrl}atom.xml`, 'Atom 1.0 feed'],
      JsonFeedUrl: [`${siteUrl}feed.json`, 'JSON Feed 1.1'],
      OpmlUrl: [`${siteUrl}feeds.opml`, 'Every feed, for import into a reader'],
      ContentBucketName: [this.contentBucket.bucketName, 'Upload articles here, under content/'],
      SiteBucketName: [
        this.siteBucket.bucketName,
        'The site; its _report.json says what the last run published and skipped (npx broadsheet status)',
      ],
      UploadCommand: [
        `aws s3 cp ARTICLE.md s3://${this.contentBucket.bucketName}/${CONTENT_PREFIX}`,
        'Publish an article',
      ],
      DeadLetterQueueUrl: [this.publisher.deadLetterQueue.queueUrl, 'Content events that failed 5 times'],
      DeadLetterQueueArn: [
        this.publisher.deadLetterQueue.queueArn,
        'Redrive after a fix: aws sqs start-message-move-task --source-arn <this>',
      ],
      PublisherLogGroupName: [
        this.publisher.logGroup.logGroupName,
        "The publisher's log: aws logs tail <this> --since 1h",
      ],
      PublisherFunctionName: [
        this.publisher.function.functionName,
        'The publisher function: invoke it with {} for a full run now',
      ],
      AlarmTopicArn: [
        this.publisher.alarmTopic.topicArn,
        'Alarms (dead-letter queue, publisher errors, skipped articles) go here',
      ],
      DashboardUrl: [
        `https://console.aws.amazon.com/cloudwatch/home?region=${this.region}#dashboards:name=${this.publisher.dashboard.dashboardName}`,
        'The publisher at a glance: alarms, runs, duration, S3 requests, skipped articles, queues',
      ],
      Settings: [
        describeSettings(props),
        'The settings this deploy used (cdk.json context, -c overrides); compare before the next deploy',
      ],
      DistributionDomainName: [
        this.site.distribution.distributionDomainName,
        'CloudFront domain (the DNS target of a custom domain)',
      ],
    };
    for (const [outputId, [value, description]] of Object.entries(outputs)) {
      new CfnOutput(this, outputId, { value, description });
    }
  }
}
