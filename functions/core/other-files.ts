import { isArticleKey, isPublishable } from './article-key.ts';
import { isMediaKey } from './media.ts';
import type { Problem } from './problems.ts';
import { rootTextName } from './root-files.ts';
import { SITE_CONFIG_FILE } from './site-config.ts';

/**
 * A file in the content that the publisher does not publish: not an article (.md, .markdown, .txt), not
 * an image or file an article can show or link, not the top `site.yaml`, and not hidden (`.` or `_`,
 * the way to keep a file in the content on purpose). An author who uploads `post.html` or `post.docx`
 * expecting a page is told so on every run while it is there. Not S3's folder markers (`pics/`).
 */
export function isOtherFileKey(key: string): boolean {
  return (
    !key.endsWith('/') &&
    isPublishable(key) &&
    key !== SITE_CONFIG_FILE &&
    !isArticleKey(key) &&
    !isMediaKey(key)
  );
}

/**
 * Why `key` is not published and what to do. `exists` says whether a key is in the content: a name that
 * is taken (`post.md` beside `post.html`) is never offered.
 */
export function otherFileProblem(key: string, exists: (key: string) => boolean = () => false): Problem {
  const name = key.split('/').pop() ?? key;
  const folder = key.slice(0, key.length - name.length);
  const free = (candidate: string) => !exists(`${folder}${candidate}`);
  const hidden = free(`_${name}`) ? `_${name}` : undefined;
  const backup = backupOf(name);
  if (backup !== undefined) {
    return {
      file: key,
      message: `not published: a backup copy${backup ? ` of ${backup}` : ''} that an editor or a tool left`,
      fix: hidden
        ? `delete it, or move it out of the content (or rename it ${hidden}) to keep it without this warning`
        : 'delete it, or move it out of the content to keep it without this warning',
    };
  }
  const keep = (unpublished: string) =>
    hidden
      ? `rename it ${hidden} to keep it ${unpublished} without this warning`
      : `move it out of the content to keep it ${unpublished}`;
  const root = rootTextName(key);
  if (root !== undefined) {
    return {
      file: key,
      message: `not published: ${root} is asked for at the top of the site only, by that name in lower case`,
      fix: exists(root)
        ? `delete it if ${root} says the same, or ${keep('unpublished')}`
        : key.includes('/')
          ? `move it to the top of the content as ${root}, or ${keep('unpublished')}`
          : `rename it ${root}`,
    };
  }
  const lower = name.toLowerCase();
  const stem = name.replace(/\.[^.]*$/, '');
  const taken = [`${stem}.md`, `${stem}.txt`].find((candidate) => !free(candidate));
  return {
    file: key,
    message:
      name === SITE_CONFIG_FILE
        ? "not read: only the site.yaml at the top of the content is the site's settings"
        : 'not published: the publisher reads .md, .markdown and .txt articles, and the images and files (PDF, audio, video…) they show or link',
    fix:
      name === SITE_CONFIG_FILE
        ? exists(SITE_CONFIG_FILE)
          ? `move its settings into the site.yaml at the top of the content, or ${keep('unread')}`
          : `move it to the top of the content, or ${keep('unread')}`
        : taken
          ? `delete it if ${taken} has its text, or ${keep('unpublished')}`
          : /\.html?$/.test(lower)
            ? `rename it ${stem}.md (Markdown keeps its HTML, made safe), or ${hidden ?? 'move it out of the content'} to keep it unpublished without this warning`
            : `save it as Markdown (${stem}.md) or plain text (${stem}.txt), or ${keep('unpublished')}`,
  };
}

/**
 * An editor's backup or a tool's leftover (`ok.md~`, `#ok.md#`, `ok.md.bak`, `.orig`, `.swp`…): the name
 * of the file it copies (empty when none shows), or undefined for any other file.
 */
function backupOf(name: string): string | undefined {
  const match = BACKUP.exec(name);
  if (!match) return undefined;
  return (match[1] ?? match[2] ?? match[3] ?? '').replace(/\.$/, '');
}

const BACKUP = /^(?:#(.*)#|(.*)~|(.*)\.(?:bak|backup|bk|orig|rej|old|sav|save|swp|swo|swn|tmp|temp))$/i;
