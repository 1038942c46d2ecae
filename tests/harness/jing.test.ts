import { describe, expect, it } from 'vitest';
import { jingMissing, validateAtom } from '../helpers/jing.ts';
import { missing } from '../helpers/skip.ts';

const atom = (feedId: string) => `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Harness</title>
  ${feedId}
  <updated>2025-01-08T10:00:00Z</updated>
  <author><name>Ada</name></author>
  <link rel="self" href="https://example.org/atom.xml"/>
  <entry>
    <title>A</title>
    <id>urn:broadsheet:a</id>
    <link href="https://example.org/a.html"/>
    <updated>2025-01-08T10:00:00Z</updated>
  </entry>
</feed>`;

describe.skipIf(missing(...jingMissing()))('validateAtom', () => {
  it('accepts a valid Atom feed', async () => {
    expect(await validateAtom(atom('<id>urn:broadsheet:feed</id>'))).toEqual([]);
  });

  it('rejects a feed without <id>', async () => {
    const errors = await validateAtom(atom(''));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^\d+:\d+: error: .*missing required element "id"/);
  });

  it('rejects a document that is not well-formed', async () => {
    expect(await validateAtom('<feed')).not.toEqual([]);
  });
});
