import { execFileSync } from 'node:child_process';
import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';

export interface RawEntry {
  name: string;
  data?: string | Buffer;
  /** Unix mode in the upper external-attribute bits, e.g. 0o120777 for a symlink. */
  mode?: number;
  flags?: number;
  /** Compression method written in both headers (the data stays stored), e.g. 12 for bzip2. */
  method?: number;
  /** Uncompressed size declared in both headers, when it should lie about the data. */
  declaredSize?: number;
  /** Written as a local header and data only, left out of the central directory. */
  unlisted?: boolean;
}

/** A minimal stored-only zip writer that writes any name and attribute, so tests can make hostile archives. */
export function rawZip(entries: RawEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    const data = Buffer.isBuffer(entry.data) ? entry.data : Buffer.from(entry.data ?? '', 'utf8');
    const crc = crc32(data);
    const flags = (entry.flags ?? 0) | 0x800;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(entry.method ?? 0, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(entry.declaredSize ?? data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(0x031e, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(flags, 8);
    central.writeUInt16LE(entry.method ?? 0, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(entry.declaredSize ?? data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(((entry.mode ?? 0o100644) << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, data);
    if (!entry.unlisted) centrals.push(central, name);
    offset += local.length + name.length + data.length;
  }
  const listed = entries.filter((e) => !e.unlisted).length;
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(listed, 8);
  end.writeUInt16LE(listed, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

/**
 * A copy of the download at `dir` whose export.zip holds the entry ending in `/${file}` with a compression
 * method the reader refuses (bzip2): a whole table there that cannot be read.
 */
export function withTableRefused(download: string, dir: string, file: string): void {
  cpSync(download, dir, { recursive: true });
  const zip = join(dir, 'export.zip');
  const names = execFileSync('unzip', ['-Z1', zip], { encoding: 'utf8' }).split('\n').filter(Boolean);
  const entries = names.map((name) => {
    const data = name.endsWith('/') ? '' : execFileSync('unzip', ['-p', zip, name]);
    return { name, data, ...(name.endsWith(`/${file}`) ? { method: 12 } : {}) };
  });
  writeFileSync(zip, rawZip(entries));
}
