/**
 * Vitest global setup: one temporary folder per test run. Every `mkdtemp(tmpdir())` of the tests, and the
 * temporary folders of what they start (CDK, chromium, moto_server), land in it through `TMPDIR`, which
 * the test processes inherit; it is deleted when the run ends, with whatever the tests left in it (about
 * 17 MB a run otherwise, never cleaned up).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const before = process.env.TMPDIR;
  const root = mkdtempSync(join(tmpdir(), 'broadsheet-test-run-'));
  process.env.TMPDIR = root;
  return () => {
    if (before === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = before;
    rmSync(root, { recursive: true, force: true });
  };
}
