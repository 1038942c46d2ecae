const warned = new Set<string>();

/**
 * True when a suite must be skipped because a tool is missing; warns once per test file with the
 * install hint. Use as `describe.skipIf(missing(hasMotoServer(), MOTO_MISSING))('…', () => …)`.
 *
 * With `BROADSHEET_REQUIRE_TOOLS=1` (set by `.ci/run` after it installed the tools) a missing tool
 * fails the file instead, so CI cannot turn green by skipping.
 */
export function missing(available: boolean, message: string): boolean {
  if (available) return false;
  if (process.env.BROADSHEET_REQUIRE_TOOLS === '1')
    throw new Error(`required tool missing (BROADSHEET_REQUIRE_TOOLS=1): ${message}`);
  if (!warned.has(message)) {
    warned.add(message);
    console.warn(message);
  }
  return true;
}

/** Memoises a synchronous tool probe so that each test file spawns it at most once. */
export function probeOnce(probe: () => boolean): () => boolean {
  let result: boolean | undefined;
  return () => {
    result ??= probe();
    return result;
  };
}
