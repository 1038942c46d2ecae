/** Progress for long work: a `\r`-updated line on a terminal, plain lines in logs and CI. */

export interface ProgressStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

export interface ProgressOptions {
  /** @default process.stderr (stdout stays clean for what the command reports) */
  readonly stream?: ProgressStream;
  /** @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Below this total, plain-line mode stays silent: a line per tiny job is noise. @default 50 */
  readonly minTotalForLines?: number;
  /** @default performance.now */
  readonly clock?: () => number;
}

export interface Progress {
  /** `done` units finished so far (absolute, not a delta). */
  update(done: number): void;
  /** Clears the terminal line (the command prints its own summary) or writes the last plain line. */
  finish(): void;
}

export type ProgressMode = 'bar' | 'lines';

/** A bar only on an interactive terminal outside CI; `CI` set (even to "") means a log reader. */
export function progressMode(
  stream: ProgressStream,
  env: Readonly<Record<string, string | undefined>>,
): ProgressMode {
  return stream.isTTY === true && env.CI === undefined && env.TERM !== 'dumb' ? 'bar' : 'lines';
}

/** `publishing  [#######-----------]  35/100`; without a total, just the count. */
export function formatProgress(label: string, done: number, total: number | undefined, width = 80): string {
  if (total === undefined || total <= 0) return `${label} ${done}`;
  const count = `${String(done).padStart(String(total).length)}/${total}`;
  const room = Math.max(0, Math.min(30, width - label.length - count.length - 6));
  if (room < 5) return `${label} ${count}`;
  const filled = Math.round((Math.min(done, total) / total) * room);
  return `${label} [${'#'.repeat(filled)}${'-'.repeat(room - filled)}] ${count}`;
}

/**
 * Reports `label` progress towards `total` (unknown totals show a running count). On a terminal the line
 * is redrawn at most every 100 ms; otherwise one line per tenth of the work (or per 500 units when the
 * total is unknown), so CI logs show movement without a line per file.
 */
export function createProgress(
  label: string,
  total: number | undefined,
  options: ProgressOptions = {},
): Progress {
  const stream = options.stream ?? process.stderr;
  const mode = progressMode(stream, options.env ?? process.env);
  const clock = options.clock ?? (() => performance.now());
  const minTotal = options.minTotalForLines ?? 50;
  let lastDraw = Number.NEGATIVE_INFINITY;
  let drawn = false;
  let lastStep = 0;
  let latest = 0;
  const quiet = mode === 'lines' && total !== undefined && total < minTotal;

  const stepOf = (done: number) =>
    total !== undefined && total > 0 ? Math.floor((done / total) * 10) : Math.floor(done / 500);

  return {
    update(done) {
      latest = done;
      if (quiet) return;
      if (mode === 'bar') {
        const t = clock();
        if (t - lastDraw < 100 && done !== total) return;
        lastDraw = t;
        drawn = true;
        stream.write(`\r${formatProgress(label, done, total, stream.columns || 80)}\x1b[K`);
        return;
      }
      const step = stepOf(done);
      if (step > lastStep) {
        lastStep = step;
        stream.write(`${formatProgress(label, done, total, 0)}\n`);
      }
    },
    finish() {
      if (mode === 'bar') {
        if (drawn) stream.write('\r\x1b[K');
        return;
      }
      const unfinished = total === undefined ? latest >= minTotal && latest % 500 !== 0 : stepOf(latest) < 10;
      if (!quiet && latest > 0 && unfinished) {
        stream.write(`${formatProgress(label, latest, total, 0)}\n`);
      }
    },
  };
}
