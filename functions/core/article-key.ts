/** Which keys are articles: a few lines the CLI needs before it loads the parser (and its libraries). */
export const ARTICLE_EXTENSIONS = ['.md', '.markdown', '.txt'] as const;

export function isArticleKey(key: string): boolean {
  const name = key.split('/').pop() ?? '';
  if (name.startsWith('.') || name.startsWith('_') || key.split('/').some((s) => s.startsWith('.')))
    return false;
  return ARTICLE_EXTENSIONS.some((ext) => name.toLowerCase().endsWith(ext));
}
