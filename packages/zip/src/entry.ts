// Checks one central-directory record and turns it into a ZipEntry. Pure: no I/O.
import { type CentralRecord, extraAt, extraField, nameBytes, u16, u32 } from './central.js';
import { type Problem, problem } from './errors.js';
import { ENCRYPTED_FLAGS, UTF8_FLAG } from './format.js';
import {
  checkName,
  type Decoded,
  decodeName,
  duplicateKey,
  hiddenCharacters,
  isFolderIcon,
  PLAIN_ASCII,
  UNICODE_PATH_FIELD,
} from './names.js';
import type { NoticeDraft } from './notices.js';
import type { NormalizedOptions, ZipLimits } from './options.js';
import { FolderNames, NameSet } from './seen.js';
import { XL_FOLDER, XL_REGULAR, xlType } from './xl.js';

export interface ZipEntry {
  /** Normalized: '/' separators, checked safe, decoded to a string. Directories end with '/'. */
  name: string;
  isDirectory: boolean;
  compressedSize: number;
  uncompressedSize: number;
  /**
   * How the data is read: 0 stored, 8 deflate (the only two accepted). An empty file declared deflated with
   * no data at all is read as stored: 0.
   */
  method: number;
  crc32: number;
  /**
   * The time of the extended-timestamp field, else the MS-DOS date and time; undefined when the MS-DOS
   * fields hold no valid time (month 0 or 13-15, day 0 or past the month's end, hour 24+, minute or second
   * 60+; all zeros is what many tools write for "no time").
   */
  modified: Date | undefined;
}

/** What opening an entry needs from its central record. */
export interface Located {
  /** Local header offset in the file. */
  offset: number;
  /** The first byte the entry may not reach (the next entry's local header, or the directory). */
  limit: number;
  /** The stored name bytes, one character a byte. */
  rawName: string;
  /** How the data is read: 0 stored, 8 deflate. */
  method: number;
  /** The method the local header must name (see `isEmptyDeflated`). */
  headerMethod: number;
  compressedSize: number;
  uncompressedSize: number;
  crc32: number;
  /** The local header leaves CRC-32 and sizes to a data descriptor (flag bit 3): set once it is read. */
  deferred: boolean;
}

/**
 * An entry as yielded, carrying where it lies for the archive that yielded it and no other. A WeakMap from
 * entries to that data made every young-generation collection walk its table: listing 70,000 entries spent
 * more time collecting garbage than reading. The data is kept in fields of the entry (not an object of its
 * own: one allocation an entry fewer), with private copies of what a caller could change in the public ones.
 */
export class YieldedEntry implements ZipEntry {
  #owner: object | undefined;
  #offset = 0;
  #limit = 0;
  #rawName = '';
  readonly #method: number;
  readonly #headerMethod: number;
  readonly #compressedSize: number;
  readonly #uncompressedSize: number;
  readonly #crc32: number;
  readonly #stamp: number;
  #modified: Date | null | undefined;
  /** Bytes its largest read inflated, for the archive's total (see TotalMeter). */
  #inflated = 0;

  constructor(
    public name: string,
    public isDirectory: boolean,
    public compressedSize: number,
    public uncompressedSize: number,
    public method: number,
    public crc32: number,
    /** The time as stored (see `stampOf`): a Date is made only for an entry whose time is asked for. */
    stamp: number,
    /** The method the headers name, when the data is read by another (see `isEmptyDeflated`). */
    headerMethod = method,
  ) {
    this.#stamp = stamp;
    this.#method = method;
    this.#headerMethod = headerMethod;
    this.#compressedSize = compressedSize;
    this.#uncompressedSize = uncompressedSize;
    this.#crc32 = crc32;
  }

  get modified(): Date | undefined {
    if (this.#modified === undefined) {
      const time = timeOf(this.#stamp);
      this.#modified = time === undefined ? null : new Date(time);
    }
    return this.#modified ?? undefined;
  }

  /** Ties the entry to the archive that yields it, with where it lies there. */
  static bind(entry: YieldedEntry, owner: object, offset: number, limit: number, rawName: string): void {
    entry.#owner = owner;
    entry.#offset = offset;
    entry.#limit = limit;
    entry.#rawName = rawName;
  }

  /** Sets where the entry's bytes must end, when that becomes known after `bind`. */
  static limit(entry: YieldedEntry, limit: number): void {
    entry.#limit = limit;
  }

  /** The bytes `entry`'s largest read inflated (see `#inflated`); undefined for an entry of another kind. */
  static inflated(entry: object): number | undefined {
    return #inflated in entry ? (entry as YieldedEntry).#inflated : undefined;
  }

  static setInflated(entry: YieldedEntry, bytes: number): void {
    entry.#inflated = bytes;
  }

  /** Where the entry lies, when `owner` yielded it; undefined for any other entry. */
  static located(entry: unknown, owner: object): Located | undefined {
    if (!(entry instanceof YieldedEntry) || entry.#owner !== owner) return undefined;
    return {
      offset: entry.#offset,
      limit: entry.#limit,
      rawName: entry.#rawName,
      method: entry.#method,
      headerMethod: entry.#headerMethod,
      compressedSize: entry.#compressedSize,
      uncompressedSize: entry.#uncompressedSize,
      crc32: entry.#crc32,
      deferred: false,
    };
  }
}

/** What check() answers for an entry naming the extraction folder itself (`./`): nothing to yield. */
export const ROOT_FOLDER = Symbol('root folder');

/** An entry skipped with a notice (check() leaves it): a folder listed again, a system file. */
export class Skipped {
  constructor(readonly name: string) {}
}

/** An entry the checker refused, and the name to report it under. */
export class Refusal {
  constructor(
    readonly problem: Problem,
    readonly name: string,
  ) {}
}

const S_IFMT = 0o170000;
const FIFO = 0o010000;
// A Map, so the keys stay octal literals: the linter's fix for octal keys of an object literal once turned
// them into wrong numbers, and no link or device was named.
const FILE_TYPES = new Map<number, string>([
  [0o020000, 'a character device'],
  [0o060000, 'a block device'],
  [0o120000, 'a symbolic link'],
  [0o140000, 'a socket'],
]);
/** The compression methods of APPNOTE 4.4.5, by name, for the refusal to say which one an entry uses. */
const METHODS: Record<number, string> = {
  1: 'Shrink',
  2: 'Reduce',
  3: 'Reduce',
  4: 'Reduce',
  5: 'Reduce',
  6: 'Implode',
  9: 'Deflate64',
  10: 'PKWARE DCL Implode',
  12: 'BZIP2',
  14: 'LZMA',
  16: 'IBM z/OS CMPSC',
  18: 'IBM TERSE',
  19: 'IBM LZ77',
  20: 'Zstandard',
  93: 'Zstandard',
  94: 'MP3',
  95: 'XZ',
  96: 'JPEG',
  97: 'WavPack',
  98: 'PPMd',
};
const AES_METHOD = 99;
const EXTENDED_TIMESTAMP = 0x5455;
const NTFS_TIMES = 0x000a;

const rezip = 'Re-create the archive with standard deflate (e.g. Info-ZIP `zip -r`) and try again.';
/** 7-Zip writes most of the other methods (`-mm=`), WinZip the rest (.zipx): both can write deflate instead. */
const otherMethod =
  'Re-create the archive with deflate (Info-ZIP `zip -r`, 7-Zip `7z a -tzip -mm=Deflate`, or WinZip saving a .zip, not a .zipx) and try again.';

/** Walks the records of one archive: remembers names for duplicate checks and the declared total. */
export class EntryChecker {
  private seen: FolderNames | NameSet;
  private declaredTotal = 0;
  /** Files declared deflated that hold no deflate data, read as empty (see `isEmptyDeflated`). */
  emptyDeflated = 0;
  /** A notice about the entry the last check() accepted, else undefined. */
  notice: NoticeDraft | undefined;

  constructor(
    private readonly options: NormalizedOptions,
    /** The archive's size on disk, for the whole-archive ratio cap. */
    private readonly archiveSize: number,
    /**
     * How names are kept for the duplicate check: 0, a folder's at a time (see FolderNames), folders of
     * two segments; 1, of one segment; 2, every name. A check that finds it cannot tell in one way
     * (check() answers undefined) is replayed in the next.
     */
    public names: 0 | 1 | 2 = 0,
    /** Entries the end record declares, to size a table of every name once (capped: it may lie). */
    expectedEntries = 0,
  ) {
    this.seen =
      names === 2 ? new NameSet(Math.min(expectedEntries, 1 << 20)) : new FolderNames(names === 0 ? 2 : 1);
  }

  /** From now on, check duplicates as `other` does, with the names it has seen. */
  takeNames(other: EntryChecker): void {
    this.seen = other.seen;
    this.names = other.names;
  }

  /**
   * The entry, or why it is refused; an accepted entry may leave a notice in `notice`. Undefined: the
   * duplicate check cannot tell (see FolderNames): replay the records before this one into a checker
   * keeping names the next way, take its names, and check this record again. ROOT_FOLDER: the entry is
   * the extraction folder itself (`./`, as bsdtar writes it) and is skipped. Skipped: a folder entry listed
   * again, or a folder icon macOS wrote, skipped with a notice.
   */
  check(record: CentralRecord): YieldedEntry | Refusal | Skipped | typeof ROOT_FOLDER | undefined {
    this.notice = undefined;
    const flags = record.generalPurposeBitFlag;
    const unicodePath = (flags & UTF8_FLAG) === 0 ? extraField(record, UNICODE_PATH_FIELD) : undefined;
    const plain = unicodePath === undefined && PLAIN_ASCII.test(record.rawName);
    const decoded: Decoded = plain
      ? { ok: true, name: record.rawName }
      : decodeName(nameBytes(record), flags, unicodePath);
    if (!decoded.ok) return new Refusal(decoded.problem, decoded.shown);
    const named = checkName(decoded.name, plain);
    if (!named.ok) {
      if (!isFolderIcon(decoded.name)) return new Refusal(named.problem, decoded.name);
      this.notice = {
        code: 'ZIP_SYSTEM_FILE_SKIPPED',
        detail:
          'A folder icon macOS keeps (Icon and a carriage return; a system file, not an attachment) was skipped',
      };
      return new Skipped(decoded.name);
    }
    let name = named.name;

    const root = name === '';
    let isDirectory = root || name.endsWith('/');
    if (!isDirectory && isDirectoryByAttributes(record) && isEmpty(record)) {
      // Written by tools that mark folders only by attribute: without the '/' it would be listed as a file
      // beside its own children.
      name = `${name}/`;
      isDirectory = true;
    }
    const kind = fileKind(record);
    if (kind !== undefined) {
      return new Refusal(
        problem(
          'ZIP_NOT_REGULAR',
          `Entry is ${kind}, not a regular file`,
          'Links and devices are never extracted; remove it from the archive.',
        ),
        name,
      );
    }
    if (unixMode(record) === 0o040000 && !isDirectory) {
      return new Refusal(problem('ZIP_NOT_REGULAR', 'Directory entry carries data', rezip), name);
    }
    // A host of MS-DOS attributes (no Unix mode): 7-Zip and bsdtar make a folder of an entry whose folder
    // bit is set, its data dropped, where Info-ZIP and CPython write a file.
    if (
      !isDirectory &&
      (record.externalFileAttributes & MSDOS_DIRECTORY) !== 0 &&
      unixMode(record) === undefined
    ) {
      return new Refusal(
        problem(
          'ZIP_NOT_REGULAR',
          'Entry is marked a folder by its MS-DOS attributes yet carries data: 7-Zip and bsdtar extract a folder, Info-ZIP and CPython a file',
          rezip,
        ),
        name,
      );
    }
    if (isDirectory && !isEmpty(record)) {
      return new Refusal(problem('ZIP_NOT_REGULAR', 'Directory entry carries data', rezip), name);
    }
    const xl = xlMismatch(record, isDirectory);
    if (xl !== undefined)
      return new Refusal(otherTypeTo('bsdtar', xl, 'its central record', isDirectory), name);
    if (root) return ROOT_FOLDER;
    if ((record.generalPurposeBitFlag & ENCRYPTED_FLAGS) !== 0 || record.compressionMethod === AES_METHOD) {
      return new Refusal(
        problem(
          'ZIP_ENCRYPTED',
          'Entry is encrypted',
          'Decrypt the archive (re-create it without a password) and try again.',
        ),
        name,
      );
    }
    if (record.compressionMethod !== 0 && record.compressionMethod !== 8) {
      const label = METHODS[record.compressionMethod] ?? 'not a method the zip format defines';
      return new Refusal(
        problem(
          'ZIP_UNSUPPORTED_METHOD',
          `Entry uses compression method ${record.compressionMethod} (${label}); only stored (0) and deflate (8) are read`,
          otherMethod,
        ),
        name,
      );
    }
    if (record.compressionMethod === 0 && record.compressedSize !== record.uncompressedSize) {
      return new Refusal(
        problem(
          'ZIP_SIZE_MISMATCH',
          `Stored entry declares ${record.compressedSize} compressed but ${record.uncompressedSize} uncompressed bytes`,
          'The archive is damaged; download or create it again.',
        ),
        name,
      );
    }
    const fold = this.options.duplicateNames !== 'exact';
    // A plain ASCII name is fingerprinted as it is (folded, its '/' left out): no key string to make.
    const key = plain ? name : duplicateKey(name, this.options.duplicateNames, false);
    const added = plain
      ? this.seen.add(name, fold, isDirectory ? name.length - 1 : name.length, isDirectory)
      : this.seen.add(key, false, key.length, isDirectory);
    if (added === undefined) return undefined;
    if (added === 'directory') {
      // Tools that merge archives or add each file's folders list a folder again: it names nothing new, and
      // Info-ZIP, CPython, 7-Zip and bsdtar all read such archives.
      this.notice = {
        code: 'ZIP_REPEATED_FOLDER',
        detail: 'A folder entry appears more than once; the repeat was skipped',
      };
      return new Skipped(name);
    }
    if (!added) {
      return new Refusal(
        problem(
          'ZIP_DUPLICATE_ENTRY',
          'Entry name appears more than once (names are compared after "\\" -> "/"' +
            (this.options.duplicateNames === 'exact' ? ')' : ', ignoring case)'),
          'The archive is ambiguous: different tools would extract different files. Re-create it.',
        ),
        name,
      );
    }

    const { limits } = this.options;
    const size = record.uncompressedSize;
    const limitHint =
      'If the archive is trusted, raise the limit (limits option); otherwise it may be a decompression bomb.';
    if (size > limits.maxEntryBytes) {
      return new Refusal(
        problem(
          'ZIP_ENTRY_TOO_LARGE',
          `Entry declares ${size} bytes, over the ${limits.maxEntryBytes}-byte cap (maxEntryBytes)`,
          limitHint,
        ),
        name,
      );
    }
    const ratioProblem = checkRatio(size, record.compressedSize, limits.maxRatio, limits.ratioMinBytes);
    if (ratioProblem !== undefined) return new Refusal(ratioProblem, name);
    if (this.declaredTotal + size > limits.maxTotalBytes) {
      return new Refusal(
        problem(
          'ZIP_TOTAL_TOO_LARGE',
          `Entries declare more than ${limits.maxTotalBytes} bytes in total (maxTotalBytes)`,
          limitHint,
        ),
        name,
      );
    }
    const archiveRatio = checkArchiveRatio(this.declaredTotal + size, this.archiveSize, limits, 'declare');
    if (archiveRatio !== undefined) return new Refusal(archiveRatio, name);
    this.declaredTotal += size;

    const empty = isEmptyDeflated(record);
    if (empty && !isDirectory) this.emptyDeflated += 1;
    const entry = new YieldedEntry(
      name,
      isDirectory,
      record.compressedSize,
      size,
      empty ? 0 : record.compressionMethod,
      record.crc32,
      stampOf(record),
      record.compressionMethod,
    );
    // Printable ASCII holds none of them: only other names are searched.
    const hidden = plain ? undefined : hiddenCharacters(name);
    if (hidden !== undefined) {
      this.notice = {
        code: 'ZIP_NAME_HIDDEN_CHARACTERS',
        detail: `Entry name holds characters that show nothing or change the order of the text around them (${hidden}); the entry was read under its own name, which messages give with them escaped`,
      };
    } else if (decoded.odd !== undefined) {
      this.notice = {
        code: 'ZIP_NAME_ENCODING',
        detail: `Entry name has no UTF-8 flag and is not plausible CP437 text (${decoded.odd}); it was read as CP437, and any "\\" in it as a folder separator`,
      };
    }
    return entry;
  }
}

/**
 * A ratio over `cap`, with as many decimals as it takes to show it over (a ratio of 200.4 shown as "200x"
 * would read as within a cap of 200x).
 */
export function ratioText(ratio: number, cap: number): string {
  for (const digits of [0, 1, 2]) {
    const shown = ratio.toFixed(digits);
    if (Number(shown) > cap) return `${shown}x`;
  }
  return `over ${cap}x`;
}

/**
 * Inflated bytes of the whole archive against its size on disk. Entries that share no bytes cannot inflate
 * much past deflate's ~1032x; this bounds bombs built of many entries each under the per-entry threshold.
 */
export function checkArchiveRatio(
  total: number,
  archiveSize: number,
  limits: ZipLimits,
  verb: 'declare' | 'inflate',
): Problem | undefined {
  // Never below the per-entry cap: an archive may inflate as much as each of its entries may, so raising
  // maxRatio for a trusted archive of one big table is enough.
  const cap = Math.max(limits.maxArchiveRatio, limits.maxRatio);
  if (total <= limits.ratioMinBytes || total <= cap * Math.max(archiveSize, 1)) return undefined;
  const ratio = ratioText(total / Math.max(archiveSize, 1), cap);
  return problem(
    'ZIP_ARCHIVE_RATIO',
    `Entries ${verb} ${total}+ bytes from an archive of ${archiveSize} bytes (${ratio}), over the ${cap}x cap for a whole archive (maxArchiveRatio)`,
    'This looks like a decompression bomb; if the archive is trusted, raise limits.maxArchiveRatio and limits.maxRatio.',
  );
}

export function checkRatio(
  inflated: number,
  compressed: number,
  maxRatio: number,
  minBytes: number,
): Problem | undefined {
  if (inflated <= minBytes || inflated <= maxRatio * Math.max(compressed, 1)) return undefined;
  const ratio = ratioText(inflated / Math.max(compressed, 1), maxRatio);
  return problem(
    'ZIP_RATIO_TOO_HIGH',
    `Entry inflates ${ratio} (${compressed} -> ${inflated}+ bytes), over the ${maxRatio}x cap (maxRatio)`,
    'This looks like a decompression bomb; if the archive is trusted, raise limits.maxRatio.',
  );
}

/** A set of host numbers (each below 32) as the bits of one number: looked up for every entry. */
function hostBits(hosts: readonly number[]): number {
  return hosts.reduce((bits, host) => bits | (1 << host), 0);
}
const isHost = (bits: number, record: CentralRecord): boolean => {
  const host = record.versionMadeBy >> 8;
  return host < 32 && ((bits >>> host) & 1) === 1;
};

/**
 * Hosts whose high 16 bits of the external attributes are st_mode: those Info-ZIP unzip reads them for (its
 * `mapattr`: VMS 2, Unix 3, Atari 5, QDOS 12, Acorn 13, BeOS 16, Tandem 17, AtheOS 30), which makes an
 * entry that says "symbolic link" there a link; and OS X 19, whose tools write them as Unix ones do.
 */
const MODE_HOSTS = hostBits([2, 3, 5, 12, 13, 16, 17, 19, 30]);

const unixMode = (record: CentralRecord): number | undefined =>
  isHost(MODE_HOSTS, record) ? (record.externalFileAttributes >>> 16) & S_IFMT : undefined;

/**
 * Hosts that write MS-DOS attributes, whose high 16 bits some writers fill with a Unix mode all the same
 * (PKZip for Unix, libraries copying st_mode): Info-ZIP unzip takes a FAT entry's for its mode when their
 * owner bits agree with the DOS read-only bit, and 7-Zip makes a link of a FAT or NTFS entry whose bits say
 * "symbolic link". Read as a plain file, such a link was counted and extracted as an attachment holding
 * its target's path.
 */
const LINK_HOSTS = hostBits([0, 11]);
const SYMLINK = 0o120000;

const dosHostLink = (record: CentralRecord): boolean =>
  isHost(LINK_HOSTS, record) && ((record.externalFileAttributes >>> 16) & S_IFMT) === SYMLINK;

function fileKind(record: CentralRecord): string | undefined {
  const type = unixMode(record);
  // Only the link type is taken from a DOS host's high bits: every reader extracts the other types as files.
  if (type === undefined) return dosHostLink(record) ? FILE_TYPES.get(SYMLINK) : undefined;
  if (type === 0 || type === 0o100000 || type === 0o040000) return undefined;
  // Info-ZIP zip gives what it read from a pipe (`... | zip x.zip -`) the pipe's mode: the entry holds
  // those bytes, and unzip and CPython extract it as a regular file, as it is read here.
  if (type === FIFO) return undefined;
  return FILE_TYPES.get(type) ?? `of unknown type 0o${type.toString(8)}`;
}

const MSDOS_DIRECTORY = 0x10;

/**
 * The type an entry has to libarchive by an 'xl' field (0x6c78) of its central record, in words, when it
 * is not the type the entry has here (see xl.ts). Only a record with extra fields has one to look for.
 */
function xlMismatch(record: CentralRecord, isDirectory: boolean): string | undefined {
  if (record.extraEnd === record.extraStart) return undefined;
  const slash = record.rawName.charCodeAt(record.rawName.length - 1) === 0x2f;
  const type = xlType(record.piece, record.extraStart, record.extraEnd, record.versionMadeBy >> 8, slash);
  return type < 0 || type === (isDirectory ? XL_FOLDER : XL_REGULAR) ? undefined : typeWords(type);
}

/** A file type (the st_mode bits), in words. */
export function typeWords(type: number): string {
  if (type === XL_FOLDER) return 'a folder';
  if (type === XL_REGULAR) return 'a file';
  return FILE_TYPES.get(type) ?? `of unknown type 0o${type.toString(8)}`;
}

/** The refusal of an entry that a reader (`who`) takes for another type, by what `where` says. */
export function otherTypeTo(who: string, type: string, where: string, isDirectory: boolean): Problem {
  return problem(
    'ZIP_NOT_REGULAR',
    `Entry is ${type} to ${who} (libarchive), by the 'xl' extra field (0x6c78) of ${where}, and ${isDirectory ? 'a folder' : 'a file'} to Info-ZIP, CPython and 7-Zip`,
    'The archive is ambiguous: tools would extract different kinds of file from it. Do not extract it with other tools; ask its sender to re-create it (e.g. with Info-ZIP `zip -r`).',
  );
}

/**
 * An entry declared deflated that holds no data at all, not even the 2 bytes of an empty deflate stream: how
 * some Windows libraries (.NET's DeflateStream given nothing to write, SharpCompress) store an empty file,
 * such as the empty.txt of an attachment folder. It is read as the empty file it declares, as CPython and
 * libarchive read it (Info-ZIP unzip and 7-Zip call its data invalid): there is nothing in it to inflate,
 * and a CRC-32 other than 0 is still refused.
 */
const isEmptyDeflated = (record: CentralRecord): boolean =>
  record.compressionMethod === 8 && record.compressedSize === 0 && record.uncompressedSize === 0;

/** The notice of a walk that read such entries. */
export const emptyDeflatedNotice = (count: number): NoticeDraft => ({
  code: 'ZIP_EMPTY_DEFLATED',
  detail: `${count} file(s) declared deflated hold no deflate data at all (0 bytes, as some Windows tools write empty files); they were read as the empty files they declare (Info-ZIP unzip and 7-Zip report them as invalid)`,
});

// An empty deflate stream takes 2 bytes, so a few tools store directories as method 8 with 2 bytes.
const isEmpty = (record: CentralRecord): boolean =>
  record.uncompressedSize === 0 && record.compressedSize <= 2;

/** A folder by its attributes: the Unix mode, or the MS-DOS attribute byte every host writes. */
const isDirectoryByAttributes = (record: CentralRecord): boolean =>
  unixMode(record) === 0o040000 || (record.externalFileAttributes & MSDOS_DIRECTORY) !== 0;

/** The extended-timestamp field holds a real UTC time; the DOS fields hold local time of unknown zone. */
/**
 * An entry's time as stored: the Unix time of its extended-timestamp field (seconds, as a negative number
 * so it cannot be taken for the other form), else its MS-DOS date and time (date * 65,536 + time).
 */
function stampOf(record: CentralRecord): number {
  const dos = record.lastModDate * 0x10000 + record.lastModTime;
  // Read in place: a view of the field for every entry of a part was garbage of ~100 bytes an entry.
  const at = extraAt(record, EXTENDED_TIMESTAMP);
  const { piece } = record;
  if (at >= 0 && u16(piece, at - 2) >= 5 && (piece[at]! & 1) === 1) {
    const seconds = u32(piece, at + 1);
    if (seconds < 0x80000000 || dos >= DOS_2038) return -1 - seconds;
  }
  const seconds = ntfsSeconds(record);
  if (seconds !== undefined) return -1 - seconds;
  return dos;
}

/**
 * 2038-01-18 00:00 in MS-DOS fields (Info-ZIP's DOSTIME_2038_01_18). Info-ZIP zip writes a time before
 * 1970 as a negative number in the extended-timestamp field, and the least DOS time, 1980, in the DOS
 * fields; read unsigned (as 7-Zip and bsdtar do) it is a time in 2101. Info-ZIP unzip reads a value of 2^31
 * or more as a time past 2038 only when the DOS fields say so too, and otherwise the DOS time: so here.
 */
const DOS_2038 = 0x74320000;

/** 100-nanosecond ticks from 1601 (Windows' FILETIME) to 1970. */
const FILETIME_1970 = 116_444_736_000_000_000;

/**
 * The modification time of the NTFS field, in whole seconds since 1970, or undefined: the UTC time 7-Zip,
 * WinRAR and WinZip write beside DOS fields that hold the writer's local time (taken for UTC, a zip made
 * in Tokyo gave its files a time 9 hours off). The field: 4 reserved bytes, then attributes (tag, size);
 * tag 1 holds the modification, access and creation times. A field cut short or odd is not read.
 */
function ntfsSeconds(record: CentralRecord): number | undefined {
  const at = extraAt(record, NTFS_TIMES);
  if (at < 0) return undefined;
  const { piece } = record;
  const end = at + u16(piece, at - 2);
  for (let attribute = at + 4; attribute + 4 <= end; attribute += 4 + u16(piece, attribute + 2)) {
    if (u16(piece, attribute) !== 1) continue;
    if (u16(piece, attribute + 2) < 24 || attribute + 4 + 24 > end) return undefined;
    // Read as two halves: exact to a few microseconds, and no BigInt made per entry.
    const ticks = u32(piece, attribute + 8) * 0x100000000 + u32(piece, attribute + 4);
    const seconds = Math.floor((ticks - FILETIME_1970) / 10_000_000);
    return seconds >= 0 && seconds <= 0xffffffff ? seconds : undefined;
  }
  return undefined;
}

/**
 * Milliseconds since 1970 of a `stampOf` time, or undefined for MS-DOS fields out of range. Rolled over
 * (month 13 as January of the next year, hour 25 as the next day), such fields gave a file a made-up time;
 * 7-Zip shows and sets no time for them, and neither does this package.
 */
export function timeOf(stamp: number): number | undefined {
  if (stamp < 0) return (-1 - stamp) * 1000;
  const date = Math.floor(stamp / 0x10000);
  const time = stamp % 0x10000;
  const [month, day] = [(date >> 5) & 0xf, date & 0x1f];
  const [hour, minute, second] = [time >> 11, (time >> 5) & 0x3f, (time & 0x1f) * 2];
  if (hour > 23 || minute > 59 || second > 59 || month < 1 || month > 12 || day < 1) return undefined;
  const ms = Date.UTC((date >> 9) + 1980, month - 1, day, hour, minute, second);
  // Day 31 of a month of 30 days (or 29-31 of a February that has fewer) would roll into the next month.
  return new Date(ms).getUTCDate() === day ? ms : undefined;
}
