// A table's CSV file (an extracted export) that changes while it is read, as one still being copied or
// downloaded, or rewritten by a sync client, does: its rows may be incomplete or mixed, so the table is
// told changed (TABLE_CHANGED, a refusal) rather than read as fewer rows and no problem at all.
import { appendFileSync, renameSync, symlinkSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Problem } from '@talent-export/export';
import { guideFile, SCHEMAS, TABLE_NAMES } from '@talent-export/schema';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Export, loadBuilt, type Pipeline, tempDir } from './test-export.js';

let pipeline: Pipeline;
let exp: Export;

beforeAll(async () => {
  ({ pipeline, exp } = await loadBuilt());
});

const HEADER = SCHEMAS.messages.fields.map((f) => f.name).join(',');
/** A row of Messages.csv, each the same length: a cut at a multiple of it from the header's end is at a line end. */
const row = (k: number) =>
  `${String(k).padStart(7, '0')},1,${String(k).padStart(7, '0')},,Subject ${k % 10},Body text of message,INMAIL\r\n`;

/** An extracted export: every table's header, and Messages.csv with `rows` rows. */
function extracted(rows: number): { dir: string; messages: string; lineEnd: (rows: number) => number } {
  const dir = tempDir('changed-');
  for (const table of TABLE_NAMES) {
    const header = SCHEMAS[table].fields.map((f) => f.name).join(',');
    if (table !== 'messages') writeFileSync(join(dir, guideFile(table)), `${header}\r\n`);
  }
  const head = `${HEADER}\r\n`;
  const body = Array.from({ length: rows }, (_, k) => row(k)).join('');
  const messages = join(dir, guideFile('messages'));
  writeFileSync(messages, head + body);
  return { dir, messages, lineEnd: (n) => head.length + n * row(0).length };
}

/**
 * The messages table read (in `passes` runs of one opened export), `change` called once, as the first
 * bytes of the table were read in the first run (or between runs, when `between`).
 */
async function read(
  dir: string,
  options: { change?: () => void; threads?: number; passes?: number; between?: boolean } = {},
): Promise<{ problems: Problem[]; rows: number[] }> {
  const ex = await exp.openExport(dir);
  let changed = false;
  const change = () => {
    if (changed || options.change === undefined) return;
    changed = true;
    options.change();
  };
  const problems: Problem[] = [];
  const rows: number[] = [];
  try {
    for (let pass = 0; pass < (options.passes ?? 1); pass++) {
      if (pass > 0 && options.between) change();
      const outcome = await pipeline.readTables(
        ex,
        ['messages'],
        {},
        {
          threads: options.threads ?? 1,
          // As the commands read: a table that fails is a problem of the run, which goes on.
          failFast: false,
          onProgress: (event) => {
            if (event.phase === 'update' && !options.between) change();
          },
        },
      );
      problems.push(...outcome.problems.filter((p) => p.severity === 'problem'));
      rows.push(outcome.tables.messages!.rows);
    }
  } finally {
    await ex.close();
  }
  return { problems, rows };
}

/** The one problem expected: TABLE_CHANGED, a refusal, naming the file and what happened, no row's text. */
function expectChanged(problems: Problem[], what: RegExp): void {
  expect(problems.map((p) => p.code)).toEqual(['TABLE_CHANGED']);
  const [told] = problems;
  expect(told).toMatchObject({ severity: 'problem', refused: true, file: 'Messages.csv' });
  expect(told!.message).toMatch(
    /^messages: the rows read from Messages\.csv may be incomplete or mixed: the file changed while it was being read \(.*\); run again once nothing writes to it \(a copy, download or sync still going on\)$/,
  );
  expect(told!.message).toMatch(what);
  expect(told!.message).not.toMatch(/Subject|Body text|INMAIL/);
}

describe('a table file that changes while it is read', () => {
  // 40,000 rows, ~2.5 MB: read in several reads of 1 MB, cut into slices for threads.
  const ROWS = 40_000;

  it('cut short at a line end: told, not read as fewer rows', async () => {
    for (const threads of [1, 3]) {
      const { dir, messages, lineEnd } = extracted(ROWS);
      const { problems } = await read(dir, {
        threads,
        change: () => truncateSync(messages, lineEnd(ROWS / 2)),
      });
      expectChanged(problems, /\d+ bytes were read of the \d+ it held|it held \d+ bytes, then \d+/);
    }
  });

  it('cut short at a line end once its bytes were all read (a small table): told', async () => {
    const { dir, messages, lineEnd } = extracted(10);
    const { problems } = await read(dir, { change: () => truncateSync(messages, lineEnd(5)) });
    expectChanged(problems, /it held \d+ bytes, then \d+/);
  });

  it('stops a run that fails fast (the default) with a coded error of the input', async () => {
    const { dir, messages, lineEnd } = extracted(10);
    const ex = await exp.openExport(dir);
    try {
      const onProgress = () => truncateSync(messages, lineEnd(5));
      await expect(pipeline.readTables(ex, ['messages'], {}, { onProgress })).rejects.toMatchObject({
        code: 'EXPORT_TABLE_CHANGED',
        kind: 'input',
        file: 'Messages.csv',
      });
    } finally {
      await ex.close();
    }
  });

  it('appended to: told', async () => {
    for (const threads of [1, 3]) {
      const { dir, messages } = extracted(ROWS);
      const { problems } = await read(dir, { threads, change: () => appendFileSync(messages, row(ROWS)) });
      expectChanged(problems, /bytes were read of the|it held \d+ bytes, then \d+/);
    }
  });

  it('rewritten in place, its size the same: told', async () => {
    const { dir, messages } = extracted(ROWS);
    const { problems } = await read(dir, {
      change: () => {
        writeFileSync(
          messages,
          `${HEADER}\r\n${Array.from({ length: ROWS }, (_, k) => row(k + 1)).join('')}`,
        );
        // A second apart, whatever the file system's clock.
        utimesSync(messages, new Date(), new Date(Date.now() + 1000));
      },
    });
    expectChanged(problems, /it was written to/);
  });

  it('replaced (a new file renamed over it) after the export was opened: told, none of it read', async () => {
    const { dir, messages } = extracted(100);
    const other = join(dir, 'new.tmp');
    writeFileSync(other, `${HEADER}\r\n${row(1)}`);
    const { problems, rows } = await read(dir, {
      change: () => renameSync(other, messages),
      passes: 2,
      between: true,
    });
    // The first run read it as listed; the second would read another file.
    expect(rows[0]).toBe(100);
    expectChanged(problems, /another file was put in its place/);
  });
});

describe('a table file that does not change', () => {
  it('read twice from one opened export, with one thread or several: nothing told', async () => {
    const { dir } = extracted(40_000);
    for (const threads of [1, 3]) {
      const { problems, rows } = await read(dir, { threads, passes: 2 });
      expect(problems).toEqual([]);
      expect(rows).toEqual([40_000, 40_000]);
    }
  });

  it('in an export folder given by a symbolic link: nothing told', async () => {
    const { dir } = extracted(1000);
    const link = join(tempDir('changed-link-'), 'export');
    symlinkSync(dir, link);
    const { problems, rows } = await read(link, { passes: 2 });
    expect(problems).toEqual([]);
    expect(rows).toEqual([1000, 1000]);
  });

  it('touched by another reader only (opened, read): nothing told', async () => {
    const { dir, messages } = extracted(1000);
    const { readFileSync } = await import('node:fs');
    const { problems } = await read(dir, { change: () => readFileSync(messages) });
    expect(problems).toEqual([]);
  });
});
