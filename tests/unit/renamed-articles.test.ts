import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../functions/core/ports.ts';
import { publishSite } from '../../functions/core/publish-site.ts';
import { markdownArticle, NOW, SITE_URL } from '../fixtures/articles.ts';
import { MemorySource, MemoryStore, memoryRuns } from '../fixtures/memory.ts';

describe('an article renamed or moved to another folder', () => {
  const text = markdownArticle({ title: 'The vote', date: '2025-01-08' });
  const renamed = (report: { warnings: readonly { message: string }[] }) =>
    report.warnings.filter((w) => w.message.startsWith('looks like'));
  /** The vote, published once: its source, a run over it, and its feed id. */
  const published = async () => {
    const source = new MemorySource({ '2025-01-08-the-vote.md': text });
    const store = new MemoryStore();
    const run = (changedKeys?: string[]) =>
      publishSite({ source, store, logger: silentLogger, now: NOW, siteUrl: SITE_URL, changedKeys });
    await run();
    return { source, run, id: JSON.parse(store.text('feed.json')).items[0].id as string };
  };

  it('is named with what keeps its address and its place in feed readers', async () => {
    const { source, run, id } = await published();

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

  it('renamed by a deploy, which uploads the new name and leaves the old: both are named, then the fix', async () => {
    const { source, run, id } = await published();

    source.put('2025-01-08-vote.md', text);
    const twice = (report: { warnings: readonly { file?: string; message: string }[] }) =>
      report.warnings.filter((w) => w.message.includes('twice'));
    const both = await run(['2025-01-08-vote.md']);
    expect(twice(both)).toEqual([
      expect.objectContaining({
        file: '2025-01-08-vote.md',
        message:
          'has the title and date of 2025-01-08-the-vote.md, so readers get the article twice: at /posts/the-vote/ and at /posts/vote/',
      }),
    ]);
    // On every run while both are there.
    expect(twice(await run())).toHaveLength(1);

    source.files.delete('2025-01-08-the-vote.md');
    const gone = await run(['2025-01-08-the-vote.md']);
    expect(twice(gone)).toEqual([]);
    expect(renamed(gone)).toEqual([
      expect.objectContaining({
        file: '2025-01-08-vote.md',
        message:
          'looks like 2025-01-08-the-vote.md under a new name: its address moved from /posts/the-vote/ to /posts/vote/, and feed readers have it as another article',
        fix: `add to its front matter aliases: [/posts/the-vote/] and id: ${id}`,
      }),
    ]);
  });

  it('two articles of one title on different days, or of different titles on one day, are not named', async () => {
    const source = new MemorySource({
      '2025-01-08-notes.md': markdownArticle({ title: 'Notes', date: '2025-01-08' }),
      '2025-01-09-notes.md': markdownArticle({ title: 'Notes', date: '2025-01-09' }),
      '2025-01-09-other.md': markdownArticle({ title: 'Other', date: '2025-01-09' }),
    });
    const store = new MemoryStore();
    const report = await publishSite({ source, store, logger: silentLogger, now: NOW, siteUrl: SITE_URL });
    expect(report.warnings.filter((w) => w.message.includes('twice'))).toEqual([]);
  });

  it('is named when the old name goes in one run and the new one comes in a later one, warm or cold', async () => {
    for (const warm of [true, false]) {
      // The newest article (the one most often renamed): its new name extends the last model when warm.
      const source = new MemorySource({
        '2025-01-07-older.md': markdownArticle({ title: 'Older', date: '2025-01-07' }),
        '2025-01-08-the-vote.md': text,
      });
      const store = new MemoryStore();
      const runs = memoryRuns(source, store);
      const run = (keys?: string[]) => (warm ? runs(keys) : runs(keys, store, undefined));
      await run();
      source.files.delete('2025-01-08-the-vote.md');
      expect(renamed(await run(['2025-01-08-the-vote.md']))).toEqual([]);
      await run();
      source.put('2025-01-08-vote.md', text);
      expect(renamed(await run(['2025-01-08-vote.md'])), `warm: ${warm}`).toEqual([
        expect.objectContaining({
          file: '2025-01-08-vote.md',
          message: expect.stringContaining('its address moved from /posts/the-vote/ to /posts/vote/'),
        }),
      ]);
      // Said once; the manifest forgets it.
      expect(renamed(await run())).toEqual([]);
      expect(store.text('_state/manifest.json')).not.toContain('"gone"');
    }
  });

  it('is forgotten after 30 days, and when the old name comes back', async () => {
    const source = new MemorySource({ '2025-01-08-the-vote.md': text });
    const store = new MemoryStore();
    const at = (now: Date, changedKeys?: string[]) =>
      publishSite({ source, store, logger: silentLogger, now, siteUrl: SITE_URL, changedKeys });
    await at(NOW);
    source.files.delete('2025-01-08-the-vote.md');
    await at(NOW, ['2025-01-08-the-vote.md']);
    expect(store.text('_state/manifest.json')).toContain('"gone"');
    const later = new Date(NOW.getTime() + 31 * 24 * 3600 * 1000);
    await at(later);
    expect(store.text('_state/manifest.json')).not.toContain('"gone"');
    source.put('2025-01-08-vote.md', text);
    expect(renamed(await at(later, ['2025-01-08-vote.md']))).toEqual([]);
  });
});
