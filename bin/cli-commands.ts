import type { CommandRunner } from './cli-shared.ts';

// Each command loads only its own module: `new` and `check` start without the AWS SDK. This lives apart
// from bin/broadsheet.ts because tsx fails to lex a dynamic import() in a file that starts with a shebang.
const COMMANDS = new Map<string, () => Promise<CommandRunner>>([
  ['new', async () => (await import('./cli-new.ts')).runNew],
  ['check', async () => (await import('./cli-check.ts')).runCheck],
  ['build', async () => (await import('./cli-build.ts')).runBuild],
  ['preview', async () => (await import('./cli-preview.ts')).runPreview],
  ['publish', async () => (await import('./cli-publish.ts')).runPublish],
  ['rebuild', async () => (await import('./cli-rebuild.ts')).runRebuild],
  ['status', async () => (await import('./cli-status.ts')).runStatus],
]);

/** The command's runner, loaded on demand; undefined for an unknown name. */
export function loadCommand(name: string): (() => Promise<CommandRunner>) | undefined {
  return COMMANDS.get(name);
}
