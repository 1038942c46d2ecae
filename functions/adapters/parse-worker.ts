import { parentPort } from 'node:worker_threads';
import { type RenderDocument, type RenderedOutput, received, renderDocument } from '../core/render-job.ts';
import { type ParseContext, parseAndSanitise, type SourceToParse } from '../core/source-parser.ts';

/** One job: parse and sanitise a source; the answer carries the job id back. */
export interface ParseJob {
  readonly id: number;
  readonly item: SourceToParse;
  readonly context: ParseContext;
}

/**
 * One job: render, check and encode every file of a document (a feed's three formats, a digest's three
 * files) from one copy of its data; the bytes are transferred back.
 */
export interface RenderJobMessage {
  readonly id: number;
  readonly render: { readonly dir: string; readonly document: RenderDocument };
}

export type RenderedFiles = Record<string, RenderedOutput>;

const encoder = new TextEncoder();

parentPort?.on('message', (message: ParseJob | RenderJobMessage) => {
  try {
    if ('render' in message) {
      const files = renderDocument(message.render.dir, received(message.render.document));
      const transfer = Object.values(files).flatMap((r) =>
        'bytes' in r ? [r.bytes.buffer as ArrayBuffer] : [],
      );
      parentPort?.postMessage({ id: message.id, files }, transfer);
    } else {
      const parsed = parseAndSanitise(message.item, message.context);
      if (!parsed.body) parentPort?.postMessage({ id: message.id, parsed });
      else {
        // The body goes back as UTF-8 bytes in shared memory: the main thread keeps 10,000 of them, and
        // sends them on to the workers that render pages and feeds without a copy.
        const bytes = encoder.encode(parsed.body.html);
        const html = new Uint8Array(new SharedArrayBuffer(bytes.length));
        html.set(bytes);
        parentPort?.postMessage({
          id: message.id,
          parsed: { ...parsed, body: { ...parsed.body, html: '' } },
          html,
        });
      }
    }
  } catch (error) {
    parentPort?.postMessage({ id: message.id, error: (error as Error).message });
  }
});
