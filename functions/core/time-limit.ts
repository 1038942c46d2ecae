import { createContext, Script } from 'node:vm';

/** Thrown by `runWithin` when V8 stopped the work at its limit. */
export class TimeLimitExceeded extends Error {
  constructor(readonly limitMs: number) {
    super(`stopped after ${limitMs} ms`);
  }
}

// One context and one compiled call for the thread, made on first use (not at import: a cold start pays
// for every module-level line). The call reads `work` as it starts, so a nested `runWithin` (setting
// `work` again) leaves the outer call's function running.
let guard: { sandbox: { work?: () => unknown }; call: Script } | undefined;

/**
 * Runs `work` now, on this thread, and stops it once it has run `limitMs`: vm's `timeout` has V8
 * terminate the script, and that holds for this realm's functions it calls too, down to a regular
 * expression that backtracks. Synchronous code cannot otherwise be stopped: a Markdown file of 100 KB of
 * `_a_a…` keeps marked busy for minutes, which in a Lambda is a run that dies at its timeout, again on
 * every retry. Costs a watchdog thread per call (~0.1 ms).
 */
export function runWithin<T>(limitMs: number, work: () => T): T {
  guard ??= { sandbox: createContext({}), call: new Script('work()') };
  const { sandbox, call } = guard;
  // The watchdog may fire as the work returns: Node then reports a timeout for work that finished (a
  // batch of parses all done, reported as stopped). Finished work is kept.
  let finished: { value: T } | undefined;
  sandbox.work = () => {
    const value = work();
    finished = { value };
    return value;
  };
  try {
    return call.runInContext(sandbox, { timeout: limitMs }) as T;
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') {
      if (finished) return finished.value;
      throw new TimeLimitExceeded(limitMs);
    }
    throw error;
  } finally {
    sandbox.work = undefined;
  }
}
