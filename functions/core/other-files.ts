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

export function otherFileProblem(key: string): Problem {
  const name = key.split('/').pop() ?? key;
  const root = rootTextName(key);
  if (root !== undefined) {
    return {
      file: key,
      message: `not published: ${root} is asked for at the top of the site only, by that name in lower case`,
      fix: key.includes('/')
        ? `move it to the top of the content as ${root}, or rename it _${name} to keep it unpublished without this warning`
        : `rename it ${root}`,
    };
  }
  const lower = name.toLowerCase();
  const stem = name.replace(/\.[^.]*$/, '');
  return {
    file: key,
    message:
      name === SITE_CONFIG_FILE
        ? "not read: only the site.yaml at the top of the content is the site's settings"
        : 'not published: the publisher reads .md, .markdown and .txt articles, and the images and files (PDF, audio, video…) they show or link',
    fix:
      name === SITE_CONFIG_FILE
        ? `move it to the top of the content, or rename it _${name} to keep it unread without this warning`
        : /\.html?$/.test(lower)
          ? `rename it ${stem}.md (Markdown keeps its HTML, made safe), or _${name} to keep it unpublished without this warning`
          : `save it as Markdown (${stem}.md) or plain text (${stem}.txt), or rename it _${name} to keep it unpublished without this warning`,
  };
}
