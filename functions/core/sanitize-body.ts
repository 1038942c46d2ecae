import { compile } from 'html-to-text';
import sanitizeHtml from 'sanitize-html';

const absolute = (value: string | undefined, base: string): string | undefined => {
  if (value === undefined) return undefined;
  try {
    const url = new URL(value.trim(), base);
    return ['http:', 'https:', 'mailto:', 'tel:'].includes(url.protocol) ? url.href : undefined;
  } catch {
    return undefined;
  }
};

/**
 * Removes anything executable (script, iframe, on* handlers, javascript: URLs) and makes every link and
 * image absolute against the article's own URL, so the same HTML works in pages, feeds and email.
 */
export function sanitizeBody(html: string, pageUrl: string): string {
  return sanitizeHtml(html, {
    allowedTags: [
      ...sanitizeHtml.defaults.allowedTags.filter((t) => t !== 'wbr'),
      'img',
      'h1',
      'h2',
      'del',
      'ins',
      'sup',
      'sub',
      'input',
    ],
    allowedAttributes: {
      a: ['href', 'title', 'name', 'id'],
      img: ['src', 'alt', 'title', 'width', 'height'],
      code: ['class'],
      th: ['align', 'colspan', 'rowspan', 'scope'],
      td: ['align', 'colspan', 'rowspan'],
      ol: ['start'],
      input: ['type', 'checked', 'disabled'],
      '*': ['id', 'lang', 'dir'],
    },
    allowedClasses: { code: [/^language-[\w-]+$/] },
    allowedSchemes: ['http', 'https', 'mailto', 'tel'],
    allowedSchemesAppliedToAttributes: ['href', 'src'],
    allowProtocolRelative: true,
    disallowedTagsMode: 'discard',
    nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript', 'iframe', 'object', 'embed'],
    transformTags: {
      a: (tagName, attribs) => {
        const href = absolute(attribs.href, pageUrl);
        const { href: _drop, ...rest } = attribs;
        return { tagName, attribs: href ? { ...rest, href } : rest };
      },
      img: (tagName, attribs) => {
        const src = absolute(attribs.src, pageUrl);
        const { src: _drop, ...rest } = attribs;
        return {
          tagName,
          attribs: src ? { ...rest, src, alt: rest.alt ?? '' } : { ...rest, alt: rest.alt ?? '' },
        };
      },
      input: (tagName, attribs) =>
        attribs.type === 'checkbox'
          ? { tagName, attribs: { ...attribs, disabled: '' } }
          : { tagName: 'span', attribs: {} },
    },
    exclusiveFilter: (frame) => frame.tag === 'img' && !frame.attribs.src,
  });
}

/** Plain text of the first paragraph: the summary when the author gave none. */
export function leadText(html: string): string {
  const match = /<p[\s>][\s\S]*?<\/p>/i.exec(html);
  if (!match) return '';
  return htmlToPlainText(match[0]);
}

// Compiled once: `convert()` re-reads its options on every call, a cost paid per article on a full build.
const toPlainText = compile({
  wordwrap: false,
  selectors: [
    { selector: 'a', options: { ignoreHref: true } },
    { selector: 'img', format: 'skip' },
    { selector: 'h1', options: { uppercase: false } },
    { selector: 'h2', options: { uppercase: false } },
    { selector: 'h3', options: { uppercase: false } },
  ],
});

export function htmlToPlainText(html: string): string {
  return toPlainText(html).replace(/\s+/g, ' ').trim();
}
