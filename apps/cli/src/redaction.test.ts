// `convert --policy`: redaction end to end through the CLI on a generated export and its ground truth.
import { execFileSync, spawnSync } from 'node:child_process';
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  watch,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateExport } from '@talent-export/sample';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repeatRows, rewriteExport } from './report.fixture.js';

const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
let work: string;
let download: string;
const hex = '5e'.repeat(8) + 'a7'.repeat(24);

function run(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [bin, ...args], {
    encoding: 'utf8',
    cwd: work,
    env: { ...process.env, ...env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Every output file's text, by name. */
const files = (dir: string) =>
  Object.fromEntries(readdirSync(dir).map((name) => [name, readFileSync(join(dir, name), 'utf8')]));

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'talent-export-redact-'));
  download = join(work, 'download');
  await generateExport({ dir: download, seed: 5, candidates: 80, attachmentsMb: 1, edgeCases: true });
  writeFileSync(join(work, 'key'), hex);
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A CSV with one more column, `header`, holding `value` in every row (Python's csv, quoted fields kept). */
function addColumn(csv: Buffer, header: string, value: string): Buffer {
  const script = `
import csv, io, sys
rows = list(csv.reader(io.StringIO(sys.stdin.buffer.read().decode('utf-8-sig'), newline='')))
out = io.StringIO(newline='')
w = csv.writer(out, lineterminator='\\n')
w.writerow(rows[0] + [sys.argv[1]])
for row in rows[1:]: w.writerow(row + [sys.argv[2]])
sys.stdout.buffer.write(out.getvalue().encode('utf-8'))
`;
  return execFileSync('python3', ['-c', script, header, value], { input: csv, maxBuffer: 1 << 28 });
}

describe('convert --policy', () => {
  it("scrubs the headers of extra columns: a column headed with a candidate's name, on every thread", async () => {
    // A last name of the export's, as a header of an extra column of a table big enough for worker threads.
    const pii = readFileSync(`${download}.truth/pii.txt`, 'utf8').split('\n');
    const name = pii.find((value) => /^\p{Lu}\p{Ll}{4,}$/u.test(value))!;
    const header = `${name} notes`;
    const zip = await rewriteExport(download, join(work, 'extra'), (table, csv) =>
      table === 'messages' ? addColumn(repeatRows(csv, 160), header, 'x') : csv,
    );
    const outputs = [1, 3].map((threads) => {
      const out = join(work, `extra-${threads}`);
      const args = [
        'convert',
        zip,
        '--out',
        out,
        '--to',
        'ndjson',
        '--policy',
        'default',
        '--threads',
        String(threads),
        '-q',
      ];
      expect(run([...args, '--key-file', 'key']).code).toBe(1);
      return files(out);
    });
    for (const [file, text] of Object.entries(outputs[1]!))
      expect([file, text.toLowerCase().includes(name.toLowerCase())]).toEqual([file, false]);
    const line = JSON.parse(outputs[1]!['messages.ndjson']!.split('\n')[0]!);
    // Scrubbed to "[PERSON] notes", no plausible column name: named by its place.
    expect(Object.keys(line).at(-1)).toMatch(/^column \d+$/);
    expect(outputs[1]!['messages.ndjson']).toBe(outputs[0]!['messages.ndjson']);
    // Without a policy the header is the export's.
    const plain = join(work, 'extra-plain');
    run(['convert', zip, '--out', plain, '--to', 'ndjson', '-q']);
    expect(Object.keys(JSON.parse(files(plain)['messages.ndjson']!.split('\n')[0]!)).at(-1)).toBe(header);
  }, 120_000);

  it("names an extra column by its place when its header is no plausible name, but keeps the policy's own", async () => {
    const zip = await rewriteExport(download, join(work, 'strangers'), (table, csv) =>
      table === 'notes'
        ? addColumn(addColumn(csv, 'Recruiter Notes', 'kept'), 'Zbigniew Secretname', 'z')
        : csv,
    );
    writeFileSync(join(work, 'keep-notes.yaml'), 'extra_columns:\n  notes:\n    Recruiter Notes: keep\n');
    const out = join(work, 'strangers-out');
    const args = ['convert', zip, '--out', out, '--to', 'ndjson', '--tables', 'notes', '-q'];
    run([...args, '--policy', join(work, 'keep-notes.yaml'), '--key-file', 'key']);
    const text = files(out)['notes.ndjson']!;
    const keys = Object.keys(JSON.parse(text.split('\n')[0]!));
    expect(keys.slice(-2)).toEqual(['Recruiter Notes', `column ${keys.length}`]);
    expect(JSON.parse(text.split('\n')[0]!)['Recruiter Notes']).toBe('kept');
    expect(Object.values(files(out)).join('')).not.toContain('Secretname');
  }, 120_000);

  it('writes no known PII and never the key; the same key gives the same bytes; the report has counts', () => {
    const a = join(work, 'a');
    const b = join(work, 'b');
    expect(
      run(['convert', download, '--out', a, '--policy', 'default', '--key-file', 'key', '-q']).code,
    ).toBe(1);
    expect(
      run(['convert', download, '--out', b, '--policy', 'default', '-q'], { TALENT_EXPORT_REDACT_KEY: hex })
        .code,
    ).toBe(1);
    const [first, second] = [files(a), files(b)];
    const pii = readFileSync(`${download}.truth/pii.txt`, 'utf8').split('\n').filter(Boolean);
    for (const [name, text] of Object.entries(first)) {
      if (name === 'report.json') continue;
      const lower = text.toLowerCase();
      expect([name, pii.filter((value) => lower.includes(value.toLowerCase()))]).toEqual([name, []]);
      expect(text.includes(hex)).toBe(false);
      if (name.endsWith('.ndjson')) expect(second[name]).toBe(text);
    }
    const report = JSON.parse(first['report.json']!);
    expect(JSON.stringify(report)).not.toContain(hex);
    expect(report.redaction.key).toBe('file');
    expect(JSON.parse(second['report.json']!).redaction.key).toBe('env');
    expect(report.redaction.tables.messages.columns.body.changed).toBeGreaterThan(0);
    expect(report.redaction.attachments.public.dropped).toBeGreaterThan(0);
  });

  it('a key and a drop list given as pipes (<(...)) give what the same files give', () => {
    const ids = readdirSync(join(download))
      .filter((name) => name.startsWith('Attachment_'))
      .flatMap((part) => [
        ...execFileSync('unzip', ['-Z1', join(download, part)], { encoding: 'utf8' }).matchAll(
          /Candidate_(\d+)\//g,
        ),
      ])
      .map((m) => m[1]!)
      .slice(0, 20);
    writeFileSync(join(work, 'drop.txt'), `${[...new Set(ids)].join('\n')}\n`);
    const args = (out: string, key: string, drop: string) =>
      `"${process.execPath}" "${bin}" redact "${download}" --out "${join(work, out)}" --key-file ${key} --drop-candidates ${drop} -q`;
    const shell = (line: string) => spawnSync('bash', ['-c', line], { cwd: work, encoding: 'utf8' });
    const files_ = shell(args('from-files', 'key', 'drop.txt'));
    const pipes = shell(args('from-pipes', '<(cat key)', '<(cat drop.txt)'));
    expect([pipes.status, pipes.stderr]).toEqual([files_.status, '']);
    const bytes = (dir: string) =>
      Object.fromEntries(readdirSync(dir).map((name) => [name, readFileSync(join(dir, name))]));
    const [a, b] = [bytes(join(work, 'from-files')), bytes(join(work, 'from-pipes'))];
    const dropped = JSON.parse(a['redaction.json']!.toString()).tables.messages.rowsDropped;
    expect(dropped).toBeGreaterThan(0);
    expect(Object.keys(b).sort()).toEqual(Object.keys(a).sort());
    for (const name of Object.keys(a)) expect([name, b[name]!.equals(a[name]!)]).toEqual([name, true]);
  });

  it('report.json beside redacted tables names no candidate id, part or download link of the export', () => {
    const plain = join(work, 'ids-plain');
    const redacted = join(work, 'ids-redacted');
    run(['convert', download, '--out', plain, '--to', 'ndjson', '-q']);
    run([
      'convert',
      download,
      '--out',
      redacted,
      '--to',
      'ndjson',
      '--policy',
      'default',
      '--key-file',
      'key',
      '-q',
    ]);
    const ids = new Set(
      readFileSync(join(plain, 'candidates.ndjson'), 'utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line).candidate_id as string),
    );
    // What the plain report quotes: candidate ids (orphans, folders without a row), parts, links.
    const plainReport = readFileSync(join(plain, 'report.json'), 'utf8');
    const quoted = (text: string) => [
      ...[...ids].filter((id) => new RegExp(`\\b${id}\\b`).test(text)),
      ...(text.match(/Attachment_[\w-]+\.zip|https?:\/\/[^"\s]+/g) ?? []),
    ];
    expect(quoted(plainReport).length).toBeGreaterThan(0);
    const report = readFileSync(join(redacted, 'report.json'), 'utf8');
    expect(quoted(report)).toEqual([]);
    // Still a report: the problems by code, the counts.
    const json = JSON.parse(report);
    expect(json.problems.map((p: { code: string }) => p.code).sort()).toEqual(
      JSON.parse(plainReport)
        .problems.map((p: { code: string }) => p.code)
        .sort(),
    );
    expect(json.attachments.files).toBe(JSON.parse(plainReport).attachments.files);
  });

  it('rejected rows are listed without their text; rejected candidates rows are named as names unknown to redaction', () => {
    const extracted = join(work, 'bad-row');
    execFileSync('unzip', ['-q', join(download, 'export.zip'), '-d', extracted]);
    const contract = readdirSync(extracted).find((n) => n.startsWith('Contract_'))!;
    appendFileSync(join(extracted, contract, 'Candidate.csv'), '\n9999,p1,Zorblatt,Quexley,zq@example.org\n');
    const out = join(work, 'bad-row-out');
    const r = run([
      'convert',
      extracted,
      '--out',
      out,
      '--policy',
      'default',
      '--tables',
      'candidates',
      '-q',
    ]);
    expect(r.code).toBe(1);
    const text = readFileSync(join(out, 'rejects.ndjson'), 'utf8');
    const rejects = text
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(rejects).toContainEqual(
      expect.objectContaining({ table: 'candidates', code: 'ROW_FIELD_COUNT', raw: null }),
    );
    expect(text).not.toMatch(/zorblatt|quexley|zq@/i);
    // Its names are known to no scrubber: the run says so, naming no value.
    const report = readFileSync(join(out, 'report.json'), 'utf8');
    expect(JSON.parse(report).problems).toContainEqual(
      expect.objectContaining({ code: 'NAMES_UNKNOWN', table: 'candidates' }),
    );
    expect(report).not.toMatch(/zorblatt|quexley|zq@/i);
  });

  it('a rejected row is named by file, line, column and code: its message quotes no cell', () => {
    const extracted = join(work, 'bad-time');
    execFileSync('unzip', ['-q', join(download, 'export.zip'), '-d', extracted]);
    const contract = readdirSync(extracted).find((n) => n.startsWith('Contract_'))!;
    // A time the default policy shifts, not valid, so the row is rejected and its message would quote it.
    appendFileSync(
      join(extracted, contract, 'InterviewModule.csv'),
      '\n799999999,d,n,s,2021-02-30 10:17:43,\n',
    );
    const args = ['convert', extracted, '--tables', 'interview_modules', '-q'];
    run([...args, '--out', join(work, 'bad-time-plain')]);
    const plain = readFileSync(join(work, 'bad-time-plain', 'rejects.ndjson'), 'utf8');
    expect(plain).toContain('2021-02-30 10:17:43');
    run([...args, '--out', join(work, 'bad-time-out'), '--policy', 'default', '--key-file', 'key']);
    const text = readFileSync(join(work, 'bad-time-out', 'rejects.ndjson'), 'utf8');
    expect(text).not.toContain('2021-02-30');
    expect(JSON.parse(text.trim())).toMatchObject({
      table: 'interview_modules',
      code: 'ROW_BAD_TIMESTAMP',
      column: 'start_time',
      raw: null,
      message: expect.stringMatching(/line \d+ \(byte \d+\), table interview_modules, column "start_time"/),
    });
  });

  it('reads a policy saved as UTF-16 (PowerShell 5 redirecting --print-policy) as the same policy', () => {
    const printed = run(['redact', '--print-policy']).stdout.replace('  public: drop', '  public: keep');
    writeFileSync(join(work, 'policy-16.yaml'), Buffer.from(`\ufeff${printed}`, 'utf16le'));
    writeFileSync(join(work, 'policy-8.yaml'), printed);
    const args = ['--tables', 'notes', '--key-file', 'key', '-q'];
    const wide = run([
      'convert',
      download,
      '--out',
      join(work, 'p16'),
      '--policy',
      'policy-16.yaml',
      ...args,
    ]);
    expect([wide.code, wide.stderr]).toEqual([0, '']);
    run(['convert', download, '--out', join(work, 'p8'), '--policy', 'policy-8.yaml', ...args]);
    const notes = (dir: string) => readFileSync(join(work, dir, 'notes.ndjson'));
    expect(notes('p16').equals(notes('p8'))).toBe(true);
  });

  it('a bad policy or a stray --key-file is a usage error (exit 2) naming what is wrong', () => {
    writeFileSync(join(work, 'policy.yaml'), 'tables:\n  notes:\n    content: blur\n');
    const bad = run(['convert', download, '--out', join(work, 'c'), '--policy', 'policy.yaml']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(
      'REDACT_BAD_POLICY: the policy file policy.yaml: tables.notes.content: unknown operator "blur"',
    );
    expect(run(['convert', download, '--out', join(work, 'd'), '--key-file', 'key']).code).toBe(2);
    writeFileSync(join(work, 'short'), 'abc');
    const short = run([
      'convert',
      download,
      '--out',
      join(work, 'e'),
      '--policy',
      'default',
      '--key-file',
      'short',
    ]);
    expect([short.code, short.stderr.includes('REDACT_BAD_KEY')]).toEqual([2, true]);
    // `--key-file "$KEY"` with the variable unset: no random key, no list of none, passes for what was asked.
    for (const [command, flag] of [
      ['convert', 'key-file'],
      ['report', 'key-file'],
      ['redact', 'key-file'],
      ['redact', 'drop-candidates'],
    ] as const) {
      const out = join(work, `empty-${command}-${flag}`);
      const policy = command === 'redact' ? [] : ['--policy', 'default'];
      const r = run([command, download, '--out', out, ...policy, `--${flag}`, '', '-q']);
      expect([r.code, r.stderr.split('\n')[0]]).toEqual([
        2,
        `talent-export ${command}: CLI_USAGE: --${flag} was given an empty path (an unset variable?); give the file`,
      ]);
      expect(existsSync(out)).toBe(false);
    }
    // `--policy "$POLICY"` with the variable unset: said so, not "cannot read  (ENOENT)".
    for (const command of ['convert', 'report', 'redact']) {
      const r = run([
        command,
        download,
        '--out',
        join(work, `empty-${command}-policy`),
        '--policy',
        '',
        '-q',
      ]);
      expect([r.code, r.stderr.split('\n')[0]]).toEqual([
        2,
        `talent-export ${command}: CLI_USAGE: --policy was given an empty path (an unset variable?); give the file, or "default"`,
      ]);
    }
    const dash = run(['redact', download, '--out', join(work, 'dash-policy'), '--policy', '-', '-q']);
    expect([dash.code, dash.stderr.split('\n')[0]]).toEqual([
      2,
      'talent-export redact: CLI_USAGE: --policy - : a policy is read from a file (standard input is for --key-file - or --drop-candidates -); give its path, or "default"',
    ]);
    // A list that names no one (a header, blank lines: a search that found nothing) is no erasure done.
    writeFileSync(join(work, 'no-ids.csv'), 'candidate_id\r\n\r\n');
    const none = run(['redact', download, '--out', join(work, 'no-ids'), '--drop-candidates', 'no-ids.csv']);
    expect([none.code, none.stderr]).toEqual([
      3,
      'talent-export redact: REDACT_BAD_CANDIDATE_LIST: the list of candidates to drop no-ids.csv holds no candidate id; give the ids to remove, one a line, or leave out --drop-candidates\n',
    ]);
  });

  it('writes no key and no personal data to the temporary folder: none is made there, none is needed', async () => {
    // TMPDIR empty and watched while redact (a random key, a piped drop list, --verify), convert and report
    // with a policy (the key from the environment) and verify-redaction run: nothing may appear there.
    const tmp = join(work, 'watched-tmp');
    mkdirSync(tmp);
    const seen: string[] = [];
    const watcher = watch(tmp, (_event, name) => seen.push(String(name)));
    const env = { TMPDIR: tmp, TALENT_EXPORT_REDACT_KEY: hex };
    const out = (name: string) => join(work, `tmp-${name}`);
    try {
      writeFileSync(join(work, 'tmp-drop.txt'), '1000000001\n');
      const bash = `"${process.execPath}" "${bin}" redact "${download}" -o "${out('redact')}" --drop-candidates <(cat tmp-drop.txt) --verify -q`;
      const redacted = spawnSync('bash', ['-c', bash], {
        cwd: work,
        encoding: 'utf8',
        env: { ...process.env, TMPDIR: tmp },
      });
      expect([redacted.status, redacted.stderr]).toEqual([1, '']);
      const runs = [
        ['convert', download, '--out', out('convert'), '--policy', 'default', '-q'],
        ['report', download, '--out', `${out('report')}.html`, '--policy', 'default', '-q'],
        ['verify-redaction', download, out('convert'), '-q'],
      ];
      for (const args of runs) expect([args[0], run(args, env).stderr]).toEqual([args[0], '']);
      // Events are told once this thread's loop runs again.
      await new Promise((resolve) => setTimeout(resolve, 100));
    } finally {
      watcher.close();
    }
    expect(seen).toEqual([]);
    expect(readdirSync(tmp, { recursive: true })).toEqual([]);
    // And a TMPDIR that does not exist stops no redacting run.
    const missing = run(['convert', download, '--out', out('no-tmp'), '--policy', 'default', '-q'], {
      TMPDIR: join(work, 'no-such-tmp'),
    });
    expect([missing.code, missing.stderr]).toEqual([1, '']);
    expect(existsSync(join(work, 'no-such-tmp'))).toBe(false);
  });
});
