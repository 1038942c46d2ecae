/**
 * What was made for `owner` under `key`, made once: planners keep what they built from an object that does
 * not change (a digest, a feed spec) for as long as that object lives, so a warm process's next run gets
 * the same plans back for the same inputs.
 */
export function memoized<K extends object, T>(
  cache: WeakMap<K, Map<string, T>>,
  owner: K,
  key: string,
  make: () => T,
): T {
  let byKey = cache.get(owner);
  if (!byKey) {
    byKey = new Map();
    cache.set(owner, byKey);
  }
  let made = byKey.get(key);
  if (made === undefined) {
    made = make();
    byKey.set(key, made);
  }
  return made;
}
