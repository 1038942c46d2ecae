import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
let cached: string | undefined;

/**
 * A hash of the pipeline's code (`functions/core/`) and locked dependencies (`package-lock.json`): a local
 * build passes it as its renderer version, so after an upgrade (or an edit to a renderer) the next build
 * into the same folder renders every output again, as the Lambda does when its bundle changes. '' when
 * the sources are not beside this file (a bundle): then only `ENGINE_VERSION` says so.
 */
export function codeVersion(root = repoRoot): string {
  if (root === repoRoot && cached !== undefined) return cached;
  const core = join(root, 'functions', 'core');
  let version = '';
  if (existsSync(core)) {
    const hash = createHash('sha256');
    const files = readdirSync(core, { recursive: true, encoding: 'utf8' })
      .filter((name) => name.endsWith('.ts'))
      .sort();
    for (const name of files) hash.update(`${name}\n`).update(readFileSync(join(core, name)));
    const lock = join(root, 'package-lock.json');
    if (existsSync(lock)) hash.update(readFileSync(lock));
    version = hash.digest('hex').slice(0, 16);
  }
  if (root === repoRoot) cached = version;
  return version;
}
