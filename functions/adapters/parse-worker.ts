import { parentPort } from 'node:worker_threads';
import { type RenderDocument, type RenderedOutput, received, renderDocument } from '../core/render-job.ts';
import {
  type ParseContext,
  type ParsedSource,
  parseEachAndSanitise,
  type SourceToParse,
} from '../core/source-parser.ts';

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

// Parse jobs that arrive together (a port hands over every message waiting at once) are parsed together,
// under one time guard (`parseEachAndSanitise`), once the messages already here have all come in.
const queued: ParseJob[] = [];

function parseQueued(): void {
  // A batch shares one context (the time limit): each job's is its own copy, so they group by value.
  const batches = new Map<string, ParseJob[]>();
  for (const job of queued.splice(0)) {
    const key = JSON.stringify(job.context);
    const batch = batches.get(key);
    if (batch) batch.push(job);
    else batches.set(key, [job]);
  }
  for (const batch of batches.values()) {
    const context = (batch[0] as ParseJob).context;
    let results: (ParsedSource | Error)[];
    try {
      results = parseEachAndSanitise(
        batch.map((job) => job.item),
        context,
      );
    } catch (error) {
      results = batch.map(() => error as Error);
    }
    for (const [i, job] of batch.entries()) answerParse(job.id, results[i] as ParsedSource | Error);
  }
}

function answerParse(id: number, parsed: ParsedSource | Error): void {
  if (parsed instanceof Error) parentPort?.postMessage({ id, error: parsed.message });
  else if (!parsed.body) parentPort?.postMessage({ id, parsed });
  else {
    // The body goes back as UTF-8 bytes in shared memory: the main thread keeps 10,000 of them, and
    // sends them on to the workers that render pages and feeds without a copy.
    const bytes = encoder.encode(parsed.body.html);
    const html = new Uint8Array(new SharedArrayBuffer(bytes.length));
    html.set(bytes);
    parentPort?.postMessage({ id, parsed: { ...parsed, body: { ...parsed.body, html: '' } }, html });
  }
}

parentPort?.on('message', (message: ParseJob | RenderJobMessage) => {
  if (!('render' in message)) {
    if (queued.push(message) === 1) setImmediate(parseQueued);
    return;
  }
  try {
    const files = renderDocument(message.render.dir, received(message.render.document));
    const transfer = Object.values(files).flatMap((r) =>
      'bytes' in r ? [r.bytes.buffer as ArrayBuffer] : [],
    );
    parentPort?.postMessage({ id: message.id, files }, transfer);
  } catch (error) {
    parentPort?.postMessage({ id: message.id, error: (error as Error).message });
  }
});
