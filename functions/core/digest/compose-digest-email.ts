import { createHash } from 'node:crypto';
import * as base64 from 'nodemailer/lib/base64';
import MailComposer from 'nodemailer/lib/mail-composer';
import { foldLines } from 'nodemailer/lib/mime-funcs';
import MimeNode from 'nodemailer/lib/mime-node';
import * as qp from 'nodemailer/lib/qp';
import { singleLine } from '../text.ts';
import type { Mailbox } from './digest-model.ts';

export interface DigestEmail {
  readonly subject: string;
  readonly from: Mailbox;
  readonly to: Mailbox;
  readonly date: Date;
  /** `<…@…>` */
  readonly messageId: string;
  /** https URL for `List-Unsubscribe` (RFC 2369) with one-click POST (RFC 8058). */
  readonly unsubscribeUrl: string;
  readonly text: string;
  readonly html: string;
}

const crlf = (text: string) => text.replace(/\r?\n/g, '\r\n');

/**
 * The options nodemailer's MailComposer gets. Everything that would otherwise vary per call is fixed: the
 * Date, the Message-ID and the multipart boundary (a hash of the content, so no article text can guess
 * it and close the part early). Header values are single-lined here and encoded by nodemailer.
 */
function composerOptions(email: DigestEmail) {
  const mailbox = (m: Mailbox) => ({ name: singleLine(m.name ?? ''), address: singleLine(m.address) });
  // An empty part would make nodemailer drop it (or choke on it): a part is at least a line break.
  const text = crlf(email.text) || '\r\n';
  const html = crlf(email.html) || '\r\n';
  const baseBoundary = createHash('sha256')
    .update(`${email.messageId}\n${email.subject}\n${text}\n${html}`)
    .digest('hex')
    .slice(0, 24);
  return {
    from: mailbox(email.from),
    to: mailbox(email.to),
    subject: singleLine(email.subject),
    date: email.date,
    messageId: singleLine(email.messageId),
    text: { content: text, contentType: 'text/plain; charset=utf-8' },
    html: { content: html, contentType: 'text/html; charset=utf-8' },
    headers: {
      'List-Unsubscribe': `<${singleLine(email.unsubscribeUrl)}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    },
    baseBoundary,
    textEncoding: 'Q' as const,
    disableFileAccess: true,
    disableUrlAccess: true,
  };
}

/**
 * The whole message (multipart/alternative, text then HTML, UTF-8), built by nodemailer's MailComposer.
 *
 * MailComposer serialises through streams, which makes `build()` async, while an `OutputPlan` renders
 * synchronously. So the tree, its headers and the choice of transfer encodings are nodemailer's, and only
 * the final walk is done here with nodemailer's own QP/base64 encoders; a test checks it byte for byte
 * against `build()` (`composeDigestEmailWithStreams`).
 */
export function composeDigestEmail(email: DigestEmail): string {
  const root = new MailComposer(composerOptions(email)).compile();
  const out = serialise(root);
  // nodemailer's LastNewline: a message always ends with a line break.
  return out.endsWith('\n') ? out : out.endsWith('\r') ? `${out}\n` : `${out}\r\n`;
}

/** The same message through MailComposer's own stream serialiser: the reference for tests. */
export async function composeDigestEmailWithStreams(email: DigestEmail): Promise<string> {
  const buffer = await new MailComposer(composerOptions(email)).compile().build();
  return buffer.toString('utf8');
}

function serialise(node: MimeNode): string {
  const transferEncoding = node.getTransferEncoding();
  let out = `${node.buildHeaders()}\r\n\r\n`;
  const content = node.content;
  if (content !== undefined && content !== null && content !== '') {
    if (typeof content !== 'string' && !Buffer.isBuffer(content)) {
      throw new Error('digest email parts must be strings');
    }
    if (transferEncoding === 'quoted-printable') out += qp.wrap(qp.encode(content), 76);
    else if (transferEncoding === 'base64') out += base64.wrap(base64.encode(content), 76);
    else out += typeof content === 'string' ? content : content.toString('utf8');
  }
  if (node.multipart) {
    node.childNodes.forEach((child, i) => {
      out += `${i > 0 ? '\r\n' : ''}--${node.boundary}\r\n${serialise(child)}`;
    });
    out += `\r\n--${node.boundary}--\r\n`;
  }
  return out;
}

/** Header fields the sender replaces: SES adds its own per-recipient List-Unsubscribe pair. */
const READDRESSED = new Set(['from', 'to', 'list-unsubscribe', 'list-unsubscribe-post']);

/**
 * The stored message, addressed to one contact: `From` becomes the verified sender, `To` the contact, and
 * our site-wide List-Unsubscribe pair is dropped because SES (ListManagementOptions) adds a personal
 * one-click pair. Only whole header fields are replaced, with values encoded by nodemailer; the body is
 * untouched. Throws on a value with a line break: an address can never add a header.
 */
export function addressDigestEmail(raw: string, to: { from: string; to: string }): string {
  for (const value of [to.from, to.to]) {
    if (/[\r\n\u2028\u2029\u0085]/.test(value)) throw new Error('an address cannot contain a line break');
  }
  const split = raw.indexOf('\r\n\r\n');
  if (split < 0) throw new Error('not a MIME message: no end of header');
  const fields: string[] = [];
  for (const line of raw.slice(0, split).split('\r\n')) {
    if (/^[ \t]/.test(line) && fields.length > 0) fields[fields.length - 1] += `\r\n${line}`;
    else fields.push(line);
  }
  const header = (key: 'From' | 'To', value: string) =>
    foldLines(`${key}: ${MimeNode.encodeHeaderValue(key, value)}`, 76);
  const kept = fields.filter(
    (field) => !READDRESSED.has(field.slice(0, field.indexOf(':')).trim().toLowerCase()),
  );
  return [header('From', to.from), header('To', to.to), ...kept].join('\r\n') + raw.slice(split);
}
