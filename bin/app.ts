import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { BroadsheetStack, settingsFromContext, stackNameFromContext } from '../lib/broadsheet-stack.ts';

// Settings come from context (`-c domainName=…`); the keys are documented on BroadsheetStackProps.
const app = new App();
new BroadsheetStack(app, stackNameFromContext(app.node), {
  description: 'Broadsheet: articles in S3 become feeds, pages and digests behind CloudFront',
  ...settingsFromContext(app.node),
});
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
