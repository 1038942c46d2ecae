import { rootTextName } from './root-files.ts';

/** Which keys are articles: a few lines the CLI needs before it loads the parser (and its libraries). */
export const ARTICLE_EXTENSIONS = ['.md', '.markdown', '.txt'] as const;

export function isArticleKey(key: string): boolean {
  const name = key.split('/').pop() ?? '';
  return (
    isPublishable(key) &&
    ARTICLE_EXTENSIONS.some((ext) => name.toLowerCase().endsWith(ext)) &&
    rootTextName(key) === undefined
  );
}

/** Not hidden: no segment starts with `.`, and the name does not start with `_` (drafts, notes). */
export function isPublishable(key: string): boolean {
  const name = key.split('/').pop() ?? '';
  return !name.startsWith('_') && !key.split('/').some((s) => s.startsWith('.'));
}
