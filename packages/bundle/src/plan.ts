// Parts planned before a byte is written, from sizes known beforehand (raw entries declare theirs): a part's
// name, and a top folder named like it, can then be known before its first entry is written.
import { BundleError } from './errors.js';
import { MAX_END_BYTES } from './format.js';

/** A planned part: its groups in order, the first and last of them, and the smallest and largest key. */
export interface PlannedPart {
  first: string;
  last: string;
  min: string;
  max: string;
  groups: number;
  entries: number;
  /** What the part takes at most, central directory included. */
  bytes: number;
}

export interface PlanOptions {
  /** Largest size of one part in bytes, as for `createBundle`. */
  maxPartBytes: number;
  /** How keys order, for `min` and `max` (default: by code unit). */
  compare?: (a: string, b: string) => number;
  /**
   * Bytes every entry name of a part gets in front of the names given to `add` (a top folder named after
   * the part's keys), from the length of the part's longest key (default: none).
   */
  prefixBytes?: (longestKey: number) => number;
}

/** An entry as the plan sees it: the UTF-8 length of its name (without the prefix) and its stored bytes. */
export interface PlannedEntry {
  nameBytes: number;
  dataBytes: number;
}

// Local header 30, central record 46, and room for a Zip64 extra field in the central record, as the
// writer itself reckons (`ArchiveFile.knownBytes`).
const PER_ENTRY = 30 + 46 + 28;

/**
 * Cuts a sequence of groups into parts of at most `maxPartBytes`, a group never split (a group alone over
 * the limit gets a part of its own: the writer refuses it when it writes). Add groups in writing order.
 */
export class PartPlanner {
  readonly parts: PlannedPart[] = [];
  private fixed = 0;
  private longest = 0;
  private readonly compare: (a: string, b: string) => number;
  private readonly prefix: (longestKey: number) => number;

  constructor(private readonly options: PlanOptions) {
    if (!(options.maxPartBytes >= 1024)) {
      throw new BundleError('BUNDLE_BAD_OPTION', 'maxPartBytes must be a number >= 1024 (or Infinity).');
    }
    this.compare = options.compare ?? ((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    this.prefix = options.prefixBytes ?? (() => 0);
  }

  add(key: string, entries: readonly PlannedEntry[]): void {
    let fixed = 0;
    for (const entry of entries) fixed += PER_ENTRY + 2 * entry.nameBytes + entry.dataBytes;
    const part = this.parts.at(-1);
    if (part) {
      const longest = Math.max(this.longest, key.length);
      const count = part.entries + entries.length;
      const bytes = this.fixed + fixed + 2 * count * this.prefix(longest) + MAX_END_BYTES;
      if (bytes <= this.options.maxPartBytes) {
        this.fixed += fixed;
        this.longest = longest;
        part.last = key;
        if (this.compare(key, part.min) < 0) part.min = key;
        if (this.compare(key, part.max) > 0) part.max = key;
        part.groups += 1;
        part.entries = count;
        part.bytes = bytes;
        return;
      }
    }
    this.fixed = fixed;
    this.longest = key.length;
    this.parts.push({
      first: key,
      last: key,
      min: key,
      max: key,
      groups: 1,
      entries: entries.length,
      bytes: fixed + 2 * entries.length * this.prefix(key.length) + MAX_END_BYTES,
    });
  }
}
