import { existsSync, statSync } from 'node:fs';
import { CfnElement, Size, Stack, Validations } from 'aws-cdk-lib';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';

export interface ContentDeploymentProps {
  /** Local folder of articles, `site.yaml` and images (`content/` of the repository). */
  readonly contentDir: string;
  readonly contentBucket: IBucket;
  /** Key prefix the publisher reads, ending in `/`. */
  readonly contentPrefix: string;
}

/**
 * `cdk deploy` uploads the repository's `content/` into the content bucket: committing an article and
 * deploying publishes it (each upload is an ordinary S3 event for the publisher). Nothing is ever deleted
 * from the bucket: authors also upload there directly, and those articles must survive a deploy.
 */
export class ContentDeployment extends Construct {
  readonly deployment: BucketDeployment;

  constructor(scope: Construct, id: string, props: ContentDeploymentProps) {
    super(scope, id);
    if (!existsSync(props.contentDir) || !statSync(props.contentDir).isDirectory()) {
      throw new Error(
        `ContentDeployment: "${props.contentDir}" is not a folder: run cdk from the repository root, ` +
          'pass -c contentDir=<folder>, or -c contentDir=none to deploy no content',
      );
    }
    this.deployment = new BucketDeployment(this, 'Upload', {
      // Hidden files (.DS_Store, editor swap files) are not content.
      sources: [Source.asset(props.contentDir, { exclude: ['.*', '**/.*'] })],
      destinationBucket: props.contentBucket,
      destinationKeyPrefix: props.contentPrefix,
      prune: false,
      retainOnDelete: true,
      // The handler keeps the zip and its unzipped copy in /tmp at once, then runs `aws s3 sync`: Lambda's
      // default 512 MiB of /tmp failed on ~250 MB of media; 4 GiB takes a content/ of about 2 GB.
      ephemeralStorageSize: Size.gibibytes(4),
      // More memory is more CPU and network for the unzip and the sync.
      memoryLimit: 1024,
      // Else Lambda makes /aws/lambda/<name> itself, kept for ever.
      logGroup: new LogGroup(this, 'UploadLogs', { retention: RetentionDays.ONE_MONTH }),
    });
    this.acknowledgeFindings(props.contentBucket);
  }

  private acknowledgeFindings(contentBucket: IBucket): void {
    // The handler is a singleton of the stack (one for every BucketDeployment), named by CDK.
    const handler = this.deployment.handlerRole.node.scope;
    const bucket = contentBucket.node.defaultChild;
    if (!handler || !CfnElement.isCfnElement(bucket)) {
      throw new Error('ContentDeployment: the content bucket must be defined in this stack');
    }
    const bucketArn = `<${Stack.of(this).getLogicalId(bucket)}.Arn>`;
    const deployTime =
      "CDK's BucketDeployment handler, a deploy-time custom resource that copies content/ into the content " +
      'bucket (it runs only during cdk deploy, never on an upload)';
    Validations.of(handler).acknowledge(
      {
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason: `${deployTime}: the AWS managed basic execution policy, for its logs; CDK chooses it.`,
      },
      {
        id: 'AwsSolutions-L1',
        reason: `${deployTime}: its runtime is chosen by aws-cdk-lib, not by this project.`,
      },
      ...['GetBucket*', 'GetObject*', 'List*'].map((action) => ({
        id: `AwsSolutions-IAM5[Action::s3:${action}]`,
        reason: `${deployTime}: CDK grants it read on the CDK asset bucket (where the zipped folder is) and on the content bucket, to compare before copying.`,
      })),
      ...['Abort*', 'DeleteObject*'].map((action) => ({
        id: `AwsSolutions-IAM5[Action::s3:${action}]`,
        reason: `${deployTime}: CDK grants read-write on the destination bucket whatever the options; with prune off it deletes nothing.`,
      })),
      {
        id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*]',
        reason: `${deployTime}: reads the zipped content/ from the CDK bootstrap asset bucket; asset keys are content hashes.`,
      },
      {
        id: `AwsSolutions-IAM5[Resource::${bucketArn}/*]`,
        reason: `${deployTime}: writes the files of content/ into the content bucket; their keys are the authors' file names.`,
      },
    );
  }
}
