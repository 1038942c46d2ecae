import { fileURLToPath } from 'node:url';
import {
  ArnFormat,
  AssetHashType,
  CfnElement,
  CfnResource,
  DockerImage,
  Duration,
  Stack,
  Validations,
} from 'aws-cdk-lib';
import type { IDistribution } from 'aws-cdk-lib/aws-cloudfront';
import {
  Alarm,
  AlarmStatusWidget,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Rule, RuleTargetInput, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import {
  Architecture,
  Code,
  EventSourceMapping,
  Function as LambdaFunctionResource,
  Runtime,
} from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { EventType, type IBucket } from 'aws-cdk-lib/aws-s3';
import { SqsDestination } from 'aws-cdk-lib/aws-s3-notifications';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct, DependencyGroup } from 'constructs';
import { METRIC_NAMESPACE } from '../functions/adapters/emf-metrics.ts';
import { CONTINUE_EVENT } from '../functions/adapters/s3-events.ts';
import { bundlePublisher } from './publisher-bundle.ts';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
/** The function's Powertools service name: its logs' `service` and its metrics' dimension. */
const SERVICE_NAME = 'broadsheet';

/** Where digests are sent from and to (SESv2). */
export interface PublisherEmail {
  /** A verified SES identity (address or an address of a verified domain): `news@example.com`. */
  readonly senderEmail: string;
  /** Name of the SESv2 contact list that receives digests. */
  readonly contactList: string;
  /**
   * A topic of the contact list: only contacts opted in to it receive digests, and SES's unsubscribe
   * link unsubscribes from it. @default - the whole list
   */
  readonly contactTopic?: string;
}

export interface PublisherProps {
  /** Bucket the authors upload articles to. The publisher only reads it. */
  readonly contentBucket: IBucket;
  /** Bucket the publisher writes the site to. It must have no event notifications. */
  readonly siteBucket: IBucket;
  /** Absolute URL of the site, with a trailing slash: `https://d111.cloudfront.net/`. */
  readonly siteUrl: string;
  /**
   * Key prefix of the articles in the content bucket; must end with `/`.
   * @default 'content/'
   */
  readonly contentPrefix?: string;
  /**
   * Sender and contact list for digests.
   * @default - no email: the function gets no SES permission at all
   */
  readonly email?: PublisherEmail;
  /**
   * The CloudFront distribution serving the site bucket: after a run, the publisher invalidates the pages
   * it replaced or deleted, so an edit or a takedown shows at once.
   * @default - none: a replaced page shows once its cache time (an hour) runs out
   */
  readonly distribution?: IDistribution;
  /**
   * When the scheduled reconcile runs (scheduled posts, digests, lost events).
   * @default Schedule.rate(Duration.hours(1))
   */
  readonly schedule?: Schedule;
  /**
   * How often the function looks whether its last run stopped for time (one read of the manifest head)
   * and carries it on: a first build too big for one run then finishes in minutes, not hours.
   * @default - every (timeout + 1) minutes, 6 for the default timeout: a run a tick started has stopped
   * or finished before the next tick, which would otherwise start the same work beside it
   */
  readonly continueSchedule?: Schedule;
  /**
   * The handler source file.
   * @default - `functions/handler.ts` in this repository
   */
  readonly entry?: string;
  /**
   * Function timeout; the queue's visibility timeout is derived from it.
   * @default Duration.minutes(5)
   */
  readonly timeout?: Duration;
  /**
   * Function memory in MB (CPU comes in proportion).
   * @default DEFAULT_PUBLISHER_MEMORY_MB
   */
  readonly memorySize?: number;
}

/**
 * 2 GB, not 1: Lambda gives CPU in proportion to memory up to 1,769 MB (one vCPU), so a CPU-bound run
 * costs about the same GB-seconds and takes half the time, and a run that builds every article (the
 * first, or the one after an upgrade) holds them all: at 30,000 articles, with the heap Lambda's
 * bootstrap gives a 2 GB function, its steps peaked at 1,062 and 1,293 MiB, past what 1 GB has.
 */
export const DEFAULT_PUBLISHER_MEMORY_MB = 2048;

/** Throws unless `prefix` is a usable key prefix for the articles: `content/`, `site/articles/`. */
function checkContentPrefix(prefix: string): void {
  if (!/^[^/].*\/$/.test(prefix)) {
    throw new Error(`Publisher: contentPrefix "${prefix}" must not start with "/" and must end with "/"`);
  }
}

/**
 * The publisher Lambda and what feeds it: content uploads (S3 → SQS → function, with a DLQ
 * and an alarm) and an hourly reconcile. At most two queue batches run at once (the event source's
 * maxConcurrency); the publisher's conditional write on its state manifest turns any overlap into a retry.
 */
export class Publisher extends Construct {
  public readonly function: LambdaFunctionResource;
  /** The function's log group: one `run summary` line a run, and `run failed` with the reason. */
  public readonly logGroup: LogGroup;
  public readonly queue: Queue;
  public readonly deadLetterQueue: Queue;
  public readonly deadLetterAlarm: Alarm;
  public readonly errorAlarm: Alarm;
  public readonly skippedAlarm: Alarm;
  /** One page for the operator: the alarms, runs and their duration, S3 requests, skipped articles, the queues. */
  public readonly dashboard: Dashboard;
  /** The alarms notify this topic: subscribe an address (the stack's `alarmEmail`), a chat hook, a pager. */
  public readonly alarmTopic: Topic;
  /**
   * The content bucket's S3 → SQS notification and the queue's event source mapping: a deploy-time upload
   * into the content bucket must depend on it, or its events are lost and nothing publishes until the
   * hourly run.
   */
  public readonly eventDelivery: DependencyGroup;

  constructor(scope: Construct, id: string, props: PublisherProps) {
    super(scope, id);
    const contentPrefix = props.contentPrefix ?? 'content/';
    checkContentPrefix(contentPrefix);
    const timeout = props.timeout ?? Duration.minutes(5);
    const batchingWindow = Duration.seconds(20);

    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.queue = new Queue(this, 'Queue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // AWS guidance for Lambda consumers: at least 6× the function timeout plus the batching window.
      visibilityTimeout: Duration.seconds(6 * timeout.toSeconds() + batchingWindow.toSeconds()),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: 5 },
    });
    for (const event of [EventType.OBJECT_CREATED, EventType.OBJECT_REMOVED]) {
      props.contentBucket.addEventNotification(event, new SqsDestination(this.queue), {
        prefix: contentPrefix,
      });
    }

    const logGroup = new LogGroup(this, 'Logs', { retention: RetentionDays.THREE_MONTHS });
    this.logGroup = logGroup;
    // Own role instead of AWSLambdaBasicExecutionRole: logs only to its own log group.
    const role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: 'Broadsheet publisher: reads content, writes the site',
    });
    logGroup.grantWrite(role);

    const environment: Record<string, string> = {
      CONTENT_BUCKET: props.contentBucket.bucketName,
      SITE_BUCKET: props.siteBucket.bucketName,
      CONTENT_PREFIX: contentPrefix,
      SITE_URL: props.siteUrl,
      NODE_OPTIONS: '--enable-source-maps',
      POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
    };
    if (props.distribution) environment.DISTRIBUTION_ID = props.distribution.distributionId;
    if (props.email) {
      environment.SENDER_EMAIL = props.email.senderEmail;
      environment.CONTACT_LIST = props.email.contactList;
      if (props.email.contactTopic) environment.CONTACT_TOPIC = props.email.contactTopic;
    }

    // Not NodejsFunction: it bundles to one file (--outfile), and esbuild only code-splits into a folder.
    // bundlePublisher writes index.mjs (cold start) plus chunks/ (the pipeline, loaded on the first run).
    const entry = props.entry ?? `${repoRoot}functions/handler.ts`;
    this.function = new LambdaFunctionResource(this, 'Function', {
      description: 'Broadsheet publisher: reconciles the content bucket into the site bucket',
      code: Code.fromAsset(repoRoot, {
        // Hash of the bundle, not of the repository: unchanged code does not redeploy.
        assetHashType: AssetHashType.OUTPUT,
        bundling: {
          // Required by the API, never pulled: local bundling with this repository's esbuild always succeeds.
          image: DockerImage.fromRegistry('public.ecr.aws/docker/library/node:22'),
          local: {
            tryBundle(outputDir) {
              bundlePublisher(outputDir, entry);
              return true;
            },
          },
        },
      }),
      handler: 'index.handler',
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? DEFAULT_PUBLISHER_MEMORY_MB,
      timeout,
      role,
      logGroup,
      environment,
    });

    this.function.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: 10,
        maxBatchingWindow: batchingWindow,
        reportBatchItemFailures: true,
        // Not reserved concurrency 1: a throttled batch counts as a receive, and a burst would then
        // push healthy messages into the DLQ. maxConcurrency (minimum 2) limits the pollers instead.
        maxConcurrency: 2,
      }),
    );
    this.eventDelivery = new DependencyGroup(
      ...props.contentBucket.node
        .findAll()
        .filter((c) => CfnResource.isCfnResource(c) && c.cfnResourceType === 'Custom::S3BucketNotifications'),
      ...this.function.node.children.filter((c) => c instanceof EventSourceMapping),
    );
    // A scheduled event is neither S3 nor SQS: the handler reconciles everything. An event
    // older than the next run is worth nothing, so it is dropped rather than queued up.
    this.function.configureAsyncInvoke({ maxEventAge: Duration.hours(1), retryAttempts: 2 });
    new Rule(this, 'Schedule', {
      description: 'Broadsheet: reconcile, publish scheduled posts, send digests',
      schedule: props.schedule ?? Schedule.rate(Duration.hours(1)),
      targets: [new LambdaFunction(this.function)],
    });
    new Rule(this, 'Continue', {
      description: 'Broadsheet: carry on a run that stopped before its timeout, if any',
      schedule:
        props.continueSchedule ?? Schedule.rate(Duration.minutes(Math.ceil(timeout.toSeconds() / 60) + 1)),
      targets: [new LambdaFunction(this.function, { event: RuleTargetInput.fromObject(CONTINUE_EVENT) })],
    });

    this.grantLeastPrivilege(role, props, contentPrefix);

    this.deadLetterAlarm = new Alarm(this, 'DeadLetterAlarm', {
      alarmDescription: 'Broadsheet: content events failed 5 times and reached the dead-letter queue',
      metric: this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(5),
        statistic: 'Maximum',
      }),
      threshold: 0,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    // Scheduled runs do not pass through the queue; their failures show up here.
    this.errorAlarm = new Alarm(this, 'ErrorAlarm', {
      alarmDescription: 'Broadsheet: the publisher failed',
      metric: this.function.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
      threshold: 0,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });

    // Every run counts the articles skipped now (bad front matter, no date…), not only those it read: the
    // alarm fires on the run that finds one and recovers on the run that finds none. Between runs there
    // is no data, and the alarm keeps its state.
    this.skippedAlarm = new Alarm(this, 'SkippedAlarm', {
      alarmDescription:
        'Broadsheet: an article in the content bucket is skipped; _report.json (skipped) names the file, the line and the fix',
      metric: new Metric({
        namespace: METRIC_NAMESPACE,
        metricName: 'SkippedArticles',
        dimensionsMap: { service: SERVICE_NAME },
        period: Duration.minutes(5),
        statistic: 'Maximum',
      }),
      threshold: 0,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.IGNORE,
    });

    this.alarmTopic = new Topic(this, 'AlarmTopic', {
      displayName: 'Broadsheet alarms',
      enforceSSL: true,
    });
    for (const alarm of [this.deadLetterAlarm, this.errorAlarm, this.skippedAlarm]) {
      alarm.addAlarmAction(new SnsAction(this.alarmTopic));
      alarm.addOkAction(new SnsAction(this.alarmTopic));
    }

    this.giveNotificationsHandlerLogs();
    this.dashboard = this.createDashboard();
    this.acknowledgeFindings(props, contentPrefix);
  }

  /**
   * CDK's BucketNotificationsHandler (the deploy-time function that writes the content bucket's
   * notification) has no log group prop, so Lambda would make /aws/lambda/<name>, kept for ever: point its
   * logging at a group with a retention instead. Its role's AWSLambdaBasicExecutionRole may write any group.
   */
  private giveNotificationsHandlerLogs(): void {
    const handler = Stack.of(this)
      .node.children.find((c) => c.node.id.startsWith('BucketNotificationsHandler'))
      ?.node.tryFindChild('Resource');
    if (!CfnResource.isCfnResource(handler) || handler.cfnResourceType !== 'AWS::Lambda::Function') return;
    const logGroup = new LogGroup(this, 'NotificationsHandlerLogs', { retention: RetentionDays.ONE_MONTH });
    handler.addPropertyOverride('LoggingConfig', { LogGroup: logGroup.logGroupName });
  }

  private createDashboard(): Dashboard {
    const run = (metricName: string, statistic: string, label: string) =>
      new Metric({
        namespace: METRIC_NAMESPACE,
        metricName,
        dimensionsMap: { service: SERVICE_NAME },
        period: Duration.hours(1),
        statistic,
        label,
      });
    const hourly = { period: Duration.hours(1) };
    const dashboard = new Dashboard(this, 'Dashboard', {
      // One hour a point over two weeks: uploads come a few a day, the schedule every hour.
      defaultInterval: Duration.days(14),
    });
    dashboard.addWidgets(
      new AlarmStatusWidget({
        title: 'Alarms',
        alarms: [this.deadLetterAlarm, this.errorAlarm, this.skippedAlarm],
        width: 24,
        height: 3,
      }),
    );
    dashboard.addWidgets(
      new GraphWidget({
        title: 'Runs and errors',
        left: [
          this.function.metricInvocations({ ...hourly, label: 'runs' }),
          this.function.metricErrors({ ...hourly, label: 'failed runs' }),
          run('RunErrors', 'Sum', 'invalid outputs kept back'),
        ],
        width: 8,
      }),
      new GraphWidget({
        title: 'Run duration (ms)',
        left: [run('RunDuration', 'Average', 'average'), run('RunDuration', 'Maximum', 'longest')],
        width: 8,
      }),
      new GraphWidget({
        title: 'S3 requests per run',
        left: [run('S3Requests', 'Average', 'average'), run('S3Requests', 'Maximum', 'most')],
        width: 8,
      }),
    );
    dashboard.addWidgets(
      new GraphWidget({
        title: 'Articles skipped, work left for the next run',
        left: [
          run('SkippedArticles', 'Maximum', 'skipped (see _report.json)'),
          run('DeferredOutputs', 'Maximum', 'outputs deferred'),
          run('UnreadSources', 'Maximum', 'sources unread'),
        ],
        width: 12,
      }),
      new GraphWidget({
        title: 'Queues',
        left: [
          this.queue.metricApproximateNumberOfMessagesVisible({
            ...hourly,
            statistic: 'Maximum',
            label: 'waiting',
          }),
          this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
            ...hourly,
            statistic: 'Maximum',
            label: 'dead letters',
          }),
        ],
        width: 12,
      }),
    );
    return dashboard;
  }

  private grantLeastPrivilege(role: Role, props: PublisherProps, contentPrefix: string): void {
    const { contentBucket, siteBucket } = props;
    role.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'ReadContent',
        actions: ['s3:GetObject'],
        resources: [contentBucket.arnForObjects(`${contentPrefix}*`)],
      }),
    );
    role.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'ListContent',
        actions: ['s3:ListBucket'],
        resources: [contentBucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': [`${contentPrefix}*`] } },
      }),
    );
    role.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'WriteSite',
        actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
        resources: [siteBucket.arnForObjects('*')],
      }),
    );
    // Without ListBucket a missing key answers 403 instead of 404.
    role.addToPrincipalPolicy(
      new PolicyStatement({ sid: 'ListSite', actions: ['s3:ListBucket'], resources: [siteBucket.bucketArn] }),
    );
    // CreateInvalidation on this one distribution (its ARN, no wildcard).
    props.distribution?.grantCreateInvalidation(role);
    if (props.email) {
      const stack = Stack.of(this);
      const sesArn = (resource: string, resourceName: string) =>
        stack.formatArn({ service: 'ses', resource, resourceName, arnFormat: ArnFormat.SLASH_RESOURCE_NAME });
      const senderDomain = props.email.senderEmail.split('@')[1] ?? props.email.senderEmail;
      role.addToPrincipalPolicy(
        new PolicyStatement({
          sid: 'SendDigest',
          actions: ['ses:SendEmail'],
          // SES authorises against the address identity or, if only the domain is verified, the domain identity.
          resources: [
            sesArn('identity', props.email.senderEmail),
            sesArn('identity', senderDomain),
            sesArn('contact-list', props.email.contactList),
          ],
        }),
      );
      // Recipients come from the contact list (opted-in to the topic); SES handles unsubscribes.
      role.addToPrincipalPolicy(
        new PolicyStatement({
          sid: 'ReadContacts',
          actions: ['ses:ListContacts'],
          resources: [sesArn('contact-list', props.email.contactList)],
        }),
      );
      // The send rate is the account's: GetAccount has no resource to scope to.
      role.addToPrincipalPolicy(
        new PolicyStatement({ sid: 'ReadSendQuota', actions: ['ses:GetAccount'], resources: ['*'] }),
      );
    }
  }

  private acknowledgeFindings(props: PublisherProps, contentPrefix: string): void {
    const stack = Stack.of(this);
    const getAttArn = (bucket: IBucket) => {
      const cfn = bucket.node.defaultChild;
      if (!CfnElement.isCfnElement(cfn)) {
        throw new Error(`Publisher: bucket ${bucket.node.path} is not defined in this stack`);
      }
      return `<${stack.getLogicalId(cfn)}.Arn>`;
    };
    const policy = this.function.role?.node.tryFindChild('DefaultPolicy');
    if (!policy) throw new Error('Publisher: the function role has no default policy');
    Validations.of(this.function).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'Pinned to nodejs22.x, an LTS runtime Lambda supports into 2027 and the line the project is tested on ' +
        '(bundle target node20); moving to a newer runtime is a deliberate, tested change, not an automatic one.',
    });
    Validations.of(policy).acknowledge(
      {
        id: `AwsSolutions-IAM5[Resource::${getAttArn(props.contentBucket)}/${contentPrefix}*]`,
        reason: `GetObject on the article keys under ${contentPrefix}: the articles are not known at deploy time.`,
      },
      {
        id: `AwsSolutions-IAM5[Resource::${getAttArn(props.siteBucket)}/*]`,
        reason:
          'Get/Put/DeleteObject on the site bucket, which the publisher owns: it writes one object per page and ' +
          'feed, named after articles that do not exist at deploy time.',
      },
    );
    if (props.email) {
      Validations.of(policy).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'ses:GetAccount only (the account send quota, to pace digest sends): the action has no resource ' +
          'to scope to.',
      });
    }

    // CDK's own singleton that writes the content bucket's NotificationConfiguration.
    const notificationsHandler = stack.node.children.find((c) =>
      c.node.id.startsWith('BucketNotificationsHandler'),
    );
    if (notificationsHandler) {
      Validations.of(notificationsHandler).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason:
          "CDK's BucketNotificationsHandler (the deploy-time custom resource that writes the content bucket's " +
          'S3 → SQS notification) uses the AWS managed basic execution policy; CDK does not expose its role.',
      });
    }
  }
}
