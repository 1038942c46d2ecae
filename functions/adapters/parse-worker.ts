import { parentPort } from 'node:worker_threads';
import { renderJob } from '../core/render-feeds.ts';
import { type RenderJob, renderOutput } from '../core/render-site.ts';
import { type ParseContext, parseAndSanitise, type SourceToParse } from '../core/source-parser.ts';

/** One job: parse and sanitise a source; the answer carries the job id back. */
export interface ParseJob {
  readonly id: number;
  readonly item: SourceToParse;
  readonly context: ParseContext;
}

/** One job: render, check and encode an output (a full build's feeds); the bytes are transferred back. */
export interface RenderJobMessage {
  readonly id: number;
  readonly render: { readonly key: string; readonly job: RenderJob };
}

parentPort?.on('message', (message: ParseJob | RenderJobMessage) => {
  try {
    if ('render' in message) {
      const { key, job } = message.render;
      const rendered = renderOutput(key, () => renderJob(job));
      const transfer = 'bytes' in rendered ? [rendered.bytes.buffer as ArrayBuffer] : [];
      parentPort?.postMessage({ id: message.id, rendered }, transfer);
    } else {
      parentPort?.postMessage({ id: message.id, parsed: parseAndSanitise(message.item, message.context) });
    }
  } catch (error) {
    parentPort?.postMessage({ id: message.id, error: (error as Error).message });
  }
});
