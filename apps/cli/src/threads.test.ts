// --threads end to end on the built CLI: a Messages.csv big enough to be cut into slices (decoded by worker
// threads with --threads 3, all on one thread with --threads 1) must give byte-identical outputs and the
// same reports, rejects and orphan references included.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateExport, prng, shippedExportPath } from '@talent-export/sample';
import { createTableDecoder, SCHEMAS, type TableName } from '@talent-export/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
let work: string;
/** An extracted export whose Messages.csv is about 20 MB. */
let exportDir: string;
let messagesFile: string;
/** Rows of that Messages.csv planted with a candidate id no candidate has (and not rejected). */
let orphanCandidates: number;
/** Rows of that Messages.csv written to be rejected. */
let plantedRejects: number;
/** Rows written with a quote inside an unquoted field and nothing else wrong (read with --lenient-quotes). */
let plantedBare: number;
let projectIds: string[];
let candidateIds: string[];

function run(args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], {
    encoding: 'utf8',
    cwd: work,
    maxBuffer: 256 * 1024 * 1024,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The values of one column of a table of the export, read with the schema decoder. */
function column(file: string, table: TableName, name: string): string[] {
  const decoder = createTableDecoder(table);
  const values: string[] = [];
  for (const item of [...decoder.push(readFileSync(file)), ...decoder.end()]) {
    if (item.kind === 'record' && typeof item.record[name] === 'string') values.push(item.record[name]);
  }
  return [...new Set(values)];
}

// With bytes JSON escapes (backslash, tab, other controls) and some it does not (DEL, U+2028).
const WORDS = [
  'hello',
  'Zoë',
  'naïve',
  'café',
  '日本語',
  '😀',
  'role',
  'team',
  'offer',
  'Grüße',
  'x',
  'we',
  'a\\b',
  '\t',
  '\x01',
  '\x7f',
  '\u2028',
];

/**
 * A Messages.csv of about `bytes`: quoting of every kind, CRLF and LF, rejects and orphan references; with
 * `bare`, that share of rows also has a quote inside an unquoted field, as a sloppy export writes them.
 */
function messagesCsv(bytes: number, projects: string[], candidates: string[], bare = 0): string {
  const rng = prng(2024);
  const words = (n: number) => Array.from({ length: n }, () => rng.pick(WORDS)).join(' ');
  const quoted = (text: string) => `"${text.replaceAll('"', '""')}"`;
  const text = (n: number): string => {
    switch (rng.int(0, 5)) {
      case 0:
        return quoted(`${words(n)}, ${words(3)}`);
      case 1:
        return quoted(`${words(n)} "quoted" ${words(2)}`);
      case 2:
        return quoted(`${words(n)}\n${words(n)}\r\n\n${words(2)}`);
      default:
        return words(n);
    }
  };
  // An extra column, named so a JS object lists it first.
  const header = `${SCHEMAS.messages.fields.map((f) => f.name).join(',')},9`;
  const lines: string[] = [`\ufeff${header}\r\n`];
  let size = 0;
  orphanCandidates = 0;
  plantedRejects = 0;
  plantedBare = 0;
  // Two stray quotes, far apart, before a comma (a bare quote between text does not count): between them
  // the splitter's quote parity is wrong (slices are decoded in order on the main thread), after the
  // second one it is right again.
  const strays = [bytes * 0.3, bytes * 0.45];
  for (let i = 1; size < bytes; i++) {
    const orphan = rng.chance(0.003);
    const cells = [
      `msg-${i}`,
      rng.chance(0.002) ? 'proj-missing' : rng.pick(projects),
      orphan ? `cand-missing-${i % 17}` : rng.pick(candidates),
      rng.chance(0.1) ? '' : `https://www.linkedin.com/in/sender-${i % 50}`,
      text(rng.int(2, 6)),
      text(rng.int(20, 50)),
      rng.pick(['email', 'inmail', 'reply']),
      rng.chance(0.5) ? '' : words(1),
    ];
    // About 6 rows in 1000 are written to be rejected, in one of four ways.
    const roll = rng.int(0, 999);
    let rejected = true;
    if (strays.length > 0 && size >= strays[0]!) {
      strays.shift();
      cells[4] = `${words(2)} 27"`;
    } else if (roll < 2) cells.pop();
    else if (roll < 4) cells.push('extra');
    else if (roll < 5) cells[0] = '';
    else if (roll < 6) cells[4] = '"closed"then more';
    else rejected = false;
    if (bare > 0 && rng.chance(bare)) {
      cells[7] = `${words(1)} 27" screen`;
      if (!rejected) plantedBare += 1;
    }
    if (rejected) plantedRejects += 1;
    else if (orphan) orphanCandidates += 1;
    const line = `${cells.join(',')}${rng.chance(0.5) ? '\r\n' : '\n'}`;
    size += Buffer.byteLength(line);
    lines.push(line);
  }
  // The last row never closes its quote: it runs to the end of the table.
  lines.push(`msg-last,${projects[0]},${candidates[0]},,s,"unterminated ${words(5)}\n${words(5)}\n`);
  plantedRejects += 1;
  return lines.join('');
}

/** A report without what differs between two runs of the same input: its timing and its --out folder. */
function comparable(report: Record<string, unknown>, out?: string): unknown {
  const text = JSON.stringify(report, (key, value) => (key === 'seconds' ? undefined : value));
  return JSON.parse(out === undefined ? text : text.replaceAll(JSON.stringify(out).slice(1, -1), '<out>'));
}

interface ManifestEntry {
  path: string;
  rows: number;
  bytes: number;
  sha256: string;
}

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'talent-export-threads-'));
  const download = join(work, 'download');
  await generateExport({ dir: download, seed: 11, candidates: 150, attachmentsMb: 1, edgeCases: true });
  exportDir = join(work, 'extracted');
  for (const file of readdirSync(download).filter((f) => f.endsWith('.zip'))) {
    execFileSync('unzip', ['-q', '-o', join(download, file), '-d', exportDir]);
  }
  const contract = readdirSync(exportDir).find((f) => f.startsWith('Contract_'));
  if (contract === undefined) throw new Error('the sample export has no Contract_ folder');
  const dir = join(exportDir, contract);
  const projects = column(join(dir, 'Projects.csv'), 'projects', 'project_id');
  const candidates = column(join(dir, 'Candidate.csv'), 'candidates', 'candidate_id');
  expect(projects.length).toBeGreaterThan(0);
  expect(candidates.length).toBe(150);
  projectIds = projects;
  candidateIds = candidates;
  messagesFile = join(dir, 'Messages.csv');
  writeFileSync(messagesFile, messagesCsv(20 * 1024 * 1024, projects, candidates));
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('--threads 1 and --threads 3 give the same results', () => {
  // Without Parquet the slices are encoded by the workers (NDJSON by the decoder, from the CSV bytes); with
  // it, the tables are read on one thread.
  it.each(['ndjson', 'ndjson,csv', 'ndjson,csv,parquet'])(
    'convert --to %s: byte-identical files, same manifest and report',
    (to) => {
      const one = join(work, `out-1-${to}`);
      const three = join(work, `out-3-${to}`);
      const a = run(['convert', exportDir, '--out', one, '--to', to, '--threads', '1', '-q']);
      const b = run(['convert', exportDir, '--out', three, '--to', to, '--threads', '3', '-q']);
      expect([a.code, a.stderr]).toEqual([1, '']);
      expect([b.code, b.stderr]).toEqual([1, '']);
      const manifestOne = JSON.parse(readFileSync(join(one, 'manifest.json'), 'utf8'));
      const manifestThree = JSON.parse(readFileSync(join(three, 'manifest.json'), 'utf8'));
      const files = (m: { files: ManifestEntry[] }) =>
        m.files.map(({ path, rows, bytes, sha256 }) => ({ path, rows, bytes, sha256 }));
      expect(files(manifestThree)).toEqual(files(manifestOne));
      expect(comparable(manifestThree, three)).toEqual(comparable(manifestOne, one));
      // What the manifest says is what is on disk, in both folders.
      for (const { path, sha256: sum, bytes } of files(manifestOne)) {
        expect([path, sha256(join(one, path)), statSync(join(one, path)).size]).toEqual([path, sum, bytes]);
        expect([path, sha256(join(three, path))]).toEqual([path, sum]);
      }
      const paths = files(manifestOne).map((f) => f.path);
      const formats = to.split(',');
      for (const name of [...formats.map((f) => `messages.${f}`), 'rejects.ndjson'])
        expect(paths).toContain(name);
      const rows = Object.fromEntries(files(manifestOne).map((f) => [f.path, f.rows]));
      expect(rows['rejects.ndjson']).toBeGreaterThanOrEqual(plantedRejects);
      for (const f of formats) expect(rows[`messages.${f}`]).toBe(rows['messages.ndjson']);
      // The reports: the same apart from timing and the --out folder.
      const reportOne = JSON.parse(readFileSync(join(one, 'report.json'), 'utf8'));
      const reportThree = JSON.parse(readFileSync(join(three, 'report.json'), 'utf8'));
      expect(typeof reportOne.seconds).toBe('number');
      expect(comparable(reportThree, three)).toEqual(comparable(reportOne, one));
      expect(reportOne.tables.messages.rejected).toBe(plantedRejects);
      expect(reportOne.tables.messages.decoded).toBe(rows['messages.ndjson']);
      const orphans = reportOne.references.find((r: { check: string }) =>
        r.check.startsWith('messages.candidate_id'),
      );
      expect(orphans?.rows).toBe(orphanCandidates);
    },
  );

  it('validate --json: same JSON apart from timing, same exit code', () => {
    const a = run(['validate', exportDir, '--json', '--quiet', '--threads', '1']);
    const b = run(['validate', exportDir, '--json', '--quiet', '--threads', '3']);
    expect(a.code).toBe(1);
    expect(b.code).toBe(a.code);
    const one = JSON.parse(a.stdout);
    const three = JSON.parse(b.stdout);
    expect(comparable(three)).toEqual(comparable(one));
    expect(one.tables.messages.rejected).toBe(plantedRejects);
    expect(one.rejects.filter((r: { table: string }) => r.table === 'messages')).toHaveLength(10);
    const orphans = one.references.find((r: { check: string }) =>
      r.check.startsWith('messages.candidate_id'),
    );
    expect(orphans?.rows).toBe(orphanCandidates);
  });
  it('the same tables inflated from export.zip (copied into reused buffers): same JSON', () => {
    const zipped = join(work, 'zipped');
    mkdirSync(zipped);
    const contract = readdirSync(exportDir).find((f) => f.startsWith('Contract_'))!;
    execFileSync('zip', ['-q', '-r', join(zipped, 'export.zip'), contract], { cwd: exportDir });
    const a = run(['validate', zipped, '--json', '--quiet', '--threads', '1']);
    const b = run(['validate', zipped, '--json', '--quiet', '--threads', '3']);
    expect([a.code, b.code]).toEqual([1, 1]);
    const one = JSON.parse(a.stdout);
    expect(comparable(JSON.parse(b.stdout))).toEqual(comparable(one));
    expect(one.tables.messages.source).toMatch(/export\.zip:Contract_.*\/Messages\.csv$/);
    expect(one.tables.messages.rejected).toBe(plantedRejects);
  });
});

describe('--lenient-quotes with --threads 3', () => {
  it('bare quotes all through a big table: the files, counts and notice of --threads 1', async () => {
    const dir = join(work, 'sloppy');
    cpSync(exportDir, dir, { recursive: true });
    const contract = readdirSync(dir).find((f) => f.startsWith('Contract_'))!;
    writeFileSync(
      join(dir, contract, 'Messages.csv'),
      messagesCsv(12 * 1024 * 1024, projectIds, candidateIds, 0.01),
    );
    // The two stray quotes (27") of the rows planted as rejects are read as text too.
    const lenient = plantedBare + 2;
    expect(plantedBare).toBeGreaterThan(100);
    const outs = ['1', '3'].map((threads) => {
      const out = join(work, `out-sloppy-${threads}`);
      const args = ['--out', out, '--to', 'ndjson,csv', '--threads', threads, '--lenient-quotes', '-q'];
      const r = run(['convert', dir, ...args]);
      expect([r.code, r.stderr]).toEqual([1, '']);
      return out;
    });
    const [one, three] = outs as [string, string];
    const manifest = (out: string) => JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(comparable(manifest(three), three)).toEqual(comparable(manifest(one), one));
    for (const { path } of manifest(one).files as ManifestEntry[])
      expect([path, sha256(join(three, path))]).toEqual([path, sha256(join(one, path))]);
    const report = (out: string) => JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    expect(comparable(report(three), three)).toEqual(comparable(report(one), one));
    expect(report(one).tables.messages).toMatchObject({
      rejected: plantedRejects - 2,
      lenientQuotes: lenient,
    });
    const notice = report(three).notices.find((n: { code: string }) => n.code === 'QUOTES_LENIENT');
    expect(notice.message).toMatch(new RegExp(`^messages: ${lenient} row\\(s\\) read with a quote`));
    // Strict, the same rows are rejected, on one thread or three.
    const strict = ['1', '3'].map((threads) => {
      const r = run(['validate', dir, '--json', '--quiet', '--threads', threads]);
      return JSON.parse(r.stdout).tables.messages;
    });
    expect(strict[1]).toEqual(strict[0]);
    expect(strict[0]).toMatchObject({ rejected: plantedRejects + plantedBare });
    expect(strict[0].lenientQuotes).toBeUndefined();
  });
});

describe('--threads usage', () => {
  it.each([
    ['convert', '0', /--threads must be at least 1/],
    ['convert', 'x', /--threads wants a whole number, got "x"/],
    ['validate', '0', /--threads must be at least 1/],
    ['validate', 'x', /--threads wants a whole number, got "x"/],
    ['convert', '-1', /--threads/],
    ['validate', '2.5', /--threads wants a whole number/],
  ])('%s --threads %s is a usage error (exit 2) with a one-line message', (command, value, message) => {
    const out = join(work, `out-usage-${command}-${value}`);
    const args = command === 'convert' ? ['--out', out] : [];
    const r = run([command, exportDir, ...args, `--threads=${value}`]);
    expect(r.code).toBe(2);
    const [first, ...rest] = r.stderr.trim().split('\n');
    expect(first).toMatch(new RegExp(`^talent-export ${command}: CLI_USAGE: `));
    expect(first).toMatch(message);
    expect(rest.filter((l) => l.trim() !== '' && !l.startsWith('Try '))).toEqual([]);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  // Bug: threadCount() runs only once readTables is called, after the input is opened (and, for convert,
  // after the --out folder is created); every other bad value (--to, --max-record-mb, ...) is refused first.
  it('--threads 0 is a usage error (exit 2) even when the export is missing, like --max-record-mb 0', () => {
    const missing = join(work, 'no-such-export');
    expect(run(['validate', missing, '--max-record-mb', '0']).code).toBe(2);
    expect(run(['convert', missing, '--out', join(work, 'out-x'), '--max-record-mb', '0']).code).toBe(2);
    for (const command of ['inspect', 'validate'])
      expect(run([command, missing, '--threads', '0']).code).toBe(2);
    expect(run(['convert', missing, '--out', join(work, 'out-x'), '--threads', '0']).code).toBe(2);
  });

  it('convert --threads 0 creates no --out folder (as --to xml does not)', () => {
    const refused = join(work, 'out-refused-to');
    expect(run(['convert', exportDir, '--out', refused, '--to', 'xml']).code).toBe(2);
    expect(existsSync(refused)).toBe(false);
    const out = join(work, 'out-refused-threads');
    expect(run(['convert', exportDir, '--out', out, '--threads', '0']).code).toBe(2);
    expect(existsSync(out)).toBe(false);
  });

  it('--threads 1000 is lowered to what the machine can use, said on stderr (not with -q)', () => {
    const sample = shippedExportPath();
    const one = run(['validate', sample, '--json', '-q', '--threads', '1']);
    const many = run(['validate', sample, '--json', '--threads', '1000']);
    expect(many.code).toBe(one.code);
    expect(many.stderr).toMatch(/^--threads 1000: this machine has \d+ CPU\(s\); using \d+ threads$/m);
    const used = Number(/using (\d+) threads/.exec(many.stderr)?.[1]);
    expect(used).toBeGreaterThanOrEqual(4);
    expect(used).toBeLessThan(1000);
    const quiet = run(['validate', sample, '--json', '-q', '--threads', '1000']);
    expect([quiet.code, quiet.stderr]).toEqual([one.code, '']);
  });

  it.each(['convert', 'validate'])('%s --help documents --threads', (command) => {
    const r = run([command, '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\s+--threads N\s+\S/m);
  });
});
