// The dictionary's memory: its layout (a header, then sections of typed arrays) and the open-addressed
// tables in it, written once by the builder and read in place by every thread.
import { RedactError } from './errors.js';
import { DROPPED, foldUnit } from './normalize.js';

const FORMAT = 'talent-export-redact-dictionary';
// 4: names folded with ł, ø, ß, æ... (a file of 3 holds them unfolded, and would miss them).
const VERSION = 4;

// The memory: a 32-bit header length, the header (JSON: format, version, seed, maxWords and each
// section's byte length), then the sections in SECTIONS order, each starting at a multiple of 8.
const SECTIONS = {
  /** Distinct name phrases (folded, words joined by one space) as UTF-16 code units, back to back. */
  phraseChars: Uint16Array,
  /** Where each phrase starts in phraseChars (one more entry than phrases). */
  phraseStarts: Int32Array,
  /** Per phrase: 1 when matched in every row (a whole first or last name), 0 in its candidate's only. */
  global: Uint8Array,
  /** Open-addressed by `textHash`: phrase number + 1, 0 for empty. */
  phraseTable: Int32Array,
  /** The same for beginnings of longer phrases: the number + 1 of a phrase that begins so. */
  prefixTable: Int32Array,
  /** Hashes of the phrases' first words (see `wordHash`), a bit each. */
  firstBits: Uint32Array,
  /** Candidate ids as UTF-16 code units, in ordinal order. */
  idChars: Uint16Array,
  idStarts: Int32Array,
  /** Open-addressed by `textHash`: ordinal + 1. */
  idTable: Int32Array,
  /** Where each candidate's references start in refs (one more entry than candidates). */
  starts: Int32Array,
  /** Phrase numbers: first, last (-1 when absent), then words of multi-word names. */
  refs: Int32Array,
  /** Known phone numbers as numbers (`phoneKeys`), sorted. */
  phones: Float64Array,
} as const;
type View<T> = T extends Uint8ArrayConstructor
  ? Uint8Array<ArrayBufferLike>
  : T extends Uint16ArrayConstructor
    ? Uint16Array<ArrayBufferLike>
    : T extends Int32ArrayConstructor
      ? Int32Array<ArrayBufferLike>
      : T extends Uint32ArrayConstructor
        ? Uint32Array<ArrayBufferLike>
        : Float64Array<ArrayBufferLike>;
export type Sections = { [K in keyof typeof SECTIONS]: View<(typeof SECTIONS)[K]> };
export interface Header {
  seed: number;
  maxWords: number;
}

const align = (n: number) => (n + 7) & ~7;

/** Memory for sections of these numbers of elements, with its header written and the sections zeroed. */
export function allocate(header: Header, counts: Record<keyof Sections, number>): SharedArrayBuffer {
  const names = Object.keys(SECTIONS) as (keyof Sections)[];
  const bytes = names.map((n) => counts[n] * SECTIONS[n].BYTES_PER_ELEMENT);
  const head = Buffer.from(JSON.stringify({ format: FORMAT, version: VERSION, ...header, sections: bytes }));
  const size = bytes.reduce((sum, b) => sum + align(b), align(4 + head.length));
  const memory = new SharedArrayBuffer(size);
  new Uint32Array(memory, 0, 1)[0] = head.length;
  new Uint8Array(memory).set(head, 4);
  return memory;
}

export function bad(why: string): never {
  throw new RedactError(
    'REDACT_BAD_DICTIONARY',
    `the dictionary is not one of version ${VERSION} (${why}); build it again with DictionaryBuilder`,
  );
}

/** Views of the sections in place (no copy); every size and bound checked. */
export function sectionsOf(memory: SharedArrayBuffer | ArrayBuffer): Header & Sections {
  const total = memory.byteLength;
  const headLength = total >= 4 ? new Uint32Array(memory, 0, 1)[0]! : 0;
  if (4 + headLength > total) bad('too short');
  let header: { format?: unknown; version?: unknown; seed?: unknown; maxWords?: unknown; sections?: unknown };
  try {
    header = JSON.parse(new TextDecoder().decode(new Uint8Array(memory, 4, headLength).slice()));
  } catch {
    bad('no header');
  }
  const names = Object.keys(SECTIONS) as (keyof Sections)[];
  const sizes = header.sections;
  if (header.format !== FORMAT || header.version !== VERSION) bad('another format or version');
  if (!Array.isArray(sizes) || sizes.length !== names.length) bad('another list of sections');
  if (!Number.isSafeInteger(header.seed) || !Number.isSafeInteger(header.maxWords)) bad('a bad header');
  const out: Record<string, unknown> = { seed: header.seed, maxWords: header.maxWords };
  let at = align(4 + headLength);
  names.forEach((n, i) => {
    const Kind = SECTIONS[n];
    const size = sizes[i];
    if (!Number.isSafeInteger(size) || size < 0 || size % Kind.BYTES_PER_ELEMENT !== 0 || at + size > total)
      bad(`section ${n} out of bounds`);
    // (Typed arrays take shared memory as well; the cast is for the union of constructors.)
    out[n] = new Kind(memory as ArrayBuffer, at, size / Kind.BYTES_PER_ELEMENT);
    at += align(size);
  });
  return out as unknown as Header & Sections;
}

/** Whether offsets ascend from 0 within `length`. */
export function chainsFit(starts: Int32Array, length: number): boolean {
  if (starts.length === 0 || starts[0] !== 0 || starts[starts.length - 1]! > length) return false;
  for (let i = 1; i < starts.length; i++) if (starts[i]! < starts[i - 1]!) return false;
  return true;
}

/** Whether a table's size is a power of two with an empty slot, and its entries point at real items. */
export function entriesFit(slots: Int32Array, items: number): boolean {
  const n = slots.length;
  if (n === 0 || (n & (n - 1)) !== 0) return false;
  let empty = false;
  for (let i = 0; i < n; i++) {
    const v = slots[i]!;
    if (v === 0) empty = true;
    else if (v < 0 || v > items) return false;
  }
  return empty;
}

/** Strings back to back as code units into `units`, with where each starts into `starts`. */
export function putChars(texts: string[], units: Uint16Array, starts: Int32Array): void {
  let at = 0;
  texts.forEach((t, i) => {
    starts[i] = at;
    for (let j = 0; j < t.length; j++) units[at++] = t.charCodeAt(j);
  });
  starts[texts.length] = at;
}

export function text(units: Uint16Array, from: number, to: number): string {
  let out = '';
  for (let i = from; i < to; i += 4096)
    out += String.fromCharCode(...units.subarray(i, Math.min(to, i + 4096)));
  return out;
}

export function whole(key: Key, text: string): Key {
  key.text = text;
  key.start = 0;
  key.end = text.length;
  key.lower = false;
  return key;
}

/** Slots of an open-addressed table at most half full. */
export const slotsFor = (items: number) => 2 ** Math.max(1, Math.ceil(Math.log2(items * 2 + 1)));

/**
 * FNV-1a of text[start, end)'s code units (`lower`: as `foldUnit` folds them) from a per-dictionary seed,
 * mixed at the end: names crafted to collide cannot be made in advance. `hashedUnits`: how many it hashed.
 */
function textHash(seed: number, text: string, start: number, end: number, lower: boolean): number {
  let h = FNV_OFFSET ^ seed;
  let n = 0;
  for (let i = start; i < end; i++) {
    const c = lower ? foldUnit(text.charCodeAt(i)) : text.charCodeAt(i);
    if (c === DROPPED) continue;
    h = Math.imul(h ^ c, FNV_PRIME);
    n++;
  }
  hashedUnits = n;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h;
}
/** How many units the last `textHash` hashed (the key's length as folded). */
let hashedUnits = 0;

export function insert(slots: Int32Array, seed: number, value: string, item: number): void {
  const mask = slots.length - 1;
  let at = textHash(seed, value, 0, value.length, false) & mask;
  while (slots[at] !== 0) at = (at + 1) & mask;
  slots[at] = item + 1;
}

/** Where to look an item up: text[start, end), folded as `foldUnit` folds it when `lower`. */
export interface Key {
  text: string;
  start: number;
  end: number;
  lower: boolean;
  /** Set by `keyHash`: how many units the key has as folded. */
  units: number;
}

/**
 * The item whose text is the key (or, with `prefix`, whose text begins with the key and a space), or -1.
 */
export function find(
  slots: Int32Array,
  seed: number,
  key: Key,
  units: Uint16Array,
  starts: Int32Array,
  prefix: boolean,
): number {
  return probe(slots, keyHash(seed, key), key, units, starts, prefix);
}

/** The hash `find` looks a key up by: take it once to `probe` several tables of one dictionary. */
export function keyHash(seed: number, key: Key): number {
  const h = textHash(seed, key.text, key.start, key.end, key.lower);
  key.units = hashedUnits;
  return h;
}

/** `find` by the key's `keyHash`. */
export function probe(
  slots: Int32Array,
  hash: number,
  key: Key,
  units: Uint16Array,
  starts: Int32Array,
  prefix: boolean,
): number {
  const { text, start, end, lower } = key;
  const mask = slots.length - 1;
  const n = key.units;
  for (let at = hash & mask; ; at = (at + 1) & mask) {
    const entry = slots[at]!;
    if (entry === 0) return -1;
    const item = entry - 1;
    const from = starts[item]!;
    const length = starts[item + 1]! - from;
    if (prefix ? length <= n || units[from + n] !== 32 : length !== n) continue;
    let j = from;
    let i = start;
    for (; i < end; i++) {
      const c = lower ? foldUnit(text.charCodeAt(i)) : text.charCodeAt(i);
      if (c === DROPPED) continue;
      if (units[j++] !== c) break;
    }
    if (i === end) return item;
  }
}

export const HASH_BITS = 23;
export const FNV_OFFSET = 0x811c9dc5 | 0;
export const FNV_PRIME = 0x01000193;
/** A 32-bit FNV-1a cut to the HASH_BITS bits `mayStartHash` takes. */
export const hashBits = (h: number) => h >>> (32 - HASH_BITS);

/**
 * FNV-1a of a word's code units as `foldUnit` folds them, cut to HASH_BITS bits; -1 for a word with a unit
 * that does not fold to ASCII, which only `foldWord` can compare. (The scrubber takes the same hash as it
 * cuts words.)
 */
export function wordHash(text: string, start: number, end: number): number {
  let h = FNV_OFFSET;
  for (let i = start; i < end; i++) {
    const c = foldUnit(text.charCodeAt(i));
    if (c === DROPPED) continue;
    if (c > 0x7f) return -1;
    h = Math.imul(h ^ c, FNV_PRIME);
  }
  return hashBits(h);
}
