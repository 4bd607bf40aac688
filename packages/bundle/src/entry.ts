// What a caller may add, checked and completed in one place before any byte is written.
import type { Readable } from 'node:stream';
import { crc32, deflateRawSync } from 'node:zlib';
import { BundleError } from './errors.js';
import { dosDateTime, type LocalSpec, mayReach4GiB } from './format.js';

export type Method = 'store' | 'deflate';

/** Compressed bytes copied unchanged from another archive, with what its central record declares. */
export interface RawData {
  /** 0 stored, 8 deflate: the method the bytes are compressed with. */
  method: number;
  crc32: number;
  compressedSize: number;
  uncompressedSize: number;
  /** Opened only when the entry is written, so a long list of entries holds no open streams. */
  open: () => Promise<AsyncIterable<Uint8Array>> | AsyncIterable<Uint8Array>;
}

interface Common {
  /** Path inside the archive, '/' separated; a name ending in '/' is a folder (give it empty `bytes`). */
  name: string;
  /** Defaults to the archive's `mtime`. */
  mtime?: Date;
}

export type BundleEntry =
  | (Common & { bytes: Uint8Array; method?: Method })
  | (Common & {
      stream: Readable | AsyncIterable<Uint8Array>;
      /** The exact uncompressed size, when known: checked, and it keeps Zip64 out of small entries. */
      size?: number;
      method?: Method;
    })
  | (Common & { raw: RawData });

export type Source =
  | { kind: 'bytes'; method: 0 | 8; data: Buffer; crc32: number; uncompressedSize: number }
  | { kind: 'stream'; method: 0 | 8; stream: AsyncIterable<Uint8Array>; size: number | undefined }
  | { kind: 'raw'; method: 0 | 8; raw: RawData };

export interface PreparedEntry {
  name: string;
  nameBytes: Buffer;
  /** Duplicate key: names that one file system could take for the same file collide. */
  key: string;
  dosTime: number;
  dosDate: number;
  source: Source;
  spec: LocalSpec;
}

const MAX_NAME_BYTES = 0xffff;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** Zip keeps whole seconds (even ones) from 1980 to 2107. */
const EARLIEST = Date.UTC(1980, 0, 1);
const LATEST = Date.UTC(2107, 11, 31, 23, 59, 58);

export function checkDate(value: unknown, what: string): Date {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) {
    throw new BundleError('BUNDLE_BAD_OPTION', `${what} must be a valid Date. Pass e.g. new Date(0).`);
  }
  if (value.getTime() < EARLIEST || value.getTime() > LATEST) {
    throw new BundleError(
      'BUNDLE_BAD_OPTION',
      `${what} ${value.toISOString()} is outside what zip can store (1980-01-01 to 2107-12-31). Pick a date in range.`,
    );
  }
  return value;
}

const bad = (name: string, detail: string, hint: string): BundleError =>
  new BundleError('BUNDLE_BAD_ENTRY', `Entry "${name}": ${detail}. ${hint}`, { entry: name });

export function checkName(name: unknown): string {
  if (typeof name !== 'string' || name.length === 0) {
    throw new BundleError(
      'BUNDLE_BAD_ENTRY',
      'Entry name must be a non-empty string. Give every entry a name.',
    );
  }
  const fix = 'Use a relative path of "/"-separated, non-empty segments.';
  if (LONE_SURROGATE.test(name)) throw bad(name, 'name is not well-formed Unicode', fix);
  if (/[\u0000-\u001f\\]/.test(name)) throw bad(name, 'name holds a control character or "\\"', fix);
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) throw bad(name, 'name is absolute', fix);
  const segments = name.split('/');
  if (segments.at(-1) === '') segments.pop();
  if (segments.some((s) => s === '' || s === '.' || s === '..')) {
    throw bad(name, 'name has an empty, "." or ".." segment', fix);
  }
  if (Buffer.byteLength(name) > MAX_NAME_BYTES) throw bad(name, 'name is over 65,535 bytes', fix);
  return name;
}

function checkMethod(name: string, method: unknown): 0 | 8 {
  if (method === undefined || method === 'deflate') return 8;
  if (method === 'store') return 0;
  throw bad(name, `method must be "store" or "deflate", got ${String(method)}`, 'Fix the entry.');
}

const isSize = (value: unknown): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

function checkRaw(name: string, raw: RawData): RawData & { method: 0 | 8 } {
  if (typeof raw !== 'object' || raw === null || typeof raw.open !== 'function') {
    throw bad(name, 'raw needs method, crc32, compressedSize, uncompressedSize and open()', 'Fix the entry.');
  }
  if (raw.method !== 0 && raw.method !== 8) {
    throw bad(name, `raw method ${String(raw.method)} is not stored (0) or deflate (8)`, 'Re-compress it.');
  }
  if (!isSize(raw.compressedSize) || !isSize(raw.uncompressedSize)) {
    throw bad(name, 'raw sizes must be integers >= 0', 'Pass the sizes of the source entry.');
  }
  if (!Number.isInteger(raw.crc32) || raw.crc32 < 0 || raw.crc32 > 0xffffffff) {
    throw bad(name, 'raw crc32 must be an unsigned 32-bit integer', 'Pass the CRC-32 of the source entry.');
  }
  if (raw.method === 0 && raw.compressedSize !== raw.uncompressedSize) {
    throw bad(
      name,
      'a stored raw entry has different compressed and uncompressed sizes',
      'Check the source.',
    );
  }
  return raw as RawData & { method: 0 | 8 };
}

/** Normalizes one entry; deflates `bytes` entries here, so their sizes are known before they are placed. */
export function prepareEntry(entry: BundleEntry, defaults: { mtime: Date; level: number }): PreparedEntry {
  if (typeof entry !== 'object' || entry === null) {
    throw new BundleError(
      'BUNDLE_BAD_ENTRY',
      'An entry must be an object with a name and bytes, stream or raw.',
    );
  }
  const name = checkName(entry.name);
  const mtime = entry.mtime === undefined ? defaults.mtime : checkDate(entry.mtime, `Entry "${name}": mtime`);
  const given = ['bytes', 'stream', 'raw'].filter(
    (key) => key in entry && (entry as never)[key] !== undefined,
  );
  if (given.length !== 1) {
    throw bad(
      name,
      `give exactly one of bytes, stream or raw (got ${given.join(', ') || 'none'})`,
      'Fix the entry.',
    );
  }
  let source: Source;
  if ('bytes' in entry && entry.bytes !== undefined) {
    if (!(entry.bytes instanceof Uint8Array)) throw bad(name, 'bytes must be a Uint8Array', 'Fix the entry.');
    const plain = Buffer.from(entry.bytes.buffer, entry.bytes.byteOffset, entry.bytes.byteLength);
    const folder = name.endsWith('/');
    if (folder && plain.length > 0)
      throw bad(name, 'a folder (name ending in "/") has no data', 'Drop the bytes.');
    const method = folder ? 0 : checkMethod(name, entry.method);
    source = {
      kind: 'bytes',
      method,
      data: method === 8 ? deflateRawSync(plain, { level: defaults.level }) : plain,
      crc32: crc32(plain),
      uncompressedSize: plain.length,
    };
  } else if ('stream' in entry && entry.stream !== undefined) {
    if (name.endsWith('/')) throw bad(name, 'a folder has no data', 'Add it with empty bytes.');
    const stream = entry.stream as AsyncIterable<Uint8Array>;
    if (typeof stream[Symbol.asyncIterator] !== 'function') {
      throw bad(name, 'stream must be a Readable or an async iterable of bytes', 'Fix the entry.');
    }
    if (entry.size !== undefined && !isSize(entry.size)) {
      throw bad(name, 'size must be an integer >= 0', 'Pass the exact uncompressed size or leave it out.');
    }
    source = { kind: 'stream', method: checkMethod(name, entry.method), stream, size: entry.size };
  } else {
    if (name.endsWith('/')) throw bad(name, 'a folder has no data', 'Add it with empty bytes.');
    const raw = checkRaw(name, (entry as { raw: RawData }).raw);
    source = { kind: 'raw', method: raw.method, raw };
  }
  const nameBytes = Buffer.from(name, 'utf8');
  const { dosTime, dosDate } = dosDateTime(mtime);
  return {
    name,
    nameBytes,
    key: name.normalize('NFC').toLowerCase(),
    dosTime,
    dosDate,
    source,
    spec: localSpec(nameBytes, dosTime, dosDate, source),
  };
}

/** What the entry's local header says; worked out once, for placing the entry and for writing it. */
function localSpec(name: Buffer, dosTime: number, dosDate: number, source: Source): LocalSpec {
  const { method } = source;
  switch (source.kind) {
    case 'bytes': {
      const { crc32, uncompressedSize } = source;
      return {
        name,
        method,
        dosTime,
        dosDate,
        known: { crc32, compressedSize: source.data.length, uncompressedSize },
      };
    }
    case 'raw': {
      const { crc32, compressedSize, uncompressedSize } = source.raw;
      return { name, method, dosTime, dosDate, known: { crc32, compressedSize, uncompressedSize } };
    }
    case 'stream':
      return { name, method, dosTime, dosDate, mayBeLarge: mayReach4GiB(source.size, method) };
  }
}
