import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import {
  BroadsheetStack,
  describeSettings,
  settingsFromContext,
  stackNameFromContext,
} from '../lib/broadsheet-stack.ts';

// Settings come from context (`cdk.json`, or `-c domainName=…`); the keys are documented on BroadsheetStackProps.
const app = new App();
const stackName = stackNameFromContext(app.node);
const settings = settingsFromContext(app.node);
// On stderr, before cdk deploy asks anything: a deploy that lost its settings shows it here first.
console.error(`${stackName} settings: ${describeSettings(settings)}`);
new BroadsheetStack(app, stackName, {
  description: 'Broadsheet: articles in S3 become feeds, pages and digests behind CloudFront',
  ...settings,
});
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
