/**
 * RELAX NG validation of Atom documents against RFC 4287's schema, with Debian's `jing`.
 * jing prints one `file:line:col: error: …` line per problem on stdout (its classpath warnings go to
 * stderr) and exits 1 when the document is invalid or not well-formed.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasShared, onPath, SHARED_MISSING, sharedPath } from './paths.ts';

export const JING_MISSING = 'jing not found: install it with  apt-get update && apt-get install -y jing';

export function hasJing(): boolean {
  return onPath('jing');
}

/** jing, and the RFC 4287 schema it validates against: the message names whichever is missing. */
export function jingMissing(): [boolean, string] {
  if (!hasJing()) return [false, JING_MISSING];
  return [hasShared(), SHARED_MISSING];
}

/** The RFC 4287 schema in `../shared/schemas/`. */
export function atomSchemaPath(): string {
  return sharedPath('schemas', 'atom-rfc4287.rng');
}

/**
 * Validates an Atom document; returns jing's error lines as `line:col: error: …` (empty when valid).
 */
export async function validateAtom(text: string): Promise<string[]> {
  const schema = atomSchemaPath();
  const dir = await mkdtemp(join(tmpdir(), 'broadsheet-jing-'));
  const file = join(dir, 'atom.xml');
  try {
    await writeFile(file, text, 'utf8');
    const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>(
      (resolve, reject) => {
        execFile('jing', [schema, file], { encoding: 'utf8' }, (err, stdout, stderr) => {
          if (err !== null && typeof err.code !== 'number') reject(err);
          else resolve({ code: err === null ? 0 : Number(err.code), stdout, stderr });
        });
      },
    );
    const lines = stdout
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => (l.startsWith(`${file}:`) ? l.slice(file.length + 1) : l));
    if (code !== 0 && lines.length === 0) lines.push(`jing exited ${code}: ${stderr.trim()}`);
    return lines;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
