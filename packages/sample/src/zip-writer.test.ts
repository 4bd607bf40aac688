import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { scratchDir, unzipList, unzipTest } from './testing/helpers.js';
import { updateCrc, ZipWriter } from './zip-writer.js';

const scratch = scratchDir();
afterAll(() => scratch.remove());

const python = (code: string, ...args: string[]) =>
  JSON.parse(execFileSync('python3', ['-c', code, ...args], { encoding: 'utf8' }));

const ZIP64_END = Buffer.from([0x50, 0x4b, 0x06, 0x06]);

describe('ZipWriter', () => {
  it('writes stored and deflated entries that Python and Info-ZIP read back exactly', async () => {
    const path = join(scratch.root, 'small.zip');
    const zip = await ZipWriter.create(path);
    const text = Buffer.from('candidate_id,first_name\n1,Zoë\n'.repeat(50));
    const data = join(scratch.root, 'deflated.bin');
    writeFileSync(data, deflateRawSync(text));
    const deflated = readFileSync(data);
    await zip.addPrepared(
      'Contract_1/Candidate.csv',
      'deflate',
      updateCrc(0, text),
      deflated.length,
      text.length,
      data,
    );
    await zip.addStored('Attachments_1-1/Candidate_1/Public/empty.txt', 0, async () => {});
    await zip.addStored('Attachments_1-1/Candidate_1/Public/Zoë O’Brien.pdf', 5, async (emit) => {
      await emit(Buffer.from('%PD'));
      await emit(Buffer.from('F-'));
    });
    const stats = await zip.close();
    unzipTest(path);
    expect(unzipList(path)).toHaveLength(3);
    const seen = python(
      'import zipfile,sys,json; z=zipfile.ZipFile(sys.argv[1]); print(json.dumps([[i.filename,i.compress_type,i.file_size,z.read(i).decode()] for i in z.infolist()]))',
      path,
    );
    expect(seen).toEqual([
      ['Contract_1/Candidate.csv', 8, text.length, text.toString()],
      ['Attachments_1-1/Candidate_1/Public/empty.txt', 0, 0, ''],
      ['Attachments_1-1/Candidate_1/Public/Zoë O’Brien.pdf', 0, 5, '%PDF-'],
    ]);
    const bytes = readFileSync(path);
    expect(stats).toEqual({ entries: 3, bytes: bytes.length });
    expect(bytes.includes(ZIP64_END)).toBe(false);
  });

  it('switches to a Zip64 end record past 65534 entries', async () => {
    const path = join(scratch.root, 'many.zip');
    const zip = await ZipWriter.create(path);
    const count = 70_000;
    for (let i = 0; i < count; i++) await zip.addStored(`Candidate_${i}/Public/empty.txt`, 0, async () => {});
    await zip.close();
    const bytes = readFileSync(path);
    expect(bytes.subarray(bytes.length - 98).includes(ZIP64_END)).toBe(true);
    expect(python('import zipfile,sys; print(len(zipfile.ZipFile(sys.argv[1]).namelist()))', path)).toBe(
      count,
    );
    unzipTest(path);
  });

  it('refuses an entry whose bytes differ from its planned size', async () => {
    const zip = await ZipWriter.create(join(scratch.root, 'short.zip'));
    await expect(zip.addStored('a.pdf', 10, async (emit) => emit(Buffer.from('abc')))).rejects.toMatchObject({
      code: 'SAMPLE_INTERNAL',
    });
    await zip.discard();
  });
});
