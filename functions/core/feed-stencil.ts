/**
 * `feed`'s rendering of an item, without running `feed` for every item. An item's bytes depend on its
 * values only where they come out verbatim, so each *shape* of item (its keys, array lengths, numbers and
 * empty strings) is rendered by `feed` once, with stand-in values; an item of that shape is then the
 * stencil with its own values written where the stand-ins came out. At 10,000 articles that is ~48,000
 * items (each is in ~2.4 documents of each format, each document on whichever thread renders it), each
 * ~100 µs through `feed` and xml-js and ~20 µs through a stencil (building the item object included).
 *
 * A stencil is only used where it gives `feed`'s bytes exactly:
 * - It is checked when made: a second set of stand-ins (another scheme, host, port, path, extension,
 *   query and date) rendered by `feed` must equal the stencil filled with them, so no value that `feed`
 *   or a fix derives something from (an enclosure's type from its URL's extension, say) is stencilled.
 * - A value is written verbatim only where it would be: inside a CDATA section, any text without `]]>`;
 *   elsewhere, text without `&`, `<`, `>`, `"` or `'` (the characters escaping touches), and where `feed`
 *   parses the value as a URL (found by rendering with a stand-in that is none), only a URL that
 *   `new URL()` gives back unchanged. Anything else is rendered by `feed`, as before.
 * `tests/unit/feed-stencil.test.ts` and the property test of spliced documents (`tests/property/
 * feed-fragments.test.ts`) hold them equal to `feed` on hostile values.
 */

/** A value `feed` writes from: the leaves of an item object that are slots in its stencil. */
type Slot = string | Date;

type Occurrence = { readonly slot: number; readonly as: 'text' | 'iso' | 'utc' };

interface Stencil {
  /** Literal text around the occurrences: `parts[i]`, occurrence `i`, …, `parts[last]`. */
  readonly parts: readonly string[];
  readonly occurrences: readonly Occurrence[];
  /** Per slot: 'cdata' (only inside CDATA sections), 'markup' (elsewhere too), or 'url' (parsed by `feed`). */
  readonly kinds: readonly ('cdata' | 'markup' | 'url' | 'unused')[];
}

const MARKUP_UNSAFE = /[&<>"'\uFFFE\uFFFF]/;

/** The item's leaves, in the order `withSlots` puts them back, and a key for everything else about it. */
function shapeOf(value: unknown, slots: Slot[]): string {
  if (typeof value === 'string') {
    if (value === '') return '""';
    slots.push(value);
    return '$';
  }
  if (value instanceof Date) {
    slots.push(value);
    return 'D';
  }
  if (Array.isArray(value)) {
    let shape = '[';
    for (let i = 0; i < value.length; i++) shape += `${shapeOf(value[i], slots)},`;
    return `${shape}]`;
  }
  if (value !== null && typeof value === 'object') {
    let shape = '{';
    // Keys are `feed`'s field names (and an extension's element names): none holds `:` or `,`.
    for (const key in value) shape += `${key}:${shapeOf((value as Record<string, unknown>)[key], slots)},`;
    return `${shape}}`;
  }
  return String(JSON.stringify(value));
}

/** `value` with its leaves replaced, in `shapeOf`'s order, by `slots`. */
function withSlots<T>(value: T, slots: readonly Slot[], at = { i: 0 }): T {
  if ((typeof value === 'string' && value !== '') || value instanceof Date) return slots[at.i++] as T;
  if (Array.isArray(value)) return value.map((v) => withSlots(v, slots, at)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withSlots(v, slots, at)])) as T;
  }
  return value;
}

/** Stand-ins of set `set` (a, b: two URLs apart in every part; c: no URL at all). */
function standIns(slots: readonly Slot[], set: 'a' | 'b' | 'c'): Slot[] {
  return slots.map((slot, i) => {
    if (slot instanceof Date) {
      // Distinct to the second, in years no article has.
      return new Date(
        Date.UTC(set === 'b' ? 2998 : 2999, set === 'b' ? 5 : 0, 1, 0, 0, 0) + (i + 1) * 61_000,
      );
    }
    if (set === 'a') return `https://a.stencil.invalid/a${i}z`;
    if (set === 'b') return `http://b.stencil.invalid:8080/b${i}y.q?b${i}y`;
    return `c-stencil-${i}z`;
  });
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Where each stand-in of `values` came out in `text`, and the text around them. */
function cut(
  text: string,
  values: readonly Slot[],
): { parts: string[]; occurrences: Occurrence[]; inCdata: boolean[] } {
  const needles = new Map<string, Occurrence>();
  values.forEach((value, slot) => {
    if (value instanceof Date) {
      needles.set(value.toISOString(), { slot, as: 'iso' });
      needles.set(value.toUTCString(), { slot, as: 'utc' });
    } else needles.set(value, { slot, as: 'text' });
  });
  const pattern = new RegExp(
    [...needles.keys()]
      .sort((x, y) => y.length - x.length)
      .map(escapeRegExp)
      .join('|'),
    'g',
  );
  const parts: string[] = [];
  const occurrences: Occurrence[] = [];
  const inCdata: boolean[] = [];
  let at = 0;
  for (const match of text.matchAll(pattern)) {
    parts.push(text.slice(at, match.index));
    occurrences.push(needles.get(match[0]) as Occurrence);
    // Inside a section when the last `<![CDATA[` before it is not closed yet (stand-ins hold no `]]>`).
    const open = text.lastIndexOf('<![CDATA[', match.index);
    inCdata.push(open >= 0 && text.indexOf(']]>', open) > match.index);
    at = match.index + match[0].length;
  }
  parts.push(text.slice(at));
  return { parts, occurrences, inCdata };
}

function fill(stencil: Pick<Stencil, 'parts' | 'occurrences'>, values: readonly Slot[]): string {
  const out: string[] = [stencil.parts[0] as string];
  stencil.occurrences.forEach((occurrence, i) => {
    const value = values[occurrence.slot] as Slot;
    out.push(
      value instanceof Date ? (occurrence.as === 'utc' ? value.toUTCString() : value.toISOString()) : value,
      stencil.parts[i + 1] as string,
    );
  });
  return out.join('');
}

/**
 * One format's stencils, by shape. An item's bytes do not depend on its document (`feed-fragments.ts`),
 * so one stencil serves every document of its format.
 */
export class ItemStencils<I extends object> {
  readonly #byShape = new Map<string, Stencil | null>();

  /**
   * The item's text as `render` gives it, or `undefined` where only `feed` can tell. `render` renders one
   * item as `feed` does (fixes included) and gives its text as cut from its document (`cutItems`); it is
   * called a few times per shape (to make its stencil), never per item.
   */
  item(item: I, render: (item: I) => string): string | undefined {
    const slots: Slot[] = [];
    const shape = shapeOf(item, slots);
    let stencil = this.#byShape.get(shape);
    if (stencil === undefined) {
      stencil = makeStencil(item, slots, render);
      this.#byShape.set(shape, stencil);
    }
    if (stencil === null) return undefined;
    for (let i = 0; i < slots.length; i++) {
      if (!fits(slots[i] as Slot, stencil.kinds[i] as Stencil['kinds'][number])) return undefined;
    }
    return fill(stencil, slots);
  }
}

function makeStencil<I>(item: I, slots: readonly Slot[], render: (item: I) => string): Stencil | null {
  const attempt = (values: readonly Slot[]) => {
    try {
      return render(withSlots(item, values));
    } catch {
      return undefined;
    }
  };
  const a = standIns(slots, 'a');
  const text = attempt(a);
  if (text === undefined) return null;
  const { parts, occurrences, inCdata } = cut(text, a);
  const b = standIns(slots, 'b');
  if (attempt(b) !== fill({ parts, occurrences }, b)) return null;
  const kinds: Stencil['kinds'][number][] = slots.map(() => 'unused');
  occurrences.forEach((occurrence, i) => {
    if (kinds[occurrence.slot] !== 'markup') kinds[occurrence.slot] = inCdata[i] ? 'cdata' : 'markup';
  });
  // A slot `feed` parses as a URL fails to render with a stand-in that is none.
  const c = standIns(slots, 'c');
  if (attempt(withText(a, c)) === undefined) {
    slots.forEach((slot, i) => {
      if (
        typeof slot === 'string' &&
        attempt(a.map((v, j) => (j === i ? (c[i] as Slot) : v))) === undefined
      ) {
        kinds[i] = 'url';
      }
    });
  }
  return { parts, occurrences, kinds };
}

/** The text stand-ins of `to`, the dates of `from`. */
const withText = (from: readonly Slot[], to: readonly Slot[]) =>
  from.map((v, i) => (typeof v === 'string' ? (to[i] as Slot) : v));

/** Whether `value` comes out of `feed` verbatim where its slot's stand-in came out. */
function fits(value: Slot, kind: Stencil['kinds'][number]): boolean {
  if (value instanceof Date) return !Number.isNaN(value.getTime());
  switch (kind) {
    case 'unused':
      return true;
    case 'cdata':
      return !value.includes(']]>') && !value.includes('\uFFFF') && !value.includes('\uFFFE');
    case 'markup':
      return !MARKUP_UNSAFE.test(value);
    case 'url':
      return !MARKUP_UNSAFE.test(value) && roundTrips(value);
  }
}

function roundTrips(url: string): boolean {
  try {
    return new URL(url).href === url;
  } catch {
    return false;
  }
}
