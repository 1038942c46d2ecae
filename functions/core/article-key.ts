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

/**
 * Not hidden: no segment starts with `.`, the name does not start with `_` (drafts, notes), and it is not
 * a file a repository keeps for its readers (`README.md`, `LICENSE`…), which a content folder in Git has.
 */
export function isPublishable(key: string): boolean {
  const name = key.split('/').pop() ?? '';
  return !name.startsWith('_') && !key.split('/').some((s) => s.startsWith('.')) && !isRepositoryFile(name);
}

/** `README.md`, `LICENSE`, `CHANGELOG.md`…: the repository's, never the site's. */
export const isRepositoryFile = (name: string): boolean => REPOSITORY_FILE.test(name);

const REPOSITORY_FILE = /^(?:readme|licen[cs]e|changelog|contributing|code_of_conduct)(?:\.[a-z]+)?$/i;
