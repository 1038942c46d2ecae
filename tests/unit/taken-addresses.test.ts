import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../functions/core/ports.ts';
import { publishSite } from '../../functions/core/publish-site.ts';
import { markdownArticle, SITE_URL } from '../fixtures/articles.ts';
import { MemorySource, MemoryStore } from '../fixtures/memory.ts';

describe('an address that goes from one article to another', () => {
  it('is named on the article that took it, on the run that moved the other', async () => {
    const source = new MemorySource({
      '2025-06-01-foo.md': markdownArticle({ title: 'Launch day', date: '2025-06-01', slug: 'launch' }),
    });
    const store = new MemoryStore();
    const now = new Date('2025-08-01T00:00:00Z');
    const run = (changedKeys?: string[]) =>
      publishSite({ source, store, logger: silentLogger, now, siteUrl: SITE_URL, changedKeys });
    await run();
    const took = (report: { warnings: readonly { file: string; message: string }[] }) =>
      report.warnings.filter((w) => w.message.startsWith('took the address'));

    // A newer article with the same slug takes the next one: nothing online moves.
    source.put('2025-07-01-launch.md', markdownArticle({ title: 'Relaunch', date: '2025-07-01' }));
    expect(took(await run(['2025-07-01-launch.md']))).toEqual([]);
    expect(store.text('posts/launch-2/index.html')).toContain('Relaunch');

    // An older one takes the plain address (as a build from scratch gives it): that one is told.
    source.put('2024-01-01-launch.md', markdownArticle({ title: 'The first launch', date: '2024-01-01' }));
    const moved = await run(['2024-01-01-launch.md']);
    expect(took(moved)).toEqual([
      expect.objectContaining({
        file: '2024-01-01-launch.md',
        message:
          'took the address posts/launch/ from 2025-06-01-foo.md, which moved to posts/launch-2/: links to that article now open this one',
        fix: 'give 2024-01-01-launch.md a slug of its own in its front matter (slug: …), and 2025-06-01-foo.md gets its address back',
      }),
    ]);
    // The newer one moved along (launch-2 → launch-3): the same cause, named once.
    expect(store.text('posts/launch-3/index.html')).toContain('Relaunch');
    expect(store.text('posts/launch/index.html')).toContain('The first launch');
    // Said once: the next run finds every article where the last one put it.
    expect(took(await run())).toEqual([]);
  });
});
