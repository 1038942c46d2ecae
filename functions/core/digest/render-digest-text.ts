import { convert } from 'html-to-text';

/**
 * The plain-text part, converted from the email HTML (never a second template, so the two cannot drift):
 * the preheader, images and the repeated "Read the article" links are left out, links are `<url>`.
 */
export function renderDigestText(emailHtml: string): string {
  const text = convert(emailHtml, {
    wordwrap: 76,
    selectors: [
      { selector: '.preheader', format: 'skip' },
      { selector: 'img', format: 'skip' },
      { selector: '.more', format: 'skip' },
      { selector: 'h1', options: { uppercase: false } },
      { selector: 'h2', options: { uppercase: false, leadingLineBreaks: 1, trailingLineBreaks: 1 } },
      { selector: 'p.meta', format: 'block', options: { leadingLineBreaks: 2, trailingLineBreaks: 1 } },
      { selector: 'a', options: { hideLinkHrefIfSameAsText: true, linkBrackets: ['<', '>'] } },
    ],
  });
  return `${text.trim()}\n`;
}
