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

/**
 * Lists known to be an older list with newer items put in front of it (newest first): what a model
 * extended by an upload holds. Pagination counts blocks from the oldest item, so such a list keeps every
 * block of the older one, and derived lists (a tag's articles) can be extended the same way.
 */
const olderLists = new WeakMap<readonly unknown[], readonly unknown[]>();

/** Records that `list` is `older` with newer items in front (the caller guarantees it). */
export function markExtension<T>(list: readonly T[], older: readonly T[]): void {
  if (list === older) return;
  olderLists.set(list, older);
  // One step back is all a run uses; a longer chain would keep every earlier run's lists alive.
  olderLists.delete(older);
}

/** The list `list` extends, if one was recorded. */
export function olderPartOf<T>(list: readonly T[]): readonly T[] | undefined {
  return olderLists.get(list) as readonly T[] | undefined;
}
