import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));

/** First line of every output file: CommonJS dependencies bundled into ESM still call require() for Node built-ins. */
export const REQUIRE_BANNER =
  "import { createRequire } from 'module';const require = createRequire(import.meta.url);";

/**
 * Packages the bundles leave out because nothing runs them: juice's cheerio imports undici (only for
 * `fromURL`) and, through encoding-sniffer, iconv-lite (only to decode Buffers); juice hands cheerio strings.
 * 0.9 MB less code for each thread to parse (~8 MB of memory per thread, measured); a call into one throws.
 */
export const UNUSED_IN_BUNDLE: Record<string, string> = {
  undici: `${repoRoot}lib/unused-in-bundle.cjs`,
  'iconv-lite': `${repoRoot}lib/unused-in-bundle.cjs`,
};

/**
 * Bundles the publisher Lambda into `outdir` exactly as it deploys (the stack and the bench both call this):
 * `index.mjs` holds the handler's cold-start code (logger, environment, S3 client); the pipeline it imports
 * lazily (`functions/core/publish-site.ts`: Markdown, sanitiser, CSS inliner, feeds) goes to `chunks/`, which
 * Node only parses on the first run. `@aws-sdk/*` stays external: the Lambda runtime provides it.
 * Writes index.mjs, its chunks and their source maps, nothing else.
 */
export function bundlePublisher(outdir: string, entry = `${repoRoot}functions/handler.ts`): void {
  buildSync({
    absWorkingDir: repoRoot,
    entryPoints: { index: entry },
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    // The oldest Node the project supports: the same bundle runs on the Lambda runtime and in local e2e tests.
    target: 'node20',
    minify: true,
    sourcemap: true,
    sourcesContent: false,
    mainFields: ['module', 'main'],
    external: ['@aws-sdk/*'],
    alias: UNUSED_IN_BUNDLE,
    // esbuild writes the banner at the top of every output file, chunks included.
    banner: { js: REQUIRE_BANNER },
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunks/[name]-[hash]',
    logLevel: 'warning',
  });
}
