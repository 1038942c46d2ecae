import { compile } from 'html-to-text';

// Compiled once: a full build converts one digest per period.
const toText = compile({
  wordwrap: 76,
  selectors: [
    { selector: '.preheader', format: 'skip' },
    { selector: 'img', format: 'skip' },
    // The link around an item's image has no text of its own: kept, it is a bare URL above the item.
    { selector: 'a.image-link', format: 'skip' },
    { selector: '.more', format: 'skip' },
    { selector: 'h1', options: { uppercase: false } },
    { selector: 'h2', options: { uppercase: false, leadingLineBreaks: 1, trailingLineBreaks: 1 } },
    { selector: 'p.meta', format: 'block', options: { leadingLineBreaks: 2, trailingLineBreaks: 1 } },
    { selector: 'a', options: { hideLinkHrefIfSameAsText: true, linkBrackets: ['<', '>'] } },
  ],
});

/**
 * The plain-text part, converted from the email HTML (never a second template, so the two cannot drift):
 * the preheader, images (and the links around them) and the repeated "Read the article" links are left out, links are `<url>`.
 */
export function renderDigestText(emailHtml: string): string {
  return `${toText(emailHtml).trim()}\n`;
}
