// Local headers whose name bytes differ from the central directory's: the same name written two ways (as
// CPython's zipfile leaves an archive it appended to), or another name (two tools would see two files).
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { pythonReads, type RawItem, rawZip, save, tempDir } from './craft.test-helpers.js';
import { entryChunks, openZip } from './index.js';

const dir = tempDir();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cv = Buffer.from('%PDF-1.4 resume\n'.repeat(40));

/** Every entry's name and text, read through a stream and verify(); refusals as [code, entry]. */
async function readAll(path: string) {
  const archive = await openZip(path, { onRefused: 'skip' });
  const contents: Record<string, string> = {};
  const failed: [string, string][] = [];
  for await (const entry of archive.entries()) {
    try {
      await archive.verify(entry);
      const chunks: Buffer[] = [];
      for await (const chunk of entryChunks(archive, entry)) chunks.push(chunk);
      contents[entry.name] = Buffer.concat(chunks).toString();
    } catch (error) {
      failed.push([(error as { code: string }).code, entry.name]);
    }
  }
  await archive.close();
  return { contents, failed };
}

describe('local header names that differ from the central ones in their bytes', () => {
  it('reads an archive CPython appended to, whose central names it flagged UTF-8 and local ones it left', async (context) => {
    // UTF-8 names without the flag, as macOS and Info-ZIP write them; CPython reads them as CP437 and, on
    // append, writes that reading to the central directory as flagged UTF-8.
    const items: RawItem[] = [
      { name: Buffer.from('Candidate_1/Public/Núñez_CV.pdf'), data: cv },
      { name: Buffer.from('Candidate_1/Private/empty.txt'), data: Buffer.alloc(0) },
    ];
    const path = save(dir, 'appended.zip', rawZip(items));
    const script =
      "import sys, zipfile\nzipfile.ZipFile(sys.argv[1], 'a').writestr('Candidate_2/Public/cv.pdf', 'x')";
    const appended = spawnSync('python3', ['-c', script, path]);
    if (appended.error !== undefined || appended.status !== 0) {
      console.warn('python3: CPython is not installed; an archive it appended to is not checked');
      context.skip();
    }
    const zip = readFileSync(path);
    // The fixture is what it claims: local bytes unchanged, central ones rewritten, CPython reads it.
    expect(zip.indexOf(Buffer.from('Núñez_CV.pdf'))).toBeGreaterThan(0);
    expect(zip.indexOf(Buffer.from('N├║├▒ez_CV.pdf'))).toBeGreaterThan(0);
    expect(pythonReads(path)).toBe(true);
    const { contents, failed } = await readAll(path);
    expect(failed).toEqual([]);
    // Named as the central directory names it (as Info-ZIP unzip does), read in full.
    expect(contents).toEqual({
      'Candidate_1/Public/N├║├▒ez_CV.pdf': cv.toString(),
      'Candidate_1/Private/empty.txt': '',
      'Candidate_2/Public/cv.pdf': 'x',
    });
  });

  it('still refuses a local header naming another file', async () => {
    const zip = rawZip([{ name: Buffer.from('Candidate_1/Public/a.pdf'), data: cv }]);
    // The central directory's copy of the name, after the local one.
    const central = zip.lastIndexOf(Buffer.from('Candidate_1/Public/a.pdf'));
    zip.write('b', central + 'Candidate_1/Public/'.length, 'latin1');
    const { failed } = await readAll(save(dir, 'other name.zip', zip));
    expect(failed).toEqual([['ZIP_CORRUPT', 'Candidate_1/Public/b.pdf']]);
  });

  it('still refuses a local name that differs in a separator or a dot, read any way', async () => {
    const zip = rawZip([{ name: Buffer.from('Candidate_1/Public/x.pdf'), data: cv }]);
    const local = zip.indexOf(Buffer.from('Candidate_1/Public/x.pdf'));
    zip.write('\\', local + 'Candidate_1/Public'.length, 'latin1');
    const { failed } = await readAll(save(dir, 'separator.zip', zip));
    expect(failed).toEqual([['ZIP_CORRUPT', 'Candidate_1/Public/x.pdf']]);
  });

  it('refuses a local Unicode Path field naming another file, and reads one naming the same', async () => {
    const field = (raw: Buffer, name: string) => {
      const data = Buffer.concat([Buffer.from([1, 0, 0, 0, 0]), Buffer.from(name)]);
      data.writeUInt32LE(crc32(raw), 1);
      const head = Buffer.alloc(4);
      head.writeUInt16LE(0x7075, 0);
      head.writeUInt16LE(data.length, 2);
      return Buffer.concat([head, data]);
    };
    /** An archive whose local header alone carries `extra`, as bsdtar reads local headers. */
    const localOnly = (raw: Buffer, extra: Buffer) => {
      const zip = rawZip([{ name: raw, data: cv }]);
      const local = Buffer.from(zip.subarray(0, 30));
      local.writeUInt16LE(extra.length, 28);
      const rest = zip.subarray(30 + raw.length);
      const out = Buffer.concat([local, raw, extra, rest]);
      // The central directory and the end record moved by the extra field's length.
      const end = out.length - 22;
      out.writeUInt32LE(out.readUInt32LE(end + 16) + extra.length, end + 16);
      return out;
    };
    const raw = Buffer.from('Candidate_1/Public/a.pdf');
    const other = save(dir, 'local path other.zip', localOnly(raw, field(raw, 'Candidate_2/Public/a.pdf')));
    const streamed = spawnSync('bsdtar', ['-tf', other], { encoding: 'utf8' }).stdout;
    expect(streamed.trim()).toBe('Candidate_2/Public/a.pdf');
    expect((await readAll(other)).failed).toEqual([['ZIP_CORRUPT', 'Candidate_1/Public/a.pdf']]);
    const same = save(dir, 'local path same.zip', localOnly(raw, field(raw, 'Candidate_1/Public/a.pdf')));
    expect((await readAll(same)).failed).toEqual([]);
  });
});
