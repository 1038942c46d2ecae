import { App, type PolicyValidationPluginReport, Stack, Validations } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { afterAll, describe, expect, it } from 'vitest';
import { CUSTOM_DOMAIN, createApp, EMAIL, removeApps } from './app-fixture.ts';

afterAll(removeApps);

// cdk-nag 3 is a CDK policy-validation plugin: findings are not Annotations but plugin reports,
// and `app.synth()` throws when a report fails. `validateScope` returns the report itself.

const describeViolations = (report: PolicyValidationPluginReport) =>
  report.violations.map(
    (v) => `${v.ruleName} (${v.severity}) at ${v.violatingResources.map((r) => r.constructPath).join(', ')}`,
  );

/** Every `Validations.of(x).acknowledge(...)` under `scope`: construct path, rule id, reason. */
function acknowledgmentsIn(scope: IConstruct): { path: string; id: string; reason: string }[] {
  return scope.node.findAll().flatMap((c) =>
    c.node.metadata
      .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((m) =>
        Object.entries(m.data as Record<string, string>).map(([id, reason]) => ({
          path: c.node.path,
          id: id.replace(/^annotation::/i, ''),
          reason,
        })),
      ),
  );
}

/** What AwsSolutions finds when nothing is acknowledged (test only: bypasses the pack's private check). */
function unacknowledgedFindings(scope: IConstruct): PolicyValidationPluginReport {
  const pack = new AwsSolutionsChecks();
  Object.defineProperty(pack, 'isAcknowledged', { value: () => false });
  return pack.validateScope(scope);
}

describe.each([
  ['no context', {}],
  ['custom domain, email and alarm email', { ...CUSTOM_DOMAIN, ...EMAIL, alarmEmail: 'ops@example.com' }],
])('cdk-nag AwsSolutions (%s)', (_name, context) => {
  it('synthesises with the checks registered as bin/app.ts does', () => {
    const { app } = createApp({ context, nag: true });
    expect(() => app.synth()).not.toThrow();
  });

  it('leaves no unacknowledged error or warning', () => {
    const { stack } = createApp({ context });
    const report = new AwsSolutionsChecks().validateScope(stack);
    expect(describeViolations(report)).toEqual([]);
    expect(report.success).toBe(true);
    // CDK's own annotations (cdk-nag 3 reports through the plugin above, not here).
    expect(Annotations.fromStack(stack).findError('*', Match.anyValue())).toEqual([]);
    expect(Annotations.fromStack(stack).findError('*', Match.stringLikeRegexp('AwsSolutions-.*'))).toEqual(
      [],
    );
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('AwsSolutions-.*'))).toEqual(
      [],
    );
  });

  it('acknowledges only real findings, each with a written reason', () => {
    const { stack } = createApp({ context });
    const acknowledgments = acknowledgmentsIn(stack);
    expect(acknowledgments.length).toBeGreaterThan(0);
    const findings = unacknowledgedFindings(stack).violations;
    for (const ack of acknowledgments) {
      expect(ack.reason.length, `${ack.id} at ${ack.path}`).toBeGreaterThanOrEqual(40);
      const matched = findings.some(
        (v) =>
          v.ruleName === ack.id &&
          v.violatingResources.some(
            (r) => r.constructPath === ack.path || r.constructPath?.startsWith(`${ack.path}/`),
          ),
      );
      expect(matched, `stale acknowledgment ${ack.id} at ${ack.path}`).toBe(true);
    }
  });
});

describe('cdk-nag AwsSolutions, negative control', () => {
  it('does report a bucket without the secure settings', () => {
    const app = new App();
    const stack = new Stack(app, 'Careless');
    new Bucket(stack, 'Bucket');
    const rules = new AwsSolutionsChecks().validateScope(stack).violations.map((v) => v.ruleName);
    expect(rules).toEqual(expect.arrayContaining(['AwsSolutions-S1', 'AwsSolutions-S10']));
  });

  it('fails synthesis when a finding is not acknowledged', () => {
    const app = new App();
    const stack = new Stack(app, 'Careless');
    new Bucket(stack, 'Bucket');
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    expect(() => app.synth()).toThrow(/AwsSolutions-S10/);
  });
});
