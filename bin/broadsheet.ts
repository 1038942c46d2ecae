#!/usr/bin/env -S node --import tsx
import { ConfigError, InvalidOutputError } from '../functions/core/problems.ts';
import { loadCommand } from './cli-commands.ts';
import { CommandError, UsageError } from './cli-shared.ts';

export const USAGE = `usage: broadsheet <command> [options]

Authors
  new      "Title" [--tags a,b] [--date ISO] [--content DIR]   write content/YYYY-MM-DD-slug.md, print its path
  check    [DIR|FILE]                                          check articles as the publisher would;
                                                               exit 1 if one would be skipped or site.yaml is bad
  preview  [--content DIR] [--out DIR] [--port N]              build, serve on http://localhost:8787,
                                                               rebuild and reload the browser on change
  publish  FILE|DIR… [--bucket NAME] [--prefix content/] [--stack Broadsheet] [--dry-run]
           [--wait [--site-bucket NAME] [--timeout 180]]       check, then upload new and changed files;
                                                               --wait: then wait for the run and say what
                                                               became of each article (exit 1 if skipped)

Operators
  build    [--content DIR] [--out DIR] [--site-url URL] [--now ISO] [--verbose]
                                                               build the site into a folder (exit 0 even
                                                               with skipped articles; they are listed)
  rebuild  [--bucket NAME] [--prefix content/] [--stack Broadsheet] [--dry-run]
                                                               re-run the deployed publisher over everything
  status   [--bucket NAME] [--stack Broadsheet] [--json]       the last run: what is online, what was skipped
                                                               and why, what is held back (exit 1 if it failed)

Defaults: --content content, --out dist (preview: .preview), --port $PORT or 8787.
The bucket is --bucket, else the stack output ContentBucketName (status: SiteBucketName) in ./cdk-outputs.json
(npx cdk deploy --outputs-file cdk-outputs.json). AWS_ENDPOINT_URL_S3 points at another S3 API.
Progress goes to stderr: a bar on a terminal, plain lines when not a TTY or when CI is set.`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    console.log(USAGE);
    return 0;
  }
  // `broadsheet check --help`: the usage, not an unknown option.
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  const load = loadCommand(command);
  if (!load) {
    console.error(`unknown command: ${command}\n\n${USAGE}`);
    return 2;
  }
  const run = await load();
  return run(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof ConfigError) console.error(`configuration error:\n${error.message}`);
    else if (error instanceof UsageError)
      console.error(`${error.message}\n\nrun  npx broadsheet help  for usage`);
    else if (error instanceof CommandError || error instanceof InvalidOutputError)
      console.error(error.message);
    else console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exitCode = error instanceof ConfigError || error instanceof UsageError ? 2 : 1;
  },
);
