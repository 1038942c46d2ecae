import { parentPort } from 'node:worker_threads';
import { FEED_FILES, type FeedSpec } from '../core/feed-spec.ts';
import { renderJob } from '../core/render-feeds.ts';
import { type RenderedOutput, type RenderJob, renderOutput } from '../core/render-site.ts';
import { type ParseContext, parseAndSanitise, type SourceToParse } from '../core/source-parser.ts';

/** One job: parse and sanitise a source; the answer carries the job id back. */
export interface ParseJob {
  readonly id: number;
  readonly item: SourceToParse;
  readonly context: ParseContext;
}

/**
 * One job: render, check and encode a feed document in its three formats (a full build's feeds: the
 * spec, with its items' HTML, crosses the thread once for the three); the bytes are transferred back.
 */
export interface RenderJobMessage {
  readonly id: number;
  readonly render: { readonly dir: string; readonly spec: FeedSpec };
}

export type RenderedFeed = Record<RenderJob['format'], RenderedOutput>;

parentPort?.on('message', (message: ParseJob | RenderJobMessage) => {
  try {
    if ('render' in message) {
      const { dir, spec } = message.render;
      const feed = {} as Record<RenderJob['format'], RenderedOutput>;
      const transfer: ArrayBuffer[] = [];
      for (const format of ['rss', 'atom', 'json'] as const) {
        const rendered = renderOutput(dir + FEED_FILES[format], () =>
          renderJob({ kind: 'feed', format, spec }),
        );
        if ('bytes' in rendered) transfer.push(rendered.bytes.buffer as ArrayBuffer);
        feed[format] = rendered;
      }
      parentPort?.postMessage({ id: message.id, feed }, transfer);
    } else {
      parentPort?.postMessage({ id: message.id, parsed: parseAndSanitise(message.item, message.context) });
    }
  } catch (error) {
    parentPort?.postMessage({ id: message.id, error: (error as Error).message });
  }
});
