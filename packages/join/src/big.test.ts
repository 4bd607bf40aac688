// One candidate with far more rows than a partition holds (a recruiter's years of messages): its rows are
// sorted on disk and merged, and its document is the one the rows held in memory give.
import { execFileSync, spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { openExport } from '@talent-export/export';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLE_LIMITS } from './big.js';
import { joinExport } from './join.js';
import { bundleCandidates, type SubjectsProgress } from './subjects.js';

/** Messages of candidate 7: about 6 MB of NDJSON, over 60 times a piece of a 64 KiB partition. */
const MANY = 40_000;

let work: string;
let dir: string;

/** Ids 0..n-1 in an order of their own (a fixed-seed shuffle), as an export's rows need not be sorted. */
function shuffled(n: number): number[] {
  const ids = Array.from({ length: n }, (_, i) => i);
  let seed = 12345;
  for (let i = n - 1; i > 0; i--) {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    const j = seed % (i + 1);
    [ids[i], ids[j]] = [ids[j]!, ids[i]!];
  }
  return ids;
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'join-big-'));
  dir = join(work, 'extracted');
  mkdirSync(dir);
  const candidates = ['candidate_id,first_name,emails,project_id'];
  for (let c = 1; c <= 40; c++) candidates.push(`${c},Name${c},n${c}@example.com,p${c % 3}`);
  // Candidate 7 on a second project, with another email: kept on that project's entry.
  candidates.push('7,Name7,other7@example.com,p2');
  writeFileSync(join(dir, 'Candidate.csv'), `${candidates.join('\n')}\n`);
  writeFileSync(join(dir, 'Projects.csv'), 'project_id,project_name\np0,Zero\np1,One\np2,Two\n');
  // An extra column headed by what may be a person's name: documents show it as "column 8".
  const messages = ['message_id,project_id,candidate_id,sender_profile_url,subject,body,type,Ana Lima'];
  for (let c = 1; c <= 40; c++) messages.push(`m${c},p1,${c},,Hello ${c},"Body, ${c}",InMail,x`);
  const body = 'A long message about the role, the team and the next steps. '.repeat(2);
  for (const i of shuffled(MANY)) {
    messages.push(`${1_000_000 + i},p${i % 4},7,,Subject ${i},"${body}${i}",InMail,v${i % 5}`);
    // Some rows twice, exactly alike: a ROWS_DUPLICATE notice counts them.
    if (i % 1000 === 0)
      messages.push(`${1_000_000 + i},p${i % 4},7,,Subject ${i},"${body}${i}",InMail,v${i % 5}`);
  }
  // A row bigger than a run's buffer is a run of its own.
  messages.push(`1020000,p1,7,,Long,"${'x'.repeat(150_000)}",InMail,`);
  // Candidate 500 is in no row of Candidate.csv: its messages are orphans, and a bundle asked for it says so.
  for (let i = 0; i < 2000; i++) messages.push(`o${i},p1,500,,Lost ${i},"${body}",InMail,`);
  // A digit id sorts before a bigger one however long, an id of letters after every digit id.
  messages.push('7,,7,,Short id,"",InMail,');
  writeFileSync(join(dir, 'Messages.csv'), `${messages.join('\n')}\n`);
  writeFileSync(
    join(dir, 'Notes.csv'),
    `note_id,project_id,candidate_id,note,author\n${shuffled(500)
      .map((i) => `n${i},p1,7,Note ${i},a`)
      .join('\n')}\nn1,p1,8,Note,a\n`,
  );
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

async function join_(out: string, partitionBytes?: number) {
  const ex = await openExport(dir);
  try {
    return await joinExport(ex, { out, ...(partitionBytes ? { partitionBytes } : {}) });
  } finally {
    await ex.close();
  }
}

describe('a candidate with more rows than a piece of a partition holds', () => {
  it('gets the document its rows held in memory give, byte for byte, sorted on disk', async () => {
    const whole = await join_(join(work, 'whole'));
    const runs = await join_(join(work, 'runs'), 64 * 1024);
    for (const file of ['candidates.ndjson', 'orphans.ndjson'])
      expect(readFileSync(join(work, 'runs', file)).equals(readFileSync(join(work, 'whole', file)))).toBe(
        true,
      );
    expect(runs.tables).toEqual(whole.tables);
    expect(runs.problems).toEqual(whole.problems);
    expect(runs.problems.find((p) => p.code === 'ROWS_DUPLICATE')?.message).toContain('messages: 40');
    const docs = readFileSync(join(work, 'runs', 'candidates.ndjson'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const seven = docs.find((d) => d.candidate_id === '7')!;
    const messages = seven.messages as Record<string, unknown>[];
    expect(messages).toHaveLength(MANY + 40 + 3);
    const ids = messages.map((m) => m.message_id);
    expect(ids.slice(0, 3)).toEqual(['7', '1000000', '1000000']);
    expect(ids.slice(-2)).toEqual(['1039999', 'm7']);
    expect(messages[1]).toHaveProperty('column 8', 'v0');
    expect(messages[1]).not.toHaveProperty('Ana Lima');
    expect((seven.notes as unknown[]).length).toBe(500);
    expect((seven.projects as { emails?: string[] }[])[1]!.emails).toEqual(['other7@example.com']);
    expect(docs).toHaveLength(40);
  });

  it('merges hundreds of runs a few dozen at a time into the same document', async () => {
    const whole = join(work, 'whole');
    if (!existsSync(join(whole, 'candidates.ndjson'))) await join_(whole);
    // Pieces of 2 KiB: the candidate's rows are sorted in ~1,000 runs, more than FAN_IN merged at once.
    await join_(join(work, 'many-runs'), 2048);
    for (const file of ['candidates.ndjson', 'orphans.ndjson'])
      expect(readFileSync(join(work, 'many-runs', file)).equals(readFileSync(join(whole, file)))).toBe(true);
  });

  it('is joined without a buffer of its rows: under 8 MB of buffers held, where they loaded whole held 26 MB', () => {
    // Run alone, so that no other test's buffers count: the most ArrayBuffer memory held (after a full
    // collection) between partitions of the documents; the rest of the join holds about 4 MB.
    const resolve = createRequire(import.meta.url).resolve;
    const main = `import { openExport } from ${JSON.stringify(resolve('@talent-export/export'))};
import { joinExport } from ${JSON.stringify(fileURLToPath(new URL('../dist/index.js', import.meta.url)))};
const ex = await openExport(${JSON.stringify(dir)});
let most = 0;
const onProgress = (p) => {
  if (p.phase !== 'documents') return;
  globalThis.gc();
  globalThis.gc();
  most = Math.max(most, process.memoryUsage().arrayBuffers);
};
await joinExport(ex, { out: ${JSON.stringify(join(work, 'measured'))}, partitionBytes: 65536, onProgress });
await ex.close();
console.log(most);`;
    writeFileSync(join(work, 'main.mjs'), main);
    const run = spawnSync(process.execPath, ['--expose-gc', 'main.mjs'], { cwd: work, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(Number(run.stdout)).toBeLessThan(8 * 1024 * 1024);
  });
});

/**
 * Full collections, for memory held (not garbage waiting) to be measured in this process: twice, as the
 * buffers a collection frees may be swept on another thread after it returns, which the next one waits for.
 */
setFlagsFromString('--expose-gc');
const collect = runInNewContext('gc') as () => void;
const gc = () => {
  collect();
  collect();
};

async function bundle(
  out: string,
  bytes: number | undefined,
  onProgress?: (p: SubjectsProgress) => void,
  from = dir,
) {
  const saved = BUNDLE_LIMITS.bytes;
  if (bytes !== undefined) BUNDLE_LIMITS.bytes = bytes;
  const ex = await openExport(from);
  try {
    return await bundleCandidates(ex, {
      out,
      candidates: ['7', '8', '99', '500'],
      ...(onProgress ? { onProgress } : {}),
    });
  } finally {
    BUNDLE_LIMITS.bytes = saved;
    await ex.close();
  }
}

/** Each entry of a zip archive: name -> sha256 of its bytes (Python's zipfile, checking each CRC). */
const entries = (path: string): Record<string, string> =>
  JSON.parse(
    execFileSync(
      'python3',
      [
        '-c',
        'import hashlib, json, sys, zipfile\nz = zipfile.ZipFile(sys.argv[1])\nprint(json.dumps({n: hashlib.sha256(z.read(n)).hexdigest() for n in z.namelist()}))',
        path,
      ],
      { encoding: 'utf8' },
    ),
  );

describe('a bundle of a candidate with more rows than a bundle loads at once', () => {
  it('holds the same files, candidate.json indented as a parse would indent it, the rows sorted on disk', async () => {
    const whole = await bundle(join(work, 'bundles-whole'), undefined);
    const pieces = await bundle(join(work, 'bundles-pieces'), 64 * 1024);
    expect(pieces.bundles.map((b) => b.rows)).toEqual(whole.bundles.map((b) => b.rows));
    expect(pieces.bundles[0]!.rows.messages).toBe(MANY + 40 + 3);
    expect(pieces.unknown).toEqual(['99', '500']);
    expect(pieces.problems.find((p) => p.code === 'CANDIDATE_UNKNOWN')?.message).toContain('messages: 2000');
    expect(pieces.problems).toEqual(whole.problems);
    for (const id of ['7', '8']) {
      const name = `Candidate_${id}.zip`;
      expect(entries(join(work, 'bundles-pieces', name))).toEqual(entries(join(work, 'bundles-whole', name)));
    }
    const seven = join(work, 'seven');
    execFileSync('unzip', ['-q', join(work, 'bundles-pieces', 'Candidate_7.zip'), '-d', seven]);
    const document = JSON.parse(readFileSync(join(seven, 'candidate.json'), 'utf8'));
    expect(document.messages).toHaveLength(MANY + 40 + 3);
    expect(document.messages[1]).toHaveProperty('column 8', 'v0');
  });

  it("keeps a Windows export's byte order mark and CRLF line ends, the same bytes as a bundle made at once", async () => {
    const windows = join(work, 'windows');
    cpSync(dir, windows, { recursive: true });
    for (const name of readdirSync(windows)) {
      const text = readFileSync(join(windows, name), 'utf8');
      writeFileSync(join(windows, name), `\ufeff${text.replaceAll('\n', '\r\n')}`);
    }
    await bundle(join(work, 'windows-whole'), undefined, undefined, windows);
    await bundle(join(work, 'windows-pieces'), 64 * 1024, undefined, windows);
    const name = 'Candidate_7.zip';
    expect(entries(join(work, 'windows-pieces', name))).toEqual(entries(join(work, 'windows-whole', name)));
    const messages = execFileSync('unzip', ['-p', join(work, 'windows-pieces', name), 'Messages.csv'], {
      maxBuffer: 64 << 20,
    });
    expect(messages.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    // Every row ends in CRLF, none in LF alone (no value here holds a line break).
    const lines = messages.toString('latin1').split('\n');
    expect(lines.pop()).toBe('');
    expect(lines.length).toBe(MANY + 40 + 3 + 1);
    expect(lines.every((line) => line.endsWith('\r'))).toBe(true);
  });

  it('holds no buffer of its rows once its bundle is written, where its partition loaded whole held 19 MB', async () => {
    gc();
    const before = process.memoryUsage().arrayBuffers;
    let most = 0;
    await bundle(join(work, 'bundles-measured'), 64 * 1024, (p) => {
      if (p.phase !== 'bundles') return;
      gc();
      most = Math.max(most, process.memoryUsage().arrayBuffers - before);
    });
    expect(most).toBeLessThan(8 * 1024 * 1024);
  });
});
