import { describe, expect, it } from 'vitest';
import { createWorkerParser } from '../../functions/adapters/worker-parser.ts';
import { parseAndSanitise } from '../../functions/core/source-parser.ts';

const context = { timeZone: 'Europe/Paris', siteUrl: 'https://news.example.com/' };
const encode = (text: string) => new TextEncoder().encode(text);

describe('worker parser (what `broadsheet build` uses for large folders)', () => {
  it('runs the TypeScript worker from source and answers as the in-process parser does', async () => {
    const items = [
      {
        key: '2025-01-08-paris.md',
        bytes: encode('---\ntitle: Paris\ntags: [europe]\n---\n\nÉté [link](../x/) *café*\n'),
      },
      { key: '2025-01-09-notes.txt', bytes: encode('Notes\nA paragraph with “quotes”.\n') },
      { key: 'broken.md', bytes: encode('---\ntitle: [unclosed\n---\n\nBody\n') },
    ];
    const workers = createWorkerParser(undefined, 2);
    try {
      const parsed = await Promise.all(items.map((item) => workers.parse(item, context)));
      // Dates cross the thread boundary as Dates (structured clone).
      expect(parsed).toEqual(items.map((item) => parseAndSanitise(item, context)));
      expect(parsed[0]?.body?.html).toContain('https://news.example.com/posts/x/');
      expect(parsed[2]?.result.ok).toBe(false);
    } finally {
      await workers.close();
    }
  });
});
