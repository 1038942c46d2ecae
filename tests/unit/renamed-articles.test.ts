import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../functions/core/ports.ts';
import { publishSite } from '../../functions/core/publish-site.ts';
import { markdownArticle, NOW, SITE_URL } from '../fixtures/articles.ts';
import { MemorySource, MemoryStore } from '../fixtures/memory.ts';

describe('an article renamed or moved to another folder', () => {
  const text = markdownArticle({ title: 'The vote', date: '2025-01-08' });
  const renamed = (report: { warnings: readonly { message: string }[] }) =>
    report.warnings.filter((w) => w.message.startsWith('looks like'));

  it('is named with what keeps its address and its place in feed readers', async () => {
    const source = new MemorySource({ '2025-01-08-the-vote.md': text });
    const store = new MemoryStore();
    const run = (changedKeys?: string[]) =>
      publishSite({ source, store, logger: silentLogger, now: NOW, siteUrl: SITE_URL, changedKeys });
    await run();
    const id = JSON.parse(store.text('feed.json')).items[0].id as string;

    source.files.delete('2025-01-08-the-vote.md');
    source.put('politics/2025-01-08-vote-in-parliament.md', text);
    const moved = await run(['2025-01-08-the-vote.md', 'politics/2025-01-08-vote-in-parliament.md']);
    expect(renamed(moved)).toEqual([
      expect.objectContaining({
        file: 'politics/2025-01-08-vote-in-parliament.md',
        message:
          'looks like 2025-01-08-the-vote.md under a new name: its address moved from /posts/the-vote/ to /posts/vote-in-parliament/, and feed readers will show it again as a new article',
        fix: `add to its front matter aliases: [/posts/the-vote/] and id: ${id}`,
      }),
    ]);
    // Said on the run that saw the move only.
    expect(renamed(await run())).toEqual([]);
  });

  it('is not named when its front matter keeps both, or for a new article of another title', async () => {
    const source = new MemorySource({
      '2025-01-08-the-vote.md': markdownArticle({ title: 'The vote', date: '2025-01-08', id: 'vote-2025' }),
    });
    const store = new MemoryStore();
    const run = () => publishSite({ source, store, logger: silentLogger, now: NOW, siteUrl: SITE_URL });
    await run();
    source.files.delete('2025-01-08-the-vote.md');
    source.put(
      '2025-01-08-vote.md',
      markdownArticle({
        title: 'The vote',
        date: '2025-01-08',
        id: 'vote-2025',
        aliases: '[/posts/the-vote/]',
      }),
    );
    source.put('2025-01-09-other.md', markdownArticle({ title: 'Another', date: '2025-01-09' }));
    expect(renamed(await run())).toEqual([]);
  });
});
