// The names an archive walk has seen, for duplicate checks. A 2 GB attachments part holds ~230,000 entries;
// a Set of their names took ~30 MB of JavaScript heap per part, kept to the end of the walk. Here each name
// is kept as a 128-bit fingerprint in one typed array (16 bytes a name, ~5 MB for such a part). A
// duplicate is never missed (equal names give equal fingerprints); two different names are taken for one
// only if all 128 bits agree, which for a million names has odds of about 1 in 10^26.

const LANES = 4;
/** The bit of a slot's last lane that marks the name of a directory entry. */
const DIRECTORY = 1;

/** What adding a name found: true, new; false, there already; 'directory', there already as a directory. */
export type Added = boolean | 'directory';
/** Names whose slots a set remembers for a cheap clear(). */
const TRACKED = 32;

/**
 * A table in memory V8 maps itself (a resizable ArrayBuffer) rather than one from malloc: freeing an outgrown
 * table of megabytes would make glibc raise its mmap threshold for the whole process, after which buffers
 * up to that size come from heap arenas that fragment and are rarely given back.
 */
const tableOf = (slots: number) =>
  // A view of fixed length: V8 takes a view that tracks a resizable buffer's length through slow paths
  // (adding 69,000 names took 65 ms, with a fixed length 20 ms).
  new Int32Array(new ArrayBuffer(slots * LANES * 4, { maxByteLength: slots * LANES * 4 }), 0, slots * LANES);

/** Gives an outgrown table's memory back at once, rather than when the garbage collector gets to it. */
const release = (table: Int32Array) => (table.buffer as ArrayBuffer).resize(0);

/** Murmur3's finalizer: every input bit flips about half of the output bits. */
function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

export class NameSet {
  // Fingerprints, LANES int32s a slot; lane 0 is never 0 in a used slot, so 0 marks an empty one.
  #slots: Int32Array;
  #count = 0;
  // Random per set, so names crafted to fall into one slot (making every check a long search) cannot be
  // made in advance.
  readonly #seeds = Int32Array.from({ length: LANES }, () => (Math.random() * 0x100000000) | 0);
  readonly #print = new Int32Array(LANES);

  // Where the first names went, so that clear() of a set holding few touches only their slots.
  readonly #used = new Int32Array(TRACKED);
  readonly #smallest: number;

  /**
   * `expected`: how many names will be added, so the table is sized once rather than grown; `smallest`:
   * the fewest slots, for a set that mostly holds a handful.
   */
  constructor(expected = 0, smallest = 4096) {
    let slots = smallest;
    while (slots * 3 < expected * 4 + 4) slots *= 2;
    this.#smallest = smallest;
    this.#slots = tableOf(slots);
  }

  /** Forgets every name. */
  clear(): void {
    if (this.#count <= TRACKED) {
      // Lane 0 alone marks a slot used.
      for (let k = 0; k < this.#count; k += 1) this.#slots[this.#used[k]!] = 0;
    } else {
      release(this.#slots);
      this.#slots = tableOf(this.#smallest);
    }
    this.#count = 0;
  }

  get size(): number {
    return this.#count;
  }

  /**
   * Adds `name` (its code units [from, length)); false when it was there already, 'directory' when it was
   * there as a directory and `directory` says this one is one too (a folder listed twice names nothing new).
   * `fold`: A-Z taken as a-z, as toLowerCase() would make them, without making the lowercase string.
   */
  add(name: string, fold = false, length = name.length, directory = false, from = 0): Added {
    const print = this.#fingerprint(name, fold, length, from);
    let at = this.#find(this.#slots, print);
    if (this.#slots[at] !== 0)
      return directory && (this.#slots[at + 3]! & DIRECTORY) !== 0 ? 'directory' : false;
    if ((this.#count + 1) * 4 > (this.#slots.length / LANES) * 3) {
      this.#grow();
      at = this.#find(this.#slots, print);
    }
    const slots = this.#slots;
    slots[at] = print[0]!;
    slots[at + 1] = print[1]!;
    slots[at + 2] = print[2]!;
    slots[at + 3] = print[3]! | (directory ? DIRECTORY : 0);
    // Growth (which moves every slot) comes long after the tracked few.
    if (this.#count < TRACKED) this.#used[this.#count] = at;
    this.#count += 1;
    return true;
  }

  #fingerprint(name: string, fold: boolean, length: number, from: number): Int32Array {
    const seeds = this.#seeds;
    let a = seeds[0]!;
    let b = seeds[1]!;
    let c = seeds[2]!;
    let d = seeds[3]!;
    // Two UTF-16 code units a step: half the rounds, and still every bit of the name goes in.
    for (let i = from; i < length; i += 2) {
      let low = name.charCodeAt(i);
      let high = i + 1 < length ? name.charCodeAt(i + 1) : 0;
      if (fold) {
        if (low - 65 < 26 && low >= 65) low += 32;
        if (high - 65 < 26 && high >= 65) high += 32;
      }
      const code = low | (high << 16);
      a = Math.imul(a ^ code, 0x85ebca6b);
      b = Math.imul(b ^ code, 0xc2b2ae35);
      c = Math.imul(c ^ code, 0x27d4eb2f);
      d = Math.imul(d ^ code, 0x165667b1);
      a = (a << 13) | (a >>> 19);
      b = (b << 15) | (b >>> 17);
      c = (c << 11) | (c >>> 21);
      d = (d << 17) | (d >>> 15);
    }
    const print = this.#print;
    const n = length - from;
    print[0] = mix(a ^ n) || 1;
    print[1] = mix(b ^ n);
    print[2] = mix(c ^ n);
    // The lowest bit of the last lane marks a directory (see add): a fingerprint is the other 127.
    print[3] = mix(d ^ n) & ~DIRECTORY;
    return print;
  }

  /** The index of the slot holding `print`, or of the empty slot where it would go. */
  #find(slots: Int32Array, print: Int32Array): number {
    const count = slots.length / LANES;
    let slot = Math.floor(((print[0]! >>> 0) / 0x100000000) * count);
    for (;;) {
      const at = slot * LANES;
      if (slots[at] === 0) return at;
      if (
        slots[at] === print[0] &&
        slots[at + 1] === print[1] &&
        slots[at + 2] === print[2] &&
        (slots[at + 3]! & ~DIRECTORY) === (print[3]! & ~DIRECTORY)
      )
        return at;
      if (++slot === count) slot = 0;
    }
  }

  #grow(): void {
    const old = this.#slots;
    const slots = tableOf((old.length / LANES) * 2);
    const print = new Int32Array(LANES);
    for (let at = 0; at < old.length; at += LANES) {
      if (old[at] === 0) continue;
      for (let lane = 0; lane < LANES; lane += 1) print[lane] = old[at + lane]!;
      slots.set(print, this.#find(slots, print));
    }
    release(old);
    this.#slots = slots;
  }
}

/**
 * Names of a folder compared one by one, before they go into a NameSet: at most this many comparisons an
 * entry, each no longer than the name, so a crafted folder costs a few times its names' bytes at most.
 */
const FEW = 8;

/**
 * The duplicate check of an archive's walk, keeping the names of one folder at a time. A name's folder
 * here is its first `depth` segments (2: `Attachments_1-2/Candidate_1` of
 * `Attachments_1-2/Candidate_1/Public/cv.pdf`; 1: `Candidate_1` of `Candidate_1/Public/cv.pdf`; a name of
 * fewer segments is its own). While each folder's entries come together and the folders come in order
 * (digits compared as numbers: Talent Hub writes a part's candidate folders by id), a name can only
 * repeat one of its own folder, so nothing else is kept: a part of 1.4 million entries in 400,000
 * candidate folders took 33 MB as a NameSet of every name. When a folder comes out of order, add() cannot
 * tell and answers undefined: the caller then reads the names so far again, into a check of fewer
 * segments or into a NameSet of every name, and goes on with that.
 */
export class FolderNames {
  /** The folder's names once it holds more than FEW; until then, `#few`. */
  readonly #names = new NameSet(0, 64);
  /**
   * The folder's first names as compared (after the folder, A-Z as a-z when folded, see `#foldedFew`):
   * a folder of a candidate holds a handful, and comparing them as they are cost a fraction of
   * fingerprinting each.
   */
  readonly #few: string[] = new Array<string>(FEW).fill('');
  readonly #foldedFew: boolean[] = new Array<boolean>(FEW).fill(false);
  readonly #directoryFew: boolean[] = new Array<boolean>(FEW).fill(false);
  /** Names in `#few`; past FEW, the folder's names are in `#names`. */
  #fewCount = 0;
  /** The current folder as the name that started it spells it; '' before the first name. */
  #folder = '';
  /** The current folder up to its last run of digits: a start that the next folder often shares. */
  #stem = '';
  /** Whether the current folder has `depth` segments, so that other names can be in it. */
  #deep = false;
  /**
   * Whether the name that started the folder was folded. A caller that folds passes plain names to fold
   * and others as keys lowercased already: a folder is compared case-folded if either side was.
   */
  #folded = false;

  constructor(private readonly depth: 1 | 2) {}

  /** As NameSet.add; undefined when the name's folder comes out of order. */
  add(name: string, fold = false, length = name.length, directory = false): Added | undefined {
    if (!this.#inFolder(name, fold, length)) {
      const first = name.indexOf('/');
      const second =
        this.depth === 1 || first === -1 || first >= length ? first : name.indexOf('/', first + 1);
      const end = second === -1 || second > length ? length : second;
      // Folders in order mostly differ in the digits of their last run only: what comes before it, when the
      // name has it too, need not be compared again character by character.
      const stem = this.#stem;
      const from = stem.length <= end && name.slice(0, stem.length) === stem ? stem.length : 0;
      if (this.#folder !== '' && !follows(name, end, this.#folder, fold || this.#folded, from))
        return undefined;
      this.#folder = name.slice(0, end);
      if (from === 0) this.#stem = stemOf(this.#folder);
      this.#deep = this.depth === 1 || (first !== -1 && first < end);
      this.#folded = fold;
      if (this.#fewCount > FEW) this.#names.clear();
      this.#fewCount = 0;
    }
    // The folder's names share it: what follows tells them apart.
    const start = this.#folder.length;
    const few = this.#few;
    const count = this.#fewCount;
    if (count < FEW) {
      const text = name.slice(start, length);
      for (let k = 0; k < count; k += 1) {
        if (!sameText(text, fold, few[k]!, this.#foldedFew[k]!)) continue;
        return directory && this.#directoryFew[k]! ? 'directory' : false;
      }
      few[count] = text;
      this.#foldedFew[count] = fold;
      this.#directoryFew[count] = directory;
      this.#fewCount = count + 1;
      return true;
    }
    if (count === FEW) {
      // The folder outgrew the list: its names go into the set.
      for (let k = 0; k < FEW; k += 1)
        this.#names.add(few[k]!, this.#foldedFew[k]!, few[k]!.length, this.#directoryFew[k]!);
      this.#fewCount = FEW + 1;
    }
    return this.#names.add(name, fold, length, directory, start);
  }

  #inFolder(name: string, fold: boolean, length: number): boolean {
    const folder = this.#folder;
    const n = folder.length;
    // A folder of fewer segments is a whole name and holds only that name.
    if (n === 0 || length < n || (length > n && (!this.#deep || name.charCodeAt(n) !== SLASH))) return false;
    // slice and ===, not startsWith: a fifth of the time for a folder of ~45 characters.
    if (name.slice(0, n) === folder) return true;
    if (!fold && !this.#folded) return false;
    // From the end: the next folder in order differs from this one in its last digits.
    for (let i = n - 1; i >= 0; i -= 1)
      if (lower(name.charCodeAt(i)) !== lower(folder.charCodeAt(i))) return false;
    return true;
  }
}

/** Whether two names are one as NameSet.add compares them: A-Z as a-z in a name added folded. */
function sameText(a: string, aFolded: boolean, b: string, bFolded: boolean): boolean {
  if (a.length !== b.length) return false;
  if (a === b) return true;
  if (!aFolded && !bFolded) return false;
  // From the end: names of one folder mostly differ there (`cv_1.pdf`, `cv_2.pdf`).
  for (let i = a.length - 1; i >= 0; i -= 1) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if ((aFolded ? lower(x) : x) !== (bFolded ? lower(y) : y)) return false;
  }
  return true;
}

const SLASH = 0x2f;
const isDigit = (c: number) => c >= 48 && c <= 57;
const lower = (c: number) => (c >= 65 && c <= 90 ? c + 32 : c);

/** `folder` up to its last run of digits (the whole folder when it ends in no digit). */
function stemOf(folder: string): string {
  let at = folder.length;
  while (at > 0 && isDigit(folder.charCodeAt(at - 1))) at -= 1;
  return at === folder.length ? folder : folder.slice(0, at);
}

/**
 * Whether `name`'s first `end` code units come strictly after `folder`: runs of digits compared as numbers
 * (the longer run first, then digit by digit), other code units one by one, A-Z as a-z when folding. Two
 * spellings are in neither order only when they are the same folder. `from`: how many code units at the
 * start are known to be the same in both, and need no comparing.
 */
export function follows(name: string, end: number, folder: string, fold: boolean, from = 0): boolean {
  const n = folder.length;
  const m = Math.min(end, n);
  let i = Math.min(from, m);
  if (fold) while (i < m && lower(name.charCodeAt(i)) === lower(folder.charCodeAt(i))) i += 1;
  else while (i < m && name.charCodeAt(i) === folder.charCodeAt(i)) i += 1;
  // One is the other's start: the longer comes after (a longer run of digits is a larger number).
  if (i === m) return end > n;
  const a = name.charCodeAt(i);
  const b = folder.charCodeAt(i);
  // Inside a run of digits (or starting one on both sides), the longer run is the larger number.
  if ((i > 0 && isDigit(name.charCodeAt(i - 1))) || (isDigit(a) && isDigit(b))) {
    let ra = i;
    let rb = i;
    while (ra < end && isDigit(name.charCodeAt(ra))) ra += 1;
    while (rb < n && isDigit(folder.charCodeAt(rb))) rb += 1;
    if (ra !== rb) return ra > rb;
    // Runs of one length that differ here: digit against digit.
    if (ra > i) return a > b;
  }
  return fold ? lower(a) > lower(b) : a > b;
}
