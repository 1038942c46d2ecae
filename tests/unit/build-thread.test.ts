import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { buildOnThread, buildThreadHeapMb } from '../../bin/build-thread.ts';
import { buildLocal } from '../../bin/cli-build.ts';
import { storyKey, storyText } from '../fixtures/corpus.ts';

const root = mkdtempSync(join(tmpdir(), 'broadsheet-thread-'));
const content = join(root, 'content');
mkdirSync(content);
// Over the 300 articles from which `broadsheet build` uses parse workers, and so the build thread.
for (let i = 0; i < 320; i++) writeFileSync(join(content, storyKey(i)), storyText(i));
const now = new Date('2025-06-01T12:00:00Z');

function readTree(dir: string): Map<string, Buffer> {
  const files = readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
  return new Map(
    files.map((e) => [relative(dir, join(e.parentPath, e.name)), readFileSync(join(e.parentPath, e.name))]),
  );
}

describe('build thread (large local builds run on a thread with a bounded heap)', () => {
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('builds the same files and report as a build on the main thread', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const here = await buildLocal({ contentDir: content, outDir: join(root, 'here'), now, thread: false });
      const request = {
        contentDir: content,
        outDir: join(root, 'thread'),
        now: now.toISOString(),
        progress: true,
      };
      const reasons: string[] = [];
      const there = await buildOnThread(request, buildThreadHeapMb(320), undefined, (r) => reasons.push(r));
      expect(reasons).toEqual([]);
      expect(there?.counts.published).toBe(320);
      expect({ ...there, ranAt: '' }).toEqual({ ...here, ranAt: '' });
      // And `buildLocal` takes that path for a folder this size (same files once more, no fallback said).
      await buildLocal({ contentDir: content, outDir: join(root, 'thread'), now, verbose: true });
      expect(errors.mock.calls.flat().join('\n')).not.toContain('did not finish');
      const [a, b] = [readTree(join(root, 'here')), readTree(join(root, 'thread'))];
      expect(b.size).toBeGreaterThan(320);
      expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
      for (const [key, bytes] of a) {
        if (key === '_report.json') continue;
        expect(b.get(key)?.equals(bytes), key).toBe(true);
      }
    } finally {
      errors.mockRestore();
    }
  }, 120_000);

  it('answers undefined, saying why, when the thread runs out of heap (the caller builds here)', async () => {
    const reasons: string[] = [];
    const request = {
      contentDir: content,
      outDir: join(root, 'oom'),
      now: now.toISOString(),
      progress: false,
    };
    const report = await buildOnThread(request, 2, undefined, (reason) => reasons.push(reason));
    expect(report).toBeUndefined();
    expect(reasons).toEqual(['out of heap (2 MB)']);
  }, 120_000);
});
