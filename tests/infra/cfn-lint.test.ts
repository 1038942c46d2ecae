import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, onTestFinished } from 'vitest';
import { CUSTOM_DOMAIN, createApp, EMAIL, removeApps } from './app-fixture.ts';

afterAll(removeApps);

const cfnLintAvailable = spawnSync('cfn-lint', ['--version'], { encoding: 'utf8' }).status === 0;
if (!cfnLintAvailable) {
  console.warn(
    'cfn-lint is not on the PATH: skipping tests/infra/cfn-lint.test.ts (install: pip install cfn-lint)',
  );
}

/**
 * Rules switched off, each with its reason:
 * - W3005 (DependsOn already implied by a Ref/GetAtt): CDK itself adds these explicit DependsOn
 *   (a function on its role's default policy, the bucket notification on the queue policy). They are
 *   redundant, not wrong, and not ours to remove.
 */
const IGNORED_RULES = ['W3005'];

interface Finding {
  Rule: { Id: string };
  Level: string;
  Message: string;
  Location: { Path: unknown[] };
}

describe.skipIf(!cfnLintAvailable).each([
  ['no context', {}],
  ['custom domain, email and alarm email', { ...CUSTOM_DOMAIN, ...EMAIL, alarmEmail: 'ops@example.com' }],
])('cfn-lint (%s)', (_name, context) => {
  it('finds no error, warning or informational finding in the template', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'broadsheet-cfn-lint-'));
    onTestFinished(() => rmSync(outdir, { recursive: true, force: true }));
    const { app, stack } = createApp({ context, outdir });
    const assembly = app.synth();
    const templatePath = join(assembly.directory, stack.templateFile);
    const result = spawnSync(
      'cfn-lint',
      ['--format', 'json', '--ignore-checks', ...IGNORED_RULES, '--', templatePath],
      { encoding: 'utf8' },
    );
    expect(result.error).toBeUndefined();
    const findings = JSON.parse(result.stdout || '[]') as Finding[];
    expect(
      findings.map((f) => `${f.Rule.Id} ${f.Level}: ${f.Message} at ${f.Location.Path.join('/')}`),
    ).toEqual([]);
    expect(result.status, result.stderr).toBe(0);
  });
});
