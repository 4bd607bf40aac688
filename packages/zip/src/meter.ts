// Checks entry content as it streams: size against the declaration, CRC-32, and the bomb caps. Pure: it is
// fed chunks and answers with a Problem or nothing; adapters turn the answer into a stream error.
import { crc32 } from 'node:zlib';
import { DescriptorSearch } from './descriptor.js';
import { checkArchiveRatio, checkRatio, YieldedEntry } from './entry.js';
import { type Problem, problem } from './errors.js';
import type { ZipLimits } from './options.js';

const FOUR_GIB = 2 ** 32;
const damaged =
  'The archive is damaged (often a cut-short or corrupted download); download or create it again.';

/**
 * Inflated bytes per archive. An entry read twice counts once (its largest read), so re-reading is free.
 * What an entry's reads inflated is kept in the entry itself: in a WeakMap of every entry verified, the
 * young-generation collections of a part of 345,000 entries walked the map each time (~3% of validate's CPU).
 * Other objects (tests) are told apart in a WeakMap.
 */
export class TotalMeter {
  private readonly others = new WeakMap<object, number>();
  private total = 0;

  constructor(
    private readonly maxTotalBytes: number,
    /** The whole-archive ratio cap, when the archive's size is known. */
    private readonly ratio?: { limits: ZipLimits; archiveSize: number },
  ) {}

  /** Records that `bytes` of `entry` have been inflated by one read; answers a problem once over the cap. */
  record(entry: object, bytes: number): Problem | undefined {
    const kept = YieldedEntry.inflated(entry);
    const before = kept ?? this.others.get(entry) ?? 0;
    if (bytes <= before) return undefined;
    if (kept === undefined) this.others.set(entry, bytes);
    else YieldedEntry.setInflated(entry as YieldedEntry, bytes);
    this.total += bytes - before;
    if (this.ratio !== undefined) {
      const found = checkArchiveRatio(this.total, this.ratio.archiveSize, this.ratio.limits, 'inflate');
      if (found !== undefined) return found;
    }
    if (this.total <= this.maxTotalBytes) return undefined;
    return problem(
      'ZIP_TOTAL_TOO_LARGE',
      `Entries inflate to more than ${this.maxTotalBytes} bytes in total (maxTotalBytes)`,
      'If the archive is trusted, raise limits.maxTotalBytes; otherwise it may be a decompression bomb.',
    );
  }
}

export interface MeterSpec {
  /** The entry, as the archive total tells entries apart. */
  entry: object;
  /** Bytes expected through this meter: the uncompressed size, or the compressed size for raw reads. */
  expectedBytes: number;
  /** False only for macOS Archive Utility entries whose size may be truncated to 32 bits. */
  sizeIsCertain: boolean;
  /** CRC-32 to verify at the end, or undefined for raw deflate bytes (their CRC is of the inflated data). */
  crc32: number | undefined;
  /** Caps applied to inflated bytes; undefined for raw reads, which inflate nothing. */
  caps: { limits: ZipLimits; compressedSize: number; total: TotalMeter } | undefined;
  /**
   * Stored data whose local header leaves its sizes to a data descriptor (flag bit 3): refused when a data
   * descriptor of the bytes before it stands in it (see DescriptorSearch). Checked with the CRC-32.
   */
  endsAtDescriptor?: boolean;
}

export class EntryMeter {
  private bytes = 0;
  private crc = 0;
  private readonly search: DescriptorSearch | undefined;

  constructor(private readonly spec: MeterSpec) {
    if (spec.endsAtDescriptor === true && spec.crc32 !== undefined) this.search = new DescriptorSearch();
  }

  get byteCount(): number {
    return this.bytes;
  }

  push(chunk: Uint8Array): Problem | undefined {
    const { spec } = this;
    this.bytes += chunk.length;
    if (this.search !== undefined) {
      this.crc = this.search.push(chunk, this.crc);
      if (this.search.found >= 0) return descriptorInside(this.search.found);
    } else if (spec.crc32 !== undefined) this.crc = crc32(chunk, this.crc);
    if (spec.caps !== undefined) {
      const { limits, compressedSize, total } = spec.caps;
      if (this.bytes > limits.maxEntryBytes) {
        return problem(
          'ZIP_ENTRY_TOO_LARGE',
          `Entry inflates to more than ${limits.maxEntryBytes} bytes (maxEntryBytes)`,
          'If the archive is trusted, raise limits.maxEntryBytes; otherwise it may be a decompression bomb.',
        );
      }
      const ratio = checkRatio(this.bytes, compressedSize, limits.maxRatio, limits.ratioMinBytes);
      if (ratio !== undefined) return ratio;
      const totalProblem = total.record(spec.entry, this.bytes);
      if (totalProblem !== undefined) return totalProblem;
    }
    if (this.bytes > spec.expectedBytes && spec.sizeIsCertain) {
      return problem(
        'ZIP_SIZE_MISMATCH',
        `Entry data is longer than the declared ${spec.expectedBytes} bytes`,
        damaged,
      );
    }
    return undefined;
  }

  end(): Problem | undefined {
    const { spec } = this;
    const sizeOk = spec.sizeIsCertain
      ? this.bytes === spec.expectedBytes
      : this.bytes >= spec.expectedBytes && this.bytes % FOUR_GIB === spec.expectedBytes % FOUR_GIB;
    if (!sizeOk) {
      return problem(
        'ZIP_SIZE_MISMATCH',
        `Entry data is ${this.bytes} bytes but ${spec.expectedBytes} were declared`,
        damaged,
      );
    }
    if (spec.crc32 !== undefined && this.crc !== spec.crc32) {
      return problem(
        'ZIP_CRC_MISMATCH',
        `CRC-32 of the data is ${hex(this.crc)} but the header says ${hex(spec.crc32)}`,
        damaged,
      );
    }
    return undefined;
  }
}

const descriptorInside = (at: number): Problem =>
  problem(
    'ZIP_CORRUPT',
    `Stored data holds, at byte ${at}, a data descriptor of the ${at} bytes before it, and the local header leaves the entry's sizes to a data descriptor: readers that stream the archive (bsdtar reading a pipe) end the entry there and extract those bytes alone, Info-ZIP, CPython and 7-Zip the whole entry`,
    'The archive is ambiguous; ask its sender to re-create it (e.g. with Info-ZIP `zip -r`).',
  );

const hex = (n: number): string => `0x${n.toString(16).padStart(8, '0')}`;
