import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openExport } from '@talent-export/export';
import { generateExport } from '@talent-export/sample';
import { decodeTable, TABLE_NAMES, type TypedRecord } from '@talent-export/schema';
import { afterAll, describe, expect, it } from 'vitest';

const work = mkdtempSync(join(tmpdir(), 'talent-export-truth-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function decodeAll(dir: string): Promise<Record<string, TypedRecord[]>> {
  const ex = await openExport(dir);
  try {
    const out: Record<string, TypedRecord[]> = {};
    for (const table of TABLE_NAMES) {
      const records: TypedRecord[] = [];
      for await (const item of decodeTable(table, await ex.openTable(table))) {
        if (item.kind === 'reject')
          throw new Error(`${table}: unexpected reject ${JSON.stringify(item.reject)}`);
        records.push(item.record);
      }
      out[table] = records;
    }
    return out;
  } finally {
    await ex.close();
  }
}

// The generator writes the typed records it meant; the decoder must find exactly those in the CSV bytes.
describe.each([
  { name: 'edge cases, Contract folder', edgeCases: true, flat: false, seed: 11 },
  { name: 'plain, flat', edgeCases: false, flat: true, seed: 12 },
])('every table decodes to the ground truth ($name)', ({ edgeCases, flat, seed, name }) => {
  it('record for record', async () => {
    const dir = join(work, name.replace(/\W+/g, '-'));
    await generateExport({
      dir,
      seed,
      candidates: 150,
      edgeCases,
      flat,
      truthRecords: true,
      attachmentsMb: 1,
    });
    const decoded = await decodeAll(dir);
    for (const table of TABLE_NAMES) {
      const expected = readFileSync(join(`${dir}.truth`, 'records', `${table}.ndjson`), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as TypedRecord);
      expect([table, decoded[table]!.length]).toEqual([table, expected.length]);
      expect(expected.length).toBeGreaterThan(0);
      decoded[table]!.forEach((record, i) => {
        expect({ table, row: i + 1, record }).toEqual({ table, row: i + 1, record: expected[i] });
      });
    }
  });
});
