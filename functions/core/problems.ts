/** What the build report says about a file that was skipped or published with a warning. */
export interface Problem {
  /** Path of the source, relative to the content root: `2025-01-08-paris.md`. */
  readonly file: string;
  /** 1-based line in the source, when known. */
  readonly line?: number;
  readonly message: string;
  /** What the author should do. */
  readonly fix: string;
}

export function formatProblem(problem: Problem, root = ''): string {
  const where = problem.line ? `${root}${problem.file}:${problem.line}` : `${root}${problem.file}`;
  return `${where}: ${problem.message} (${problem.fix})`;
}

/** A configuration error stops the build: nothing is published from a site.yaml we cannot read. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly Problem[]) {
    super(problems.map((p) => formatProblem(p)).join('\n'));
    this.name = 'ConfigError';
  }
}

/** One or more outputs failed their strict check; the last good copies were kept. */
export class InvalidOutputError extends Error {
  constructor(
    readonly keys: readonly string[],
    detail: string,
  ) {
    super(`invalid output kept back: ${keys.join(', ')}: ${detail}`);
    this.name = 'InvalidOutputError';
  }
}
