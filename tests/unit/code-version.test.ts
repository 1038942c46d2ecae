import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { codeVersion } from '../../bin/code-version.ts';

describe('codeVersion: what a local build re-renders everything for', () => {
  it('changes with any file of the core and with the locked dependencies, and only then', async () => {
    const root = await mkdtemp(join(tmpdir(), 'broadsheet-code-'));
    expect(codeVersion(root)).toBe('');
    await mkdir(join(root, 'functions', 'core', 'digest'), { recursive: true });
    await writeFile(join(root, 'functions', 'core', 'layout.ts'), 'export const css = "a";\n');
    await writeFile(join(root, 'functions', 'core', 'digest', 'render.ts'), 'export const x = 1;\n');
    const first = codeVersion(root);
    expect(first).toMatch(/^[0-9a-f]{16}$/);
    expect(codeVersion(root)).toBe(first);

    await writeFile(join(root, 'functions', 'core', 'notes.md'), 'not code');
    expect(codeVersion(root)).toBe(first);
    await writeFile(join(root, 'functions', 'core', 'digest', 'render.ts'), 'export const x = 2;\n');
    const edited = codeVersion(root);
    expect(edited).not.toBe(first);
    await writeFile(
      join(root, 'package-lock.json'),
      '{"packages":{"node_modules/marked":{"version":"18.2.1"}}}',
    );
    expect(codeVersion(root)).not.toBe(edited);
  });

  it('is worked out for this checkout', () => {
    expect(codeVersion()).toMatch(/^[0-9a-f]{16}$/);
  });
});
