// The words of named columns are hashed where rows are decoded (worker threads included): the hashes are
// those of every decoded row's words whatever the threads, and a WordFilter of them never says no to one.
import { TABLE_NAMES, type TableName, withoutControls } from '@talent-export/schema';
import { beforeAll, describe, expect, it } from 'vitest';
import { bigExport, type Export, loadBuilt, type Pipeline } from './test-export.js';
import { addNameWords, WordFilter, wordsOf } from './words.js';

let pipeline: Pipeline;
let exp: Export;
let dir: string;

beforeAll(async () => {
  ({ pipeline, exp } = await loadBuilt());
  dir = await bigExport();
}, 120_000);

const COLUMNS: Partial<Record<TableName, string[]>> = {
  candidates: ['first_name', 'last_name'],
  messages: ['subject'],
};

describe('ReadOptions.words', () => {
  it("gives the hashes of every decoded row's words, the same whatever the threads", async () => {
    // What the rows hold, read as records.
    const want = new Map<string, Set<number>>();
    let ex = await exp.openExport(dir);
    try {
      const run = pipeline.readBatches(ex, ['candidates', 'messages'], { columns: COLUMNS });
      for await (const batch of run) {
        if (batch.kind !== 'records') continue;
        const into = want.get(batch.table) ?? new Set<number>();
        want.set(batch.table, into);
        for (const record of batch.records)
          for (const column of COLUMNS[batch.table as TableName]!) addNameWords(record[column], into);
      }
      await run.outcome;
    } finally {
      await ex.close();
    }
    expect(want.get('candidates')!.size).toBeGreaterThan(20);
    expect(want.get('messages')!.size).toBeGreaterThan(5);
    for (const threads of [1, 2, 3]) {
      const got = new Map<string, Set<number>>();
      let calls = 0;
      ex = await exp.openExport(dir);
      try {
        const words = (table: TableName, hashes: Iterable<number>) => {
          calls += 1;
          const into = got.get(table) ?? new Set<number>();
          got.set(table, into);
          for (const hash of hashes) into.add(hash);
        };
        await pipeline.readTables(ex, TABLE_NAMES, { words }, { threads, words: COLUMNS });
      } finally {
        await ex.close();
      }
      expect(got, `threads ${threads}`).toEqual(want);
      // The sliced table's hashes came slice by slice.
      if (threads > 1) expect(calls).toBeGreaterThan(3);
    }
  }, 120_000);

  it('a filter of the hashes says yes to every word added, no to nearly all others', () => {
    const names = ['Zoë Nguyễn', 'Mary-Jane O’Neil', 'Wether\u0000spoon', 'Ingrid Solberg-Lund', 'Li'];
    const hashes = new Set<number>();
    for (const name of names) addNameWords(name, hashes);
    const filter = new WordFilter();
    filter.addHashes(hashes);
    for (const name of names)
      for (const word of wordsOf(withoutControls(name))) expect(filter.mayHold(word)).toBe(true);
    // Accents and case left out, controls too; a word of one letter is none.
    for (const word of ['zoe', 'nguyen', 'wetherspoon', 'lund']) expect(filter.mayHold(word)).toBe(true);
    for (const word of ['wether', 'spoon', 'jan']) expect(filter.mayHold(word)).toBe(false);
    let yes = 0;
    for (let i = 0; i < 10_000; i++) if (filter.mayHold(`word${i}`)) yes += 1;
    expect(yes).toBeLessThan(10);
  });
});
