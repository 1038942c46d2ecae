import { describe, expect, it } from 'vitest';
import { childElements, parseXmlStrict, textOf, XmlWellFormednessError } from '../helpers/xml.ts';

const ATOM = 'http://www.w3.org/2005/Atom';

describe('parseXmlStrict', () => {
  it('accepts a well-formed document and returns its tree', () => {
    const root = parseXmlStrict(
      `<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="${ATOM}"><title type="html">A &amp;amp; <![CDATA[B]]></title></feed>`,
    );
    expect(root).toMatchObject({ local: 'feed', uri: ATOM });
    const [title] = childElements(root, 'title', ATOM);
    expect(title?.attributes.type).toBe('html');
    expect(title?.children).toEqual(['A &amp; B']);
    expect(textOf(root)).toBe('A &amp; B');
  });

  it.each([
    ['a bare ampersand', '<a>&</a>'],
    ['a control character', '<a>\u0001</a>'],
    ['an HTML entity', '<a>&nbsp;</a>'],
    ['"]]>" in text', '<a>]]></a>'],
    ['an unbound prefix', '<a><x:b/></a>'],
    ['two roots', '<a/><b/>'],
    ['an empty document', ''],
  ])('rejects %s', (_, text) => {
    expect(() => parseXmlStrict(text)).toThrow(XmlWellFormednessError);
  });
});
