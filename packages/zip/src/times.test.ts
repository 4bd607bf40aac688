import { execFileSync } from 'node:child_process';
import { utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rawZip, save, tempDir } from './craft.test-helpers.js';
import { timeOf } from './entry.js';
import { openZip } from './index.js';

const dos = (year: number, month: number, day: number, hour = 0, minute = 0, second = 0) =>
  (((year - 1980) << 9) | (month << 5) | day) * 0x10000 + ((hour << 11) | (minute << 5) | (second >> 1));

describe('MS-DOS times', () => {
  it('reads a valid time as UTC, and a leap day', () => {
    expect(timeOf(dos(2021, 10, 13, 7, 40, 58))).toBe(Date.UTC(2021, 9, 13, 7, 40, 58));
    expect(timeOf(dos(2024, 2, 29, 23, 59, 58))).toBe(Date.UTC(2024, 1, 29, 23, 59, 58));
    expect(timeOf(dos(2107, 12, 31))).toBe(Date.UTC(2107, 11, 31));
  });

  it('gives no time for fields out of range, instead of rolling them into another date (as 7-Zip)', () => {
    for (const bad of [
      0, // all zeros: what many writers store for "no time"
      dos(2021, 0, 1),
      dos(2021, 13, 1),
      dos(2021, 15, 1),
      dos(2021, 1, 0),
      dos(2021, 4, 31),
      dos(2023, 2, 29),
      dos(2021, 1, 1, 24),
      dos(2021, 1, 1, 31),
      dos(2021, 1, 1, 0, 60),
      dos(2021, 1, 1, 0, 63),
      dos(2021, 1, 1, 0, 0, 60),
      dos(2021, 1, 1, 0, 0, 62),
    ]) {
      expect(timeOf(bad), bad.toString(16)).toBeUndefined();
    }
  });

  it('yields an entry whose DOS time is out of range with no modified time', async () => {
    const zip = rawZip([{ name: Buffer.from('a.txt'), data: Buffer.from('a') }]);
    // rawZip writes 2024-01-01 00:00:00 in both headers; make it month 13, day 0, 25:61:62.
    for (const at of [10, zip.length - 22 - 51 + 12]) {
      zip.writeUInt16LE((25 << 11) | (61 << 5) | 31, at);
      zip.writeUInt16LE((44 << 9) | (13 << 5), at + 2);
    }
    const archive = await openZip(save(tempDir(), 'bad-time.zip', zip));
    const times: (Date | undefined)[] = [];
    for await (const entry of archive.entries()) {
      times.push(entry.modified);
      expect(await archive.verify(entry)).toBe(1);
    }
    await archive.close();
    expect(times).toEqual([undefined]);
  });
});

describe('NTFS times (the 0x000a field 7-Zip, WinRAR and WinZip write)', () => {
  const WHEN = new Date(Date.UTC(2019, 4, 6, 7, 8, 10));

  async function modified(path: string): Promise<(Date | undefined)[]> {
    const archive = await openZip(path);
    const times: (Date | undefined)[] = [];
    try {
      for await (const entry of archive.entries()) times.push(entry.modified);
    } finally {
      await archive.close();
    }
    return times;
  }

  it("is the time of a zip 7-Zip wrote in another time zone, not its DOS fields' local time", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'resume.pdf'), 'resume');
    utimesSync(join(dir, 'resume.pdf'), WHEN, WHEN);
    // The DOS fields say 16:08:10, Tokyo's time; only the NTFS field says when, as 7-Zip reads it back.
    execFileSync('7z', ['a', '-tzip', 'part.zip', 'resume.pdf'], {
      cwd: dir,
      env: { ...process.env, TZ: 'Asia/Tokyo' },
      stdio: 'ignore',
    });
    expect(await modified(join(dir, 'part.zip'))).toEqual([WHEN]);
  });

  it('is read only from a field whole: odd lengths and other tags leave the DOS time', async () => {
    const filetime = (BigInt(WHEN.getTime()) + 11_644_473_600_000n) * 10_000n;
    const ntfs = (length: number, tag = 1, size = 24): Buffer => {
      const field = Buffer.alloc(4 + 32);
      field.writeUInt16LE(0x000a, 0);
      field.writeUInt16LE(length, 2);
      field.writeUInt16LE(tag, 8);
      field.writeUInt16LE(size, 10);
      field.writeBigUInt64LE(filetime, 12);
      return field.subarray(0, 4 + length);
    };
    const items = [ntfs(32), ntfs(31), ntfs(12), ntfs(32, 2), ntfs(32, 1, 8), ntfs(3)].map((extra, i) => ({
      name: Buffer.from(`f${i}.txt`),
      data: Buffer.from('a'),
      extra,
    }));
    const times = await modified(save(tempDir(), 'ntfs.zip', rawZip(items)));
    // rawZip's DOS fields: 2024-01-01 00:00:00.
    const dosTime = new Date(Date.UTC(2024, 0, 1));
    expect(times).toEqual([WHEN, dosTime, dosTime, dosTime, dosTime, dosTime]);
  });
});

describe('Extended timestamps (the 0x5455 field Info-ZIP writes)', () => {
  it('are not read past 2038 for a file before 1970: its DOS time is taken, as Info-ZIP unzip takes it', async (context) => {
    const dir = tempDir();
    const old = join(dir, 'old.txt');
    const late = join(dir, 'late.txt');
    writeFileSync(old, 'old');
    writeFileSync(late, 'late');
    // Before 1970 the field holds a negative number, read unsigned as 2101; the DOS fields say 1980, their least.
    utimesSync(old, new Date(Date.UTC(1965, 5, 1, 12)), new Date(Date.UTC(1965, 5, 1, 12)));
    const after2038 = new Date(Date.UTC(2040, 5, 1, 12));
    utimesSync(late, after2038, after2038);
    try {
      execFileSync('zip', ['-q', 'times.zip', 'old.txt', 'late.txt'], {
        cwd: dir,
        env: { ...process.env, TZ: 'UTC' },
      });
    } catch {
      context.skip();
    }
    const archive = await openZip(join(dir, 'times.zip'));
    const times: (Date | undefined)[] = [];
    for await (const entry of archive.entries()) times.push(entry.modified);
    await archive.close();
    expect(times).toEqual([new Date(Date.UTC(1980, 0, 1)), after2038]);
  });
});
