import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, type AppProps, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { BroadsheetStack, settingsFromContext, stackNameFromContext } from '../../lib/broadsheet-stack.ts';

/** The feature flags of cdk.json: `new App()` alone does not read them, and they change the template. */
export function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as {
    context?: Record<string, unknown>;
  };
  return cdkJson.context ?? {};
}

export const CUSTOM_DOMAIN = {
  domainName: 'news.example.com',
  certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555',
};

export const EMAIL = { senderEmail: 'news@example.com', contactList: 'readers' };

export interface FixtureOptions {
  /** Extra context, as `-c key=value` (strings) or `cdk.json` (any JSON value) would give it. */
  readonly context?: Record<string, unknown>;
  /** Register cdk-nag AwsSolutions as bin/app.ts does. */
  readonly nag?: boolean;
  readonly outdir?: string;
}

/** The app exactly as bin/app.ts builds it, with cdk.json's feature flags. */
export function createApp(options: FixtureOptions = {}): { app: App; stack: BroadsheetStack } {
  // Without an outdir CDK synthesises into a temp folder of its own (~26 MB with the staged bundle) and
  // never deletes it: every `npm test` left ~30 of them behind.
  const outdir = options.outdir ?? mkdtempSync(join(tmpdir(), 'broadsheet-cdk-'));
  if (!options.outdir) madeOutdirs.push(outdir);
  const props: AppProps = { context: { ...cdkJsonContext(), ...options.context }, outdir };
  const app = new App(props);
  const stack = new BroadsheetStack(app, stackNameFromContext(app.node), settingsFromContext(app.node));
  if (options.nag) Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack };
}

const madeOutdirs: string[] = [];

/** Deletes the folders `createApp` synthesised into: `afterAll(removeApps)` in every file that uses it. */
export function removeApps(): void {
  for (const dir of madeOutdirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}
