import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { headers, rawZip, readEach, save, tempDir, yazlZip } from './craft.test-helpers.js';
import { openZip } from './index.js';

const dir = tempDir();
const item = (name: string, data: string) => ({ name: Buffer.from(name), data: Buffer.from(data) });

/** The archive with the central record of entry `index` taken out: its local entry stays in the file. */
function unlist(zip: Buffer, index: number): Buffer {
  const records = headers(zip);
  const eocd = zip.length - 22;
  const start = records[index]!.central;
  const end = records[index + 1]?.central ?? eocd;
  const out = Buffer.concat([zip.subarray(0, start), zip.subarray(end)]);
  const at = out.length - 22;
  out.writeUInt16LE(records.length - 1, at + 8);
  out.writeUInt16LE(records.length - 1, at + 10);
  out.writeUInt32LE(out.readUInt32LE(at + 12) - (end - start), at + 12);
  return out;
}

async function walk(path: string) {
  const archive = await openZip(path);
  const names: string[] = [];
  for await (const entry of archive.entries()) {
    names.push(entry.name);
    await archive.verify(entry);
  }
  await archive.close();
  return { names, notices: archive.notices.map((n) => n.message) };
}

describe('local entries the central directory does not list', () => {
  const three = rawZip([
    item('Candidate_1/Public/a.pdf', '%PDF-a'),
    item('Candidate_1/Public/hidden.exe', 'MZ'),
    item('Candidate_1/Public/b.pdf', '%PDF-b'),
  ]);

  it('are told where they lie, between entries, at the end and at the start', async () => {
    for (const [index, where] of [
      [1, 'right after this entry'],
      [2, 'right after this entry'],
      [0, 'at byte 0, before the first entry'],
    ] as const) {
      const path = save(dir, `unlisted-${index}.zip`, unlist(three, index));
      const { names, notices } = await walk(path);
      expect(names).toHaveLength(2);
      expect(notices).toHaveLength(1);
      expect(notices[0]).toContain(where);
      expect(notices[0]).toContain('bsdtar reading a pipe');
      // The claim holds: a streaming reader lists the file the directory leaves out.
      const streamed = execFileSync('sh', ['-c', `cat "${path}" | bsdtar -tf -`], { encoding: 'utf8' });
      expect(streamed).toContain(index === 1 ? 'hidden.exe' : index === 2 ? 'b.pdf' : 'a.pdf');
    }
  });

  it('are told past other bytes after an entry, which bsdtar reading a pipe searches through', async () => {
    const hidden = unlist(three, 1);
    const second = headers(three)[1]!.local;
    // Bytes of no entry before the hidden header; the offsets of what follows them shifted to match.
    const junk = (bytes: Buffer) => {
      const records = headers(hidden);
      const out = Buffer.concat([hidden.subarray(0, second), bytes, hidden.subarray(second)]);
      const end = out.length - 22;
      out.writeUInt32LE(out.readUInt32LE(end + 16) + bytes.length, end + 16);
      const last = records.at(-1)!.central + bytes.length;
      out.writeUInt32LE(out.readUInt32LE(last + 42) + bytes.length, last + 42);
      return out;
    };
    const path = save(dir, 'unlisted-after-junk.zip', junk(Buffer.from('JUNK-JUNK!')));
    const { names, notices } = await walk(path);
    expect(names).toEqual(['Candidate_1/Public/a.pdf', 'Candidate_1/Public/b.pdf']);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toContain(
      `A local header at byte ${second + 10}, after this entry and 10 other bytes,`,
    );
    const streamed = execFileSync('sh', ['-c', `cat "${path}" | bsdtar -tf -`], { encoding: 'utf8' });
    expect(streamed).toContain('hidden.exe');
    // A central record's signature first: bsdtar stops there, and lists nothing after it.
    const stopped = save(dir, 'unlisted-after-stop.zip', junk(Buffer.from('JUNK-PK\x01\x02!', 'latin1')));
    expect((await walk(stopped)).notices).toEqual([]);
    const none = execFileSync('sh', ['-c', `cat "${stopped}" | bsdtar -tf -`], { encoding: 'utf8' });
    expect(none).not.toContain('hidden.exe');
  });

  it('make an archive whose end record lists no entry at all cut short, its entries read from the start', async () => {
    // What a writer that died before its directory leaves, an empty end record added: streaming readers
    // still list every file. The end record is not the archive's: it was cut short (see salvage.test.ts).
    const one = rawZip([item('Candidate_1/Public/a.pdf', '%PDF-a')]);
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    const path = save(
      dir,
      'no-directory.zip',
      Buffer.concat([one.subarray(0, headers(one)[0]!.central), end]),
    );
    const error = await walk(path).catch((e) => e);
    expect(error).toMatchObject({ code: 'ZIP_TRUNCATED' });
    expect(error.message).toContain('its end record (at byte 60) lists no entry, yet entries start the file');
    const archive = await openZip(path, { truncated: 'salvage' });
    const names: string[] = [];
    for await (const entry of archive.entries()) {
      names.push(entry.name);
      await archive.verify(entry);
    }
    await archive.close();
    expect(names).toEqual(['Candidate_1/Public/a.pdf']);
    expect(archive.truncated).toMatchObject({ recovered: 1, wholeEnd: 60, size: 82 });
    const streamed = execFileSync('sh', ['-c', `cat "${path}" | bsdtar -tf -`], { encoding: 'utf8' });
    expect(streamed).toContain('a.pdf');
  });

  it('are not seen in archives whose entries follow one another, data descriptors or not', async () => {
    const streamed = await yazlZip([
      { name: 'a.txt', data: Buffer.from('a'.repeat(100)), streamed: true },
      { name: 'b.txt', data: Buffer.from('b'), streamed: true, compress: false },
      { name: 'c.txt', data: Buffer.from('c'.repeat(100)) },
    ]);
    for (const [name, bytes] of [
      ['plain.zip', three],
      ['streamed.zip', streamed],
    ] as const) {
      const path = save(dir, name, bytes);
      expect((await walk(path)).notices).toEqual([]);
      expect(new Set(await readEach(path)).size).toBeGreaterThan(0);
    }
  });
});
