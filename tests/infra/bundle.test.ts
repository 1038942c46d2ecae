import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, posix, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { CfnElement } from 'aws-cdk-lib';
import { buildSync } from 'esbuild';
import juice from 'juice';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REQUIRE_BANNER, UNUSED_IN_BUNDLE } from '../../lib/publisher-bundle.ts';
import { createApp, removeApps } from './app-fixture.ts';

afterAll(removeApps);

// The contract (DESIGN.md): the deployed bundle needs nothing at run time but itself and `@aws-sdk/*`,
// which the Lambda runtime provides. These tests take the bundle exactly as `cdk deploy` uploads it:
// index.mjs (cold start) and chunks/ (the pipeline, loaded on the first run), from lib/publisher-bundle.ts.

const isAllowedAtRunTime = (specifier: string) =>
  specifier.startsWith('node:') || builtinModules.includes(specifier) || specifier.startsWith('@aws-sdk/');

/** Module specifiers the minified bundle loads: static and dynamic imports and require() calls. */
function runtimeSpecifiers(code: string): string[] {
  const patterns = [
    // Not after a quote or a dot: bundled CSS parsers hold the word "import" as data.
    /(?<![\w$."'])import\s*(?:[\w*${}\s,]+from\s*)?["']([^"']+)["']/g,
    /\bimport\s*\(\s*["']([^"']+)["']\s*\)/g,
    /\brequire\s*\(\s*["']([^"']+)["']\s*\)/g,
  ];
  return [...new Set(patterns.flatMap((p) => [...code.matchAll(p)].map((m) => m[1] as string)))].sort();
}

// Fails the import of anything the bundle itself asks for, except its own files, Node built-ins and @aws-sdk/*,
// which resolve from this repository's node_modules as they would from the Lambda runtime's.
const RESOLVE_HOOKS = `
import { builtinModules } from 'node:module';
export async function resolve(specifier, context, next) {
  const fromBundle = context.parentURL?.startsWith(process.env.TASK_URL);
  if (!fromBundle || specifier.startsWith('node:') || builtinModules.includes(specifier)) return next(specifier, context);
  if (specifier.startsWith('@aws-sdk/')) return next(specifier, { ...context, parentURL: process.env.REPO_URL });
  if (/^(\\.{1,2}\\/|file:)/.test(specifier)) {
    const url = new URL(specifier, context.parentURL).href;
    if (url.startsWith(process.env.TASK_URL)) return next(specifier, context);
  }
  throw new Error('the bundle loads ' + specifier + ' at run time');
}
`;

/** Every file under `dir`, as paths relative to it with `/` separators, sorted. */
function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split(sep).join('/'))
    .sort();
}

/**
 * Writes `files` into /task of an empty folder, as the Lambda runtime would see them, imports index.mjs
 * (reports typeof handler), then every other .mjs file: the chunks the handler loads on its first run.
 */
function importInIsolation(files: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), 'broadsheet-lambda-'));
  try {
    const task = join(dir, 'task');
    for (const [name, code] of Object.entries(files)) {
      mkdirSync(dirname(join(task, name)), { recursive: true });
      writeFileSync(join(task, name), code);
    }
    writeFileSync(join(dir, 'hooks.mjs'), RESOLVE_HOOKS);
    writeFileSync(
      join(dir, 'register.mjs'),
      "import { register } from 'node:module'; register('./hooks.mjs', import.meta.url);",
    );
    const urls = Object.keys(files)
      .filter((name) => name.endsWith('.mjs'))
      .sort((a, b) => Number(b === 'index.mjs') - Number(a === 'index.mjs'))
      .map((name) => pathToFileURL(join(task, name)).href);
    return spawnSync(
      process.execPath,
      [
        '--import',
        pathToFileURL(join(dir, 'register.mjs')).href,
        '--input-type=module',
        '-e',
        `const [index, ...chunks] = ${JSON.stringify(urls)};
const m = await import(index);
for (const chunk of chunks) await import(chunk);
process.stdout.write(typeof m.handler);`,
      ],
      {
        cwd: task,
        encoding: 'utf8',
        env: {
          PATH: process.env.PATH,
          TASK_URL: `${pathToFileURL(task).href}/`,
          REPO_URL: new URL('../../package.json', import.meta.url).href,
          AWS_REGION: 'us-east-1',
          CONTENT_BUCKET: 'content-bucket',
          SITE_BUCKET: 'site-bucket',
          CONTENT_PREFIX: 'content/',
          SITE_URL: 'https://d111111abcdef8.cloudfront.net/',
          POWERTOOLS_SERVICE_NAME: 'broadsheet',
        },
      },
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Relative static imports of `file` (a path relative to the asset), resolved to asset paths. */
function staticImports(file: string, code: string): string[] {
  const found = [
    ...code.matchAll(/(?<![\w$."'])import\s*(?:[\w*${}\s,]+from\s*)?["'](\.{1,2}\/[^"']+)["']/g),
  ];
  return found.map((m) => posix.join(posix.dirname(file), m[1] as string));
}

describe('publisher bundle', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'broadsheet-bundle-'));
  let assetDir: string;
  let files: string[];
  let code: Record<string, string>;

  beforeAll(() => {
    const { app, stack } = createApp({ outdir });
    const assembly = app.synth();
    const read = <T>(file: string) => JSON.parse(readFileSync(join(assembly.directory, file), 'utf8')) as T;
    const template = read<{ Resources: Record<string, { Properties: { Code?: { S3Key?: string } } }> }>(
      stack.templateFile,
    );
    // What `cdk deploy` uploads: the asset manifest entry whose zip the function's Code points at.
    const logicalId = stack.getLogicalId(stack.publisher.function.node.defaultChild as CfnElement);
    const s3Key = template.Resources[logicalId]?.Properties.Code?.S3Key;
    const assets = read<{ files: Record<string, { source: { path: string } }> }>(
      `${stack.artifactId}.assets.json`,
    );
    const assetPath = assets.files[String(s3Key).replace(/\.zip$/, '')]?.source.path;
    expect(assetPath, `asset of ${logicalId} (${s3Key})`).toBeDefined();
    assetDir = join(assembly.directory, assetPath as string);
    files = listFiles(assetDir);
    code = Object.fromEntries(
      files.filter((f) => f.endsWith('.mjs')).map((f) => [f, readFileSync(join(assetDir, f), 'utf8')]),
    );
  });
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it('is index.mjs and its chunks, ESM, each with its source map and nothing else', () => {
    const modules = Object.keys(code);
    expect(modules).toContain('index.mjs');
    expect(modules.filter((f) => f !== 'index.mjs').every((f) => /^chunks\/[\w-]+\.mjs$/.test(f))).toBe(true);
    expect(files).toEqual(modules.flatMap((f) => [f, `${f}.map`]).sort());
    for (const [file, text] of Object.entries(code)) {
      expect(
        text.startsWith(
          "import { createRequire } from 'module';const require = createRequire(import.meta.url);",
        ),
        file,
      ).toBe(true);
    }
  });

  it('keeps the pipeline out of the cold start: index.mjs loads it with a dynamic import', () => {
    const coldStart = new Set<string>();
    const visit = (file: string) => {
      if (coldStart.has(file)) return;
      coldStart.add(file);
      for (const next of staticImports(file, code[file] ?? '')) visit(next);
    };
    visit('index.mjs');
    const pipeline = Object.keys(code).find((f) => /^chunks\/publish-site-/.test(f));
    expect(pipeline).toBeDefined();
    expect(code['index.mjs']).toContain(`import("./${pipeline}")`);
    expect(coldStart.has(pipeline as string)).toBe(false);
    const coldBytes = [...coldStart].reduce((sum, f) => sum + Buffer.byteLength(code[f] ?? ''), 0);
    // Logger, environment, S3 adapters: tens of KiB. The pipeline (marked, sanitize-html, juice, feed…) is MiBs.
    expect(coldBytes).toBeLessThan(150 * 1024);
  });

  it('names no module but its own files, Node built-ins and @aws-sdk/*', () => {
    for (const [file, text] of Object.entries(code)) {
      const foreign = runtimeSpecifiers(text).filter((s) => {
        if (s.startsWith('./') || s.startsWith('../')) return !(posix.join(posix.dirname(file), s) in code);
        return !isAllowedAtRunTime(s);
      });
      expect(foreign, file).toEqual([]);
    }
    expect(runtimeSpecifiers(code['index.mjs'] ?? '')).toContain('module');
  });

  it('loads, exports handler and loads every chunk with nothing beside it but @aws-sdk/*', () => {
    const result = importInIsolation(code);
    expect(result.stderr).not.toMatch(/Error/);
    expect(result.stdout).toBe('function');
    expect(result.status).toBe(0);
  });

  it('leaves out undici and iconv-lite, and juice inlines the same without them', () => {
    for (const [file, text] of Object.entries(code)) expect(text.includes('undici'), file).toBe(false);
    // juice bundled as the publisher is, in its own process, against juice from node_modules.
    const dir = mkdtempSync(join(tmpdir(), 'broadsheet-juice-'));
    try {
      const outfile = join(dir, 'juice.mjs');
      buildSync({
        stdin: {
          contents:
            "import juice from 'juice'; process.stdout.write(juice(process.argv[2], { preserveMediaQueries: true, removeStyleTags: true }));",
          resolveDir: fileURLToPath(new URL('../..', import.meta.url)),
        },
        bundle: true,
        platform: 'node',
        format: 'esm',
        mainFields: ['module', 'main'],
        minify: true,
        alias: UNUSED_IN_BUNDLE,
        banner: { js: REQUIRE_BANNER },
        outfile,
        logLevel: 'silent',
      });
      expect(readFileSync(outfile, 'utf8').includes('undici')).toBe(false);
      const html =
        '<style>p{color:red}.x{font-weight:bold}@media (max-width:600px){p{color:blue}}</style><p class="x">Été “q”</p>';
      const result = spawnSync(process.execPath, [outfile, html], { encoding: 'utf8' });
      expect(result.stderr).toBe('');
      expect(result.stdout).toContain('style="color: red; font-weight: bold;"');
      expect(result.stdout).toBe(juice(html, { preserveMediaQueries: true, removeStyleTags: true }));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('would notice a chunk that needs another package (control)', () => {
    const result = importInIsolation({
      'index.mjs': "export const handler = () => import('./chunks/core.mjs');\n",
      'chunks/core.mjs': "import 'feed';\n",
    });
    expect(result.stderr).toContain('the bundle loads feed at run time');
    expect(result.status).not.toBe(0);
  });
});
