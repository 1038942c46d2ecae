import { accessSync, constants, existsSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (this file is `<repo>/tests/helpers/paths.ts`). */
export const repoRoot: string = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** `../shared` beside the repository: CI clones the repo with `shared/` next to it. */
export const sharedDir: string = resolve(repoRoot, '..', 'shared');

/** The schema checks read `../shared/schemas/`; without it they are skipped, as a missing tool's are. */
export const SHARED_MISSING = `${sharedDir} not found: the JSON Feed schema and Atom RELAX NG checks read ../shared/schemas/; clone the project with its shared/ folder beside it, as CI does`;

export const hasShared = (): boolean => existsSync(join(sharedDir, 'schemas'));

/** Absolute path of a file under `../shared`; throws a clear error when it is not there. */
export function sharedPath(...parts: string[]): string {
  const path = join(sharedDir, ...parts);
  if (!existsSync(path)) {
    throw new Error(
      `${path} not found: tests expect the shared folder beside the repository (<repo>/../shared/${parts.join('/')})`,
    );
  }
  return path;
}

/** True when an executable named `command` is on the PATH (no process is started). */
export function onPath(command: string): boolean {
  return (process.env.PATH ?? '').split(delimiter).some((dir) => {
    if (dir === '') return false;
    try {
      accessSync(join(dir, command), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}
