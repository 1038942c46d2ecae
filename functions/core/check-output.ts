import { SaxesParser } from 'saxes';

/** Throws with line and column when `xml` is not well-formed XML 1.0 (namespaces included). */
export function assertWellFormedXml(xml: string): void {
  const parser = new SaxesParser({ xmlns: true, position: true });
  let failure: Error | undefined;
  parser.on('error', (error) => {
    failure ??= error;
  });
  parser.write(xml).close();
  if (failure) throw failure;
}

/** The strict check every output passes before it is written: XML documents parse, JSON parses. */
export function checkOutput(key: string, body: string): void {
  if (/\.(xml|opml)$/.test(key)) assertWellFormedXml(body);
  else if (/\.json$/.test(key)) JSON.parse(body);
}
