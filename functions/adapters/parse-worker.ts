import { parentPort } from 'node:worker_threads';
import { type ParseContext, parseAndSanitise, type SourceToParse } from '../core/source-parser.ts';

/** One job: parse and sanitise a source; the answer carries the job id back. */
export interface ParseJob {
  readonly id: number;
  readonly item: SourceToParse;
  readonly context: ParseContext;
}

parentPort?.on('message', (job: ParseJob) => {
  try {
    parentPort?.postMessage({ id: job.id, parsed: parseAndSanitise(job.item, job.context) });
  } catch (error) {
    parentPort?.postMessage({ id: job.id, error: (error as Error).message });
  }
});
