/**
 * A feed document crosses to a render worker with each worker-parsed body as its UTF-8 bytes (never
 * decoded on the sending thread), and renders the same files as the document itself.
 */
import { describe, expect, it } from 'vitest';
import { planFeeds } from '../../functions/core/feed-spec.ts';
import { received, renderDocument, transferable } from '../../functions/core/render-job.ts';
import { planSite } from '../../functions/core/render-site.ts';
import { HTML_BYTES, type PublishedArticle } from '../../functions/core/site-model.ts';
import { sampleModel } from '../fixtures/site.ts';

/** The article as a worker-parsed one is: HTML behind a getter, its bytes beside it; counts decodes. */
function asWorkerParsed(article: PublishedArticle, decodes: { count: number }): PublishedArticle {
  const bytes = new TextEncoder().encode(article.html);
  const copy = { ...article };
  Object.defineProperty(copy, 'html', {
    get: () => {
      decodes.count++;
      return new TextDecoder().decode(bytes);
    },
    enumerable: true,
  });
  Object.defineProperty(copy, HTML_BYTES, { value: bytes });
  return copy;
}

describe('a feed document sent to a render worker', () => {
  const model = sampleModel();
  const plain = planFeeds(model).find((feed) => feed.dir === '') ?? planFeeds(model)[0];
  if (!plain) throw new Error('no feed planned');
  const decodes = { count: 0 };
  const document = {
    kind: 'feed' as const,
    spec: { ...plain.spec, items: plain.spec.items.map((a) => asWorkerParsed(a, decodes)) },
  };

  it('carries bodies as bytes, not strings, and reads none of them to send', () => {
    const sent = structuredClone(transferable(document));
    expect(decodes.count).toBe(0);
    expect(sent.kind === 'feed' && sent.spec.items.length).toBe(plain.spec.items.length);
    if (sent.kind !== 'feed') return;
    for (const item of sent.spec.items) {
      expect(item.html).toBe('');
      expect((item as unknown as { htmlUtf8: unknown }).htmlUtf8).toBeInstanceOf(Uint8Array);
    }
  });

  it('renders, once received, byte for byte what the document itself renders', () => {
    const sent = received(structuredClone(transferable(document)));
    expect(renderDocument('', sent)).toEqual(renderDocument('', { kind: 'feed', spec: plain.spec }));
    if (sent.kind === 'feed')
      expect(sent.spec.items.map((a) => a.html)).toEqual(plain.spec.items.map((a) => a.html));
  });

  it('renders bodies XML cannot carry verbatim (]]>, controls, U+FFFF, empty) as the text path does', () => {
    const hostile = ['<p>a ]]> b ]]> c</p>', '<p>x\u0001y\uFFFFz</p>', '', '<p>ok ]] > ] ]></p>'];
    const items = plain.spec.items.map((a, i) => ({ ...a, html: hostile[i % hostile.length] as string }));
    const spec = { ...plain.spec, items };
    const bytesOf = { count: 0 };
    const sent = received(
      structuredClone(
        transferable({
          kind: 'feed',
          spec: { ...spec, items: items.map((a) => asWorkerParsed(a, bytesOf)) },
        }),
      ),
    );
    const files = renderDocument('', sent);
    expect(files).toEqual(renderDocument('', { kind: 'feed', spec }));
    for (const file of Object.values(files)) expect('bytes' in file).toBe(true);
  });

  it('an article page too: sent as bytes, rendered as the page plan renders it', () => {
    for (const plan of planSite(model).filter((p) => p.phase === 'page')) {
      const job = plan.job;
      expect(job?.document.kind).toBe('page');
      if (job?.document.kind !== 'page') continue;
      const count = { count: 0 };
      const document = { ...job.document, article: asWorkerParsed(job.document.article, count) };
      const sent = structuredClone(transferable(document));
      expect(count.count).toBe(0);
      const dir = plan.key.slice(0, -job.file.length);
      const files = renderDocument(dir, received(sent));
      expect(Object.keys(files)).toEqual([job.file]);
      expect(new TextDecoder().decode((files[job.file] as { bytes: Uint8Array }).bytes)).toBe(plan.render());
    }
  });
});
