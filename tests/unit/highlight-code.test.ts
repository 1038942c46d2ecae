import hljs from 'highlight.js/lib/core';
import { describe, expect, it } from 'vitest';
import {
  EMBEDDED_LANGUAGES,
  HIGHLIGHT_CSS,
  highlightCode,
  LANGUAGE_ALIASES,
  LANGUAGES,
} from '../../functions/core/highlight-code.ts';
import { lexMarkdown } from '../../functions/core/markdown.ts';
import { silentLogger } from '../../functions/core/ports.ts';
import { publishSite } from '../../functions/core/publish-site.ts';
import { renderSafeMarkdown, sanitizeBody } from '../../functions/core/sanitize-body.ts';
import { markdownArticle, NOW, SITE_URL } from '../fixtures/articles.ts';
import { MemorySource, MemoryStore } from '../fixtures/memory.ts';

const PAGE = `${SITE_URL}posts/x/`;
/** The body as either renderer gives it: the fast path, else the sanitizer. */
const body = (markdown: string) => {
  const { tokens, toHtml } = lexMarkdown(markdown);
  return renderSafeMarkdown(tokens, PAGE) ?? sanitizeBody(toHtml(tokens), PAGE);
};

describe('highlighted code blocks', () => {
  it('colours a block that names its language, by name or alias, and leaves the others plain', () => {
    expect(body('```ts\nconst a: number = 1; // one\n```\n')).toBe(
      '<pre><code class="language-ts"><span class="hljs-keyword">const</span> <span class="hljs-attr">a</span>: <span class="hljs-built_in">number</span> = <span class="hljs-number">1</span>; <span class="hljs-comment">// one</span>\n</code></pre>\n',
    );
    expect(body('```sh\necho "hi" > out.txt\n```\n')).toContain('<span class="hljs-built_in">echo</span>');
    expect(body('```\nconst a = 1;\n```\n')).toBe('<pre><code>const a = 1;\n</code></pre>\n');
    expect(body('```klingon\nconst a = 1;\n```\n')).toBe(
      '<pre><code class="language-klingon">const a = 1;\n</code></pre>\n',
    );
  });

  it('colours a block named by an alias with signs (c++, c#), named by its language, by either renderer', () => {
    for (const [fence, language] of [
      ['c++', 'cpp'],
      ['C++', 'cpp'],
      ['h++', 'cpp'],
      ['c#', 'csharp'],
    ]) {
      const code = `\`\`\`${fence}\nint main() { return 0; }\n\`\`\`\n`;
      const fast = body(code);
      expect(fast, fence).toMatch(new RegExp(`^<pre><code class="language-${language}"><span class="hljs-`));
      expect(fast, fence).toContain('<span class="hljs-keyword">return</span>');
      expect(body(`<b>raw</b>\n\n${code}`).endsWith(fast), fence).toBe(true);
      expect(sanitizeBody(fast, PAGE)).toBe(fast);
    }
    // A language we do not highlight whose name no class takes: a plain block, by either renderer.
    expect(body('```f#\nlet x = 1\n```\n')).toBe('<pre><code>let x = 1\n</code></pre>\n');
    expect(body('<b>raw</b>\n\n```f#\nlet x = 1\n```\n')).toMatch(/<pre><code>let x = 1\n<\/code><\/pre>\n$/);
  });

  it('gives the same bytes through the sanitizer (raw HTML elsewhere in the body), and sanitising again changes nothing', () => {
    const markdown =
      '<b>raw</b>\n\n```js\nconst s = "</code></pre><script>alert(1)</script>" && \'x\';\nf();\n```\n';
    const slow = body(markdown);
    expect(slow).toContain(
      '<span class="hljs-string">"&lt;/code&gt;&lt;/pre&gt;&lt;script&gt;alert(1)&lt;/script&gt;"</span>',
    );
    expect(slow).toContain('<span class="hljs-title">f</span>');
    expect(slow).not.toContain('<script');
    expect(sanitizeBody(slow, PAGE)).toBe(slow);
    const fast = body(markdown.slice('<b>raw</b>\n\n'.length));
    expect(slow.endsWith(fast)).toBe(true);
  });

  it('leaves a block over 20,000 characters plain, and every block after 100,000 characters of code', () => {
    const long = `\`\`\`js\n${'let x = 1;\n'.repeat(2000)}\`\`\`\n`;
    expect(body(long)).not.toContain('hljs-');
    const many = `${'```js\nlet x = 1;\n```\n\n'.repeat(3)}`;
    expect(body(many).match(/hljs-keyword/g)).toHaveLength(3);
    const html = `<pre><code class="language-js">${'a'.repeat(19_000)}</code></pre>`.repeat(6);
    expect(highlightCode(html).match(/<pre><code class="language-js"><span/g)?.length ?? 0).toBeLessThan(6);
  });

  it('styles the page only where it shows highlighted code', async () => {
    const store = new MemoryStore();
    await publishSite({
      source: new MemorySource({
        '2025-01-08-code.md': markdownArticle({ title: 'Code' }, '```py\nprint("hi")\n```\n'),
        '2025-01-09-prose.md': markdownArticle({ title: 'Prose' }, 'Words.\n'),
      }),
      store,
      logger: silentLogger,
      now: NOW,
      siteUrl: SITE_URL,
    });
    expect(store.text('posts/code/index.html')).toContain(HIGHLIGHT_CSS);
    expect(store.text('posts/code/index.html')).toContain('<span class="hljs-built_in">print</span>');
    expect(store.text('posts/prose/index.html')).not.toContain('.hljs-');
    // The feeds carry the same spans; readers ignore classes they have no style for.
    expect(store.text('feed.json')).toContain('<span class=\\"hljs-built_in\\">print</span>');
  });

  it('knows every alias highlight.js gives its languages, and registers with each what its grammar embeds', () => {
    const aliases: Record<string, string> = {};
    const embeds: Record<string, string[]> = {};
    for (const [name, definition] of Object.entries(LANGUAGES)) {
      const grammar = definition(hljs);
      for (const alias of grammar.aliases ?? []) aliases[alias] = name;
      // Every `subLanguage` anywhere in the grammar that is one of ours (`graphql` is not).
      const found = new Set<string>();
      const seen = new Set<unknown>();
      const walk = (mode: unknown): void => {
        if (!mode || typeof mode !== 'object' || seen.has(mode)) return;
        seen.add(mode);
        const { subLanguage } = mode as { subLanguage?: string | string[] };
        for (const sub of [subLanguage ?? []].flat()) if (sub !== name && sub in LANGUAGES) found.add(sub);
        for (const value of Object.values(mode)) {
          if (Array.isArray(value)) value.forEach(walk);
          else walk(value);
        }
      };
      walk(grammar);
      if (found.size > 0) embeds[name] = [...found].sort();
    }
    expect(LANGUAGE_ALIASES).toEqual(aliases);
    expect(
      Object.fromEntries(Object.entries(EMBEDDED_LANGUAGES).map(([k, v]) => [k, [...v].sort()])),
    ).toEqual(embeds);
  });

  it("highlights an HTML page's script and style, with the grammars it embeds registered with it", () => {
    const html = body('```html\n<style>p { color: red }</style>\n<script>let x = 1;</script>\n```\n');
    expect(html).toContain('<span class="hljs-keyword">let</span>');
    expect(html).toContain('<span class="hljs-attribute">color</span>');
  });
});
