/**
 * Code blocks that name their language (```ts) are highlighted when the body is made safe, as Hugo's
 * Chroma does: spans with highlight.js classes, coloured by the site's CSS (light and dark), no script.
 * It runs on the safe HTML of either body renderer, so both give the same bytes, and it only ever sees
 * text: the block's characters are decoded and highlight.js escapes them again.
 */
import { decodeHTML } from 'entities';
import type { LanguageFn } from 'highlight.js';
import hljs from 'highlight.js/lib/core';
import bash from 'highlight.js/lib/languages/bash';
import c from 'highlight.js/lib/languages/c';
import cpp from 'highlight.js/lib/languages/cpp';
import csharp from 'highlight.js/lib/languages/csharp';
import css from 'highlight.js/lib/languages/css';
import diff from 'highlight.js/lib/languages/diff';
import dockerfile from 'highlight.js/lib/languages/dockerfile';
import go from 'highlight.js/lib/languages/go';
import ini from 'highlight.js/lib/languages/ini';
import java from 'highlight.js/lib/languages/java';
import javascript from 'highlight.js/lib/languages/javascript';
import json from 'highlight.js/lib/languages/json';
import kotlin from 'highlight.js/lib/languages/kotlin';
import markdown from 'highlight.js/lib/languages/markdown';
import php from 'highlight.js/lib/languages/php';
import python from 'highlight.js/lib/languages/python';
import ruby from 'highlight.js/lib/languages/ruby';
import rust from 'highlight.js/lib/languages/rust';
import shell from 'highlight.js/lib/languages/shell';
import sql from 'highlight.js/lib/languages/sql';
import swift from 'highlight.js/lib/languages/swift';
import typescript from 'highlight.js/lib/languages/typescript';
import xml from 'highlight.js/lib/languages/xml';
import yaml from 'highlight.js/lib/languages/yaml';

// The languages of most blogs' code. Registered when a block first needs one: building all 24 grammars
// costs ~7 MB in each thread that loads this module, one costs ~0.5 MB.
export const LANGUAGES: Readonly<Record<string, LanguageFn>> = {
  bash,
  c,
  cpp,
  csharp,
  css,
  diff,
  dockerfile,
  go,
  ini,
  java,
  javascript,
  json,
  kotlin,
  markdown,
  php,
  python,
  ruby,
  rust,
  shell,
  sql,
  swift,
  typescript,
  xml,
  yaml,
};

/** highlight.js's own aliases of those languages (a test holds this table to them). */
export const LANGUAGE_ALIASES: Readonly<Record<string, string>> = {
  sh: 'bash',
  zsh: 'bash',
  h: 'c',
  cc: 'cpp',
  'c++': 'cpp',
  'h++': 'cpp',
  hpp: 'cpp',
  hh: 'cpp',
  hxx: 'cpp',
  cxx: 'cpp',
  cs: 'csharp',
  'c#': 'csharp',
  patch: 'diff',
  docker: 'dockerfile',
  golang: 'go',
  toml: 'ini',
  jsp: 'java',
  js: 'javascript',
  jsx: 'javascript',
  mjs: 'javascript',
  cjs: 'javascript',
  jsonc: 'json',
  json5: 'json',
  kt: 'kotlin',
  kts: 'kotlin',
  ktm: 'kotlin',
  ktx: 'kotlin',
  md: 'markdown',
  mkdown: 'markdown',
  mkd: 'markdown',
  py: 'python',
  gyp: 'python',
  ipython: 'python',
  rb: 'ruby',
  gemspec: 'ruby',
  podspec: 'ruby',
  thor: 'ruby',
  irb: 'ruby',
  rs: 'rust',
  console: 'shell',
  shellsession: 'shell',
  ts: 'typescript',
  tsx: 'typescript',
  mts: 'typescript',
  cts: 'typescript',
  html: 'xml',
  xhtml: 'xml',
  rss: 'xml',
  atom: 'xml',
  xjb: 'xml',
  xsd: 'xml',
  xsl: 'xml',
  plist: 'xml',
  wsf: 'xml',
  svg: 'xml',
  yml: 'yaml',
};

/**
 * The languages a grammar hands parts of a block to (an HTML page's scripts and styles…): registered with
 * it, so a block's colours never depend on which blocks were highlighted before it in this thread.
 */
export const EMBEDDED_LANGUAGES: Readonly<Record<string, readonly string[]>> = {
  dockerfile: ['bash'],
  javascript: ['css', 'xml'],
  markdown: ['xml'],
  shell: ['bash'],
  typescript: ['css', 'xml'],
  xml: ['css', 'javascript'],
  yaml: ['ruby'],
};

/**
 * The name a code block's class gives the language its fence names: as written when a class and
 * highlight.js's `language-[\w-]+` take it (```ts → `ts`), else the language it is an alias of
 * (```c++ → `cpp`, ```c# → `csharp`, as highlight.js names it), else none: a fence such as ```f#
 * (a language we do not highlight) gives a block with no class, as sanitize-html would leave it.
 */
export function codeClassName(fence: string): string | undefined {
  if (CLASS_NAME.test(fence)) return fence;
  const named = fence.toLowerCase();
  return Object.hasOwn(LANGUAGE_ALIASES, named) ? LANGUAGE_ALIASES[named] : undefined;
}

const CLASS_NAME = /^[\w-]+$/;

const registered = new Set<string>();

/** The language a fence names, registered (with what it embeds), if it is one of ours. */
function languageFor(fence: string): string | undefined {
  const named = fence.toLowerCase();
  const language = Object.hasOwn(LANGUAGES, named) ? named : LANGUAGE_ALIASES[named];
  if (language) register(language);
  return language;
}

function register(language: string): void {
  if (registered.has(language)) return;
  registered.add(language);
  hljs.registerLanguage(language, LANGUAGES[language] as LanguageFn);
  for (const embedded of EMBEDDED_LANGUAGES[language] ?? []) register(embedded);
}

/**
 * A block this long is left plain (a log or a data dump, not a snippet), and so is everything after this
 * much code in one body: highlighting costs ~1 µs a character, and no article may hold a run up.
 */
const MAX_BLOCK = 20_000;
const MAX_BODY = 100_000;

// What both renderers write for a fenced block with a language, with only text inside.
const CODE_BLOCK = /<pre><code class="language-([\w-]+)">([^<]*)<\/code><\/pre>/g;

/** `html` with each code block of a known language highlighted. */
export function highlightCode(html: string): string {
  if (!html.includes('<pre><code class="language-')) return html;
  let budget = MAX_BODY;
  return html.replace(CODE_BLOCK, (block, name: string, escaped: string) => {
    if (escaped.length > MAX_BLOCK || escaped.length > budget) return block;
    const language = languageFor(name);
    if (!language) return block;
    budget -= escaped.length;
    const { value } = hljs.highlight(decodeHTML(escaped), { language, ignoreIllegals: true });
    return `<pre><code class="language-${name}">${asSanitized(value)}</code></pre>`;
  });
}

/**
 * highlight.js's markup as sanitize-html writes it, so that sanitising a body again changes nothing:
 * quotes as characters (it escapes them), and only its `hljs-` classes (`hljs-title function_`).
 */
function asSanitized(markup: string): string {
  return markup
    .replace(/<span class="([^"]*)">/g, (_all, classes: string) => {
      const kept = classes.split(' ').filter((c) => c.startsWith('hljs-'));
      return kept.length > 0 ? `<span class="${kept.join(' ')}">` : '<span>';
    })
    .replaceAll('&quot;', '"')
    .replaceAll('&#x27;', "'");
}

/** The colours of highlight.js's classes, light and dark, in the site's palette (GitHub's hues). */
export const HIGHLIGHT_CSS =
  '.hljs-keyword,.hljs-doctag,.hljs-meta .hljs-keyword,.hljs-selector-tag{color:#cf222e}' +
  '.hljs-string,.hljs-regexp,.hljs-meta .hljs-string{color:#0a3069}' +
  '.hljs-number,.hljs-literal,.hljs-attr,.hljs-attribute,.hljs-symbol,.hljs-variable,.hljs-template-variable,.hljs-meta{color:#0550ae}' +
  '.hljs-title,.hljs-section{color:#8250df}' +
  '.hljs-built_in,.hljs-type,.hljs-params,.hljs-name,.hljs-selector-class,.hljs-selector-id{color:#953800}' +
  '.hljs-comment,.hljs-quote{color:#57606a;font-style:italic}' +
  '.hljs-addition{color:#116329}.hljs-deletion{color:#82071e}' +
  '@media (prefers-color-scheme:dark){' +
  '.hljs-keyword,.hljs-doctag,.hljs-meta .hljs-keyword,.hljs-selector-tag{color:#ff7b72}' +
  '.hljs-string,.hljs-regexp,.hljs-meta .hljs-string{color:#a5d6ff}' +
  '.hljs-number,.hljs-literal,.hljs-attr,.hljs-attribute,.hljs-symbol,.hljs-variable,.hljs-template-variable,.hljs-meta{color:#79c0ff}' +
  '.hljs-title,.hljs-section{color:#d2a8ff}' +
  '.hljs-built_in,.hljs-type,.hljs-params,.hljs-name,.hljs-selector-class,.hljs-selector-id{color:#ffa657}' +
  '.hljs-comment,.hljs-quote{color:#8b949e}' +
  '.hljs-addition{color:#aff5b4}.hljs-deletion{color:#ffdcd7}}';
