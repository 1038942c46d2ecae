import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CfnElement } from 'aws-cdk-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from './app-fixture.ts';

// The contract (DESIGN.md): the deployed bundle needs nothing at run time but itself and `@aws-sdk/*`,
// which the Lambda runtime provides. These tests take the bundle exactly as `cdk deploy` uploads it.

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

// Fails the import of anything the bundle itself asks for, except Node built-ins and @aws-sdk/*,
// which resolve from this repository's node_modules as they would from the Lambda runtime's.
const RESOLVE_HOOKS = `
import { builtinModules } from 'node:module';
export async function resolve(specifier, context, next) {
  const fromBundle = context.parentURL === process.env.BUNDLE_URL;
  if (!fromBundle || specifier.startsWith('node:') || builtinModules.includes(specifier)) return next(specifier, context);
  if (specifier.startsWith('@aws-sdk/')) return next(specifier, { ...context, parentURL: process.env.REPO_URL });
  throw new Error('the bundle loads ' + specifier + ' at run time');
}
`;

/** Imports `code` as /task/index.mjs in an empty folder, as the Lambda runtime would, and reports typeof handler. */
function importInIsolation(code: string) {
  const dir = mkdtempSync(join(tmpdir(), 'broadsheet-lambda-'));
  try {
    mkdirSync(join(dir, 'task'));
    const bundle = join(dir, 'task', 'index.mjs');
    writeFileSync(bundle, code);
    writeFileSync(join(dir, 'hooks.mjs'), RESOLVE_HOOKS);
    writeFileSync(
      join(dir, 'register.mjs'),
      "import { register } from 'node:module'; register('./hooks.mjs', import.meta.url);",
    );
    return spawnSync(
      process.execPath,
      [
        '--import',
        pathToFileURL(join(dir, 'register.mjs')).href,
        '--input-type=module',
        '-e',
        `const m = await import(${JSON.stringify(pathToFileURL(bundle).href)}); process.stdout.write(typeof m.handler);`,
      ],
      {
        cwd: join(dir, 'task'),
        encoding: 'utf8',
        env: {
          PATH: process.env.PATH,
          BUNDLE_URL: pathToFileURL(bundle).href,
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

describe('publisher bundle', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'broadsheet-bundle-'));
  let assetDir: string;
  let code: string;

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
    code = readFileSync(join(assetDir, 'index.mjs'), 'utf8');
  });
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it('is one ESM file with its source map', () => {
    expect(readdirSync(assetDir).sort()).toEqual(['index.mjs', 'index.mjs.map']);
    expect(
      code.startsWith(
        "import { createRequire } from 'module';const require = createRequire(import.meta.url);",
      ),
    ).toBe(true);
  });

  it('names no module but Node built-ins and @aws-sdk/*', () => {
    const specifiers = runtimeSpecifiers(code);
    expect(specifiers).toContain('module');
    expect(specifiers.filter((s) => !isAllowedAtRunTime(s))).toEqual([]);
  });

  it('loads and exports handler with nothing beside it but @aws-sdk/*', () => {
    const result = importInIsolation(code);
    expect(result.stderr).not.toMatch(/Error/);
    expect(result.stdout).toBe('function');
    expect(result.status).toBe(0);
  });

  it('would notice a bundle that needs another package (control)', () => {
    const result = importInIsolation("import 'feed';\nexport const handler = () => {};\n");
    expect(result.stderr).toContain('the bundle loads feed at run time');
    expect(result.status).not.toBe(0);
  });
});
