#!/usr/bin/env -S node --import tsx
import { parseArgs } from 'node:util';
import { ConfigError } from '../functions/core/problems.ts';
import { buildLocal, describeReport } from './cli-build.ts';
import { startPreview } from './cli-preview.ts';

const USAGE = `usage: broadsheet <command> [options]

  build    [--content DIR] [--out DIR] [--site-url URL] [--now ISO]   build the site into a folder
  preview  [--content DIR] [--port N]                                 build, serve on localhost, rebuild on change

Defaults: --content content, --out dist, --port $PORT or 8787.`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const { values } = parseArgs({
    args: rest,
    options: {
      content: { type: 'string', default: 'content' },
      out: { type: 'string' },
      'site-url': { type: 'string' },
      now: { type: 'string' },
      port: { type: 'string' },
      verbose: { type: 'boolean', default: false },
    },
    allowPositionals: true,
  });

  switch (command) {
    case 'build': {
      const now = values.now ? new Date(values.now) : new Date();
      if (Number.isNaN(now.getTime())) throw new UsageError(`--now "${values.now}" is not an ISO 8601 date`);
      const outDir = values.out ?? 'dist';
      const report = await buildLocal({
        contentDir: values.content,
        outDir,
        siteUrl: values['site-url'],
        now,
        verbose: values.verbose,
      });
      console.log(describeReport(report, outDir));
      return 0;
    }
    case 'preview': {
      const port = Number(values.port ?? process.env.PORT ?? 8787);
      if (!Number.isInteger(port) || port <= 0)
        throw new UsageError(`port "${values.port}" is not a port number`);
      await startPreview({ contentDir: values.content, outDir: values.out ?? '.preview', port });
      console.log(`serving http://localhost:${port}/ — watching ${values.content}/ (Ctrl-C to stop)`);
      return new Promise<number>(() => {});
    }
    default:
      console.error(command ? `unknown command: ${command}\n\n${USAGE}` : USAGE);
      return command ? 2 : 0;
  }
}

class UsageError extends Error {
  override name = 'UsageError';
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof ConfigError) console.error(`configuration error:\n${error.message}`);
    else if (error instanceof UsageError) console.error(`${error.message}\n\n${USAGE}`);
    else console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(error instanceof ConfigError || error instanceof UsageError ? 2 : 1);
  },
);
