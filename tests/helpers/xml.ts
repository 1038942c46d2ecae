/**
 * A strict XML 1.0 well-formedness check with `saxes` (conformant, namespace-aware), plus a tiny tree so
 * that tests can compare structure rather than bytes.
 *
 * saxes rejects what browsers' and readers' strict parsers reject: a bare `&`, undefined entities such as
 * `&nbsp;`, control characters (U+0001…), U+FFFE/U+FFFF, lone surrogates, `]]>` in text, duplicate
 * attributes, unbound prefixes, a second root. It does not expand entities declared in an internal DTD
 * subset (it reports them as undefined): our outputs have no DTD.
 */
import { SaxesParser } from 'saxes';

export interface XmlElement {
  /** The qualified name as written (`atom:link`). */
  readonly name: string;
  readonly local: string;
  /** The namespace URI, `''` when none. */
  readonly uri: string;
  /** By qualified name, `xmlns` declarations included. */
  readonly attributes: Record<string, string>;
  /** Elements and text (CDATA included; adjacent text merged). */
  readonly children: XmlNode[];
}

export type XmlNode = XmlElement | string;

export class XmlWellFormednessError extends Error {
  constructor(readonly problems: string[]) {
    super(`not well-formed XML: ${problems.join('; ')}`);
    this.name = 'XmlWellFormednessError';
  }
}

/** Parses `text` as a namespace-well-formed XML document; throws `XmlWellFormednessError` on any error. */
export function parseXmlStrict(text: string): XmlElement {
  const problems: string[] = [];
  const parser = new SaxesParser({ xmlns: true, position: true });
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  const addText = (t: string) => {
    const parent = stack.at(-1);
    if (parent === undefined) return;
    const last = parent.children.length - 1;
    const previous = parent.children[last];
    if (typeof previous === 'string') parent.children[last] = previous + t;
    else parent.children.push(t);
  };
  parser.on('error', (err) => problems.push(err.message));
  parser.on('opentag', (tag) => {
    const attributes: Record<string, string> = {};
    for (const [name, attr] of Object.entries(tag.attributes)) attributes[name] = attr.value;
    const element: XmlElement = { name: tag.name, local: tag.local, uri: tag.uri, attributes, children: [] };
    stack.at(-1)?.children.push(element);
    stack.push(element);
  });
  parser.on('closetag', () => {
    const element = stack.pop();
    if (stack.length === 0) root ??= element;
  });
  parser.on('text', addText);
  parser.on('cdata', addText);
  parser.write(text).close();
  if (problems.length > 0) throw new XmlWellFormednessError(problems);
  if (root === undefined) throw new XmlWellFormednessError(['no root element']);
  return root;
}

/** The element's text content, descendants included. */
export function textOf(node: XmlNode): string {
  return typeof node === 'string' ? node : node.children.map(textOf).join('');
}

/** Child elements with this local name (and namespace URI, when given). */
export function childElements(parent: XmlElement, local: string, uri?: string): XmlElement[] {
  return parent.children.filter(
    (c): c is XmlElement =>
      typeof c !== 'string' && c.local === local && (uri === undefined || c.uri === uri),
  );
}
