import { execFileSync, spawn, spawnSync } from 'node:child_process';
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
import { deflateRawSync } from 'node:zlib';
import { type GroundTruth, generateExport } from '@talent-export/sample';
import { TABLE_NAMES } from '@talent-export/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMON_OPTIONS } from './args.js';
import { OPTIONS as BUNDLE } from './commands/bundle.js';
import { OPTIONS as CONVERT } from './commands/convert.js';
import { OPTIONS as EXTRACT } from './commands/extract.js';
import { OPTIONS as REPORT } from './commands/inspect.js';
import { OPTIONS as JOIN } from './commands/join.js';
import { OPTIONS as REDACT } from './commands/redact.js';
import { OPTIONS as PAGE } from './commands/report.js';
import { OPTIONS as SAMPLE } from './commands/sample.js';
import { OPTIONS as VERIFY_REDACTION } from './commands/verify-redaction.js';
import { rawZip } from './test-zip.js';

const COMMAND_OPTIONS = {
  inspect: REPORT,
  validate: REPORT,
  convert: CONVERT,
  extract: EXTRACT,
  join: JOIN,
  redact: REDACT,
  bundle: BUNDLE,
  report: PAGE,
  sample: SAMPLE,
  'verify-redaction': VERIFY_REDACTION,
};

const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
let work: string;
let download: string;
let truth: GroundTruth;

function run(args: string[], options: { cwd?: string } = {}) {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', cwd: options.cwd ?? work });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function json(args: string[]) {
  const r = run([...args, '--json', '--quiet']);
  return { ...r, report: JSON.parse(r.stdout) };
}

/** Name and data offset of the first non-empty file entry, read from the central directory. */
function firstFileData(zip: Buffer): { name: string; dataStart: number } {
  let at = zip.readUInt32LE(zip.length - 22 + 16);
  for (;;) {
    const size = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const extra = zip.readUInt16LE(at + 30);
    const comment = zip.readUInt16LE(at + 32);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    const local = zip.readUInt32LE(at + 42);
    if (size > 100 && !name.endsWith('/')) {
      const dataStart = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
      return { name, dataStart };
    }
    at += 46 + nameLength + extra + comment;
  }
}

/** Every path below a folder, so a test can show nothing was written outside --out. */
function tree(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort();
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'talent-export-cli-'));
  download = join(work, 'download');
  truth = await generateExport({
    dir: download,
    seed: 3,
    candidates: 60,
    attachmentsMb: 3,
    partMb: 1,
    edgeCases: true,
  });
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('usage', () => {
  it('prints help with examples and exit codes for every command', () => {
    for (const command of ['inspect', 'validate', 'convert', 'sample']) {
      const r = run([command, '--help']);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`talent-export ${command}`);
      expect(r.stdout).toContain('Examples:');
      expect(r.stdout).toContain('Exit codes:');
    }
    expect(run(['--version']).stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });

  it('--help shows every option a command parses, short forms included (usage comes from the definitions)', () => {
    for (const [command, options] of Object.entries(COMMAND_OPTIONS)) {
      const help = run([command, '--help']).stdout;
      for (const [name, spec] of Object.entries({ ...options, ...COMMON_OPTIONS })) {
        const short = 'short' in spec ? `-${spec.short}, ` : '    ';
        expect(help).toMatch(new RegExp(`^  ${short}--${name}\\b`, 'm'));
      }
    }
    expect(run(['convert', '--help']).stdout).toMatch(/^ {2}-o, --out DIR /m);
  });

  // As git and npm take it; it was read as an export path ("--out DIR is required").
  it('"talent-export convert help" prints the help of convert', () => {
    const r = run(['convert', 'help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: talent-export convert /);
  });

  // -oq is --out q, as node and getopt read it: the run wrote to q, but silently, as if -q were given.
  it('-oq writes to the folder q and is not quiet', () => {
    const r = run(['convert', download, '-oq', '--tables', 'hiring_states'], { cwd: work });
    expect(existsSync(join(work, 'q', 'manifest.json'))).toBe(true);
    expect(r.stderr).toMatch(/wrote \d+ file\(s\) to q /);
  });

  it('-q works inside a group of short options', () => {
    const r = run(['convert', download, '-qo', join(work, 'out-grouped')]);
    expect(r.stderr).toBe('');
    expect(existsSync(join(work, 'out-grouped', 'manifest.json'))).toBe(true);
  });

  it.each([
    [['frobnicate'], /unknown command "frobnicate"\. Commands:/],
    [['help', 'frobnicate'], /unknown command "frobnicate"/],
    [['--versoin'], /unknown option "--versoin"\. Did you mean --version\?/],
    [['version'], /unknown command "version"\. Did you mean --version\?/],
    [['-q', 'inspect', download], /options go after the command: talent-export inspect -q/],
    [['insepct', download], /unknown command "insepct"\. Did you mean inspect\? Commands:/],
    // Caps Lock, and a command begun (as a shell's completion or a hurried hand leaves it).
    [['INSPECT', download], /unknown command "INSPECT"\. Did you mean inspect\? Commands:/],
    [['verify', download, 'x'], /unknown command "verify"\. Did you mean verify-redaction\? Commands:/],
    [['inspect', '--nope'], /Unknown option '--nope'\n/],
    [['convert', download, '--ot', 'x'], /Unknown option '--ot'; did you mean --out\?/],
    [['report', download, '--dep'], /Unknown option '--dep'; did you mean --deep\?/],
    [['convert', download, '--output', 'x'], /Unknown option '--output'; did you mean --out\?/],
    [
      ['convert', download, '--out', 'x', '--format', 'csv'],
      /Unknown option '--format'; did you mean --to\?/,
    ],
    [['inspect', download, '--format', 'json'], /Unknown option '--format'\n/],
    [['convert', download, '--ouput', 'x'], /Unknown option '--ouput'; did you mean --out\?/],
    [['convert', download, '--out', 'x', '--formt', 'csv'], /Unknown option '--formt'; did you mean --to\?/],
    [['redact', download, '--out', 'x', '--key', 'k'], /Unknown option '--key'; did you mean --key-file\?/],
    [
      ['convert', download, '--out', 'x', '--tables', 'candidate'],
      /--tables: unknown value "candidate"; did you mean candidates\? choose from /,
    ],
    // A table named by its file in export.zip, as one who opened it would: the name it has here.
    [
      ['convert', download, '--out', 'x', '--tables', 'Candidate.csv'],
      /--tables: unknown value "candidate\.csv"; did you mean candidates\? choose from /,
    ],
    [
      ['convert', download, '--out', 'x', '--tables', 'notes,HiringStates'],
      /--tables: unknown value "hiringstates"; did you mean hiring_states\? /,
    ],
    [
      ['convert', download, '--out', 'x', '--tables', 'InterviewModule.csv'],
      /--tables: unknown value "interviewmodule\.csv"; did you mean interview_modules\? /,
    ],
    // A value cut short (as a shell's completion or a hurried hand leaves it) is one of ours begun.
    [['join', download, '--out', 'x', '--by', 'proj'], /--by: unknown value "proj"; did you mean project\? /],
    [['convert', download, '--out', 'x', '--to', 'nd'], /--to: unknown value "nd"; did you mean ndjson\? /],
    [['convert', download], /--out DIR is required/],
    [['convert', download, '--out', 'x', '--to', 'xml'], /unknown value "xml"/],
    [['sample', '--out', 'x', '--candidates', 'many'], /--candidates wants a whole number/],
    [
      ['bundle', download, '--out', 'x', '--candidates', '1', '--candidates', '2'],
      /--candidates is given more than once/,
    ],
    [
      ['convert', download, '--out', '-q'],
      /--out needs a value \(--out DIR\), not "-q"; .* write --out=-q\n/,
    ],
    [['convert', download, '-o'], /: --out needs a value: --out DIR\n/],
    [
      ['sample', '--out', 'x', '--candidates', '-5'],
      /--candidates needs a value \(--candidates N\), not "-5"/,
    ],
    [['inspect', download, '--threads'], /: --threads needs a value: --threads N\n/],
    [
      ['inspect', download, '--max-record-mb', '99999999999999'],
      /: --max-record-mb must be at most 4096, got /,
    ],
    [
      ['validate', download, '--max-ratio', '99999999999999999'],
      /: --max-ratio is too large: 99999999999999999\n/,
    ],
    // The generator's own checks are told in flags, not in its option names.
    [
      ['sample', '--out', 'x', '--candidates', '0'],
      /: --candidates must be an integer from 1 to .*, got 0\.\n/,
    ],
    [['sample', '--out', 'x', '--messages-per-candidate', '5000'], /: --messages-per-candidate must be/],
    [['sample', '--out', 'x', '--part-mb', '0'], /: --part-mb must be at least 1\n/],
    // An empty list (`--to "$FORMATS"` with the variable unset) was an unknown value "".
    [['convert', download, '--out', 'x', '--to', ''], /--to is empty; choose from ndjson, csv, parquet\n/],
    // Parquet was offered among the choices, then refused when chosen.
    [['join', download, '--out', 'x', '--to', 'csv'], /--to: unknown value "csv"; choose from ndjson\n/],
    [
      ['join', download, '--out', 'x', '--to', 'ndjson,Parquet'],
      /--to parquet: documents are nested .* join writes NDJSON only/,
    ],
  ])('%j is a usage error (exit 2)', (args, message) => {
    const r = run(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('sample', () => {
  it('--out naming a file: exit 3, said to be a file', () => {
    const file = join(work, 'a-sample-file.txt');
    writeFileSync(file, 'mine');
    const r = run(['sample', '--out', file, '--candidates', '3']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(
      /CLI_NOT_A_FOLDER: --out .*a-sample-file\.txt exists and is not a folder; give a folder\n/,
    );
    expect(readFileSync(file, 'utf8')).toBe('mine');
  });

  it('into a folder that is not empty: exit 3, and the way out is said as a flag', () => {
    const dir = join(work, 'not-empty');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    const r = run(['sample', '--out', dir, '--candidates', '3']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(
      /SAMPLE_DIR_NOT_EMPTY: .*choose an empty or new folder, or add --force to replace/,
    );
    expect(readdirSync(dir)).toEqual(['notes.txt']);
  });

  // --force removed a real download's export.csv, export.zip and parts, and wrote a synthetic export there.
  it('--force into a folder holding an export no sample wrote (no DIR.truth/): exit 2, nothing touched', () => {
    const dir = join(work, 'a real download');
    cpSync(download, dir, { recursive: true });
    const before = readdirSync(dir).map((name) => [name, statSync(join(dir, name)).size]);
    const r = run(['sample', '--out', dir, '--force', '--candidates', '3']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /--force replaces only an export that sample wrote: .*a real download holds .*export\.csv/,
    );
    expect(readdirSync(dir).map((name) => [name, statSync(join(dir, name)).size])).toEqual(before);
    // A sample's folder, with its DIR.truth/ beside it, is replaced as before.
    const again = join(work, 'a sample again');
    expect(run(['sample', '--out', again, '--candidates', '3']).code).toBe(0);
    expect(run(['sample', '--out', again, '--force', '--candidates', '4']).code).toBe(0);
  });
});

describe('paths', () => {
  it('a path whose name begins with a dash is said to be written ./-name', () => {
    mkdirSync(join(work, '-export'), { recursive: true });
    const r = run(['inspect', '-export']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Unknown option '-e'; if "-export" is a path, write \.\/-export\n/);
  });

  it('an option after "--" is said to be read as a path: put it before', () => {
    mkdirSync(join(work, '-export'), { recursive: true });
    const r = run(['inspect', '--', '-export', '-q']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      'unexpected argument "-q"; after "--" every word is a path: put options before "--"\n',
    );
  });

  it('"-" as the export is said not to be read from standard input, for every command that reads one', () => {
    for (const args of [
      ['inspect'],
      ['convert', '--out', join(work, 'from-stdin')],
      ['report', '--out', '-'],
    ]) {
      const r = spawnSync(process.execPath, [bin, args[0]!, '-', ...args.slice(1)], {
        encoding: 'utf8',
        cwd: work,
        input: readFileSync(join(download, 'export.zip')),
      });
      expect(r.status).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain(
        '"-": an export cannot be read from standard input (a zip is read from its end); give the folder holding it, or export.zip, by its path',
      );
    }
    expect(existsSync(join(work, 'from-stdin'))).toBe(false);
  });

  it("an export's files given one by one (export/*) are said to be given as their folder", () => {
    const r = run(['inspect', join(download, 'export.csv'), join(download, 'export.zip')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`; give the folder that holds these files, once: ${download}\n`);
  });

  it('the same export given twice is said so, not answered with the folder above it', () => {
    const r = run(['inspect', download, `${download}/`]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('; the same path is given twice: give it once\n');
  });

  it('two export folders are not taken for the files of their parent folder', () => {
    mkdirSync(join(work, 'another-export'), { recursive: true });
    const r = run(['inspect', download, join(work, 'another-export')]);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toContain('give the folder that holds these files');
  });

  it('no export given inside an export folder: refused (exit 2), not the sample that ships', () => {
    const out = join(work, 'out-unnamed');
    const r = run(['convert', '--out', out, '-q'], { cwd: download });
    expect([r.code, r.stderr]).toEqual([
      2,
      expect.stringMatching(
        /^talent-export convert: CLI_USAGE: no export given, and this folder holds .*give it as "\."/,
      ),
    ]);
    expect(existsSync(out)).toBe(false);
    expect(run(['inspect', '.', '-q'], { cwd: download }).stdout).toMatch(/^export {3}\. \(download\)/);
  });

  it('run from a folder removed since: said once with what to do (exit 3), not a lost worker (exit 4)', () => {
    const gone = join(work, 'gone');
    mkdirSync(gone, { recursive: true });
    const r = spawnSync(
      'sh',
      [
        '-c',
        'cd "$1" && rmdir "$1" && exec "$2" "$3" inspect "$4" -q',
        'sh',
        gone,
        process.execPath,
        bin,
        download,
      ],
      {
        encoding: 'utf8',
      },
    );
    expect([r.status, r.stderr]).toEqual([
      3,
      'talent-export inspect: ENOENT: the current folder no longer exists (removed or renamed since the shell entered it): cd to a folder that exists, then run again\n',
    ]);
  });

  it('a path with a space given unquoted is said to want quotes', () => {
    mkdirSync(join(work, 'my export'), { recursive: true });
    const r = run(['inspect', 'my', 'export']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /unexpected argument "export"; to give the path "my export", put it in quotes\n/,
    );
  });

  it('~ in --out=~/x and in a quoted "~/x" export is the home folder, as the shell reads ~/x', () => {
    const home = join(work, 'home');
    mkdirSync(home, { recursive: true });
    const env = { ...process.env, HOME: home };
    const made = spawnSync(
      process.execPath,
      [bin, 'sample', '--out=~/made', '--candidates', '3', '--quiet'],
      {
        cwd: work,
        env,
        encoding: 'utf8',
      },
    );
    expect(made.status).toBe(0);
    expect(existsSync(join(home, 'made', 'export.zip'))).toBe(true);
    expect(existsSync(join(work, '~'))).toBe(false);
    const read = spawnSync(process.execPath, [bin, 'inspect', '~/made', '--json', '--quiet'], {
      cwd: work,
      env,
      encoding: 'utf8',
    });
    expect(JSON.parse(read.stdout).export.path).toBe(join(home, 'made'));
  });
});

describe('a reader that stops early', () => {
  /** Runs the CLI with the read ends of its stdout and stderr closed at once, as `| head -0` would. */
  function closedEarly(args: string[]): Promise<number | null> {
    const child = spawn(process.execPath, [bin, ...args], { cwd: work, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    child.stderr.destroy();
    return new Promise((resolve) => child.on('close', resolve));
  }

  it('keeps the exit code of a run whose stdout or stderr is closed (EPIPE), and the run completes', async () => {
    const small = join(work, 'closed-early');
    expect(await closedEarly(['sample', '--out', small, '--candidates', '5'])).toBe(0);
    const out = join(work, 'out-closed-early');
    expect(await closedEarly(['extract', small, '--out', out])).toBe(0);
    expect(readdirSync(out)).toContain('Candidate.csv');
    expect(await closedEarly(['validate', small, '--json'])).toBe(1);
  });
});

describe('inspect and validate', () => {
  it('inspect --json counts every table and attachment as the generator wrote them', () => {
    const { code, report } = json(['inspect', download]);
    expect(code).toBe(1);
    expect(report.export.layout).toBe('download');
    for (const table of TABLE_NAMES) expect(report.tables[table].rows).toBe(truth.tables[table].rows);
    expect(report.attachments.files).toBe(truth.attachments.files);
    expect(report.attachments.bytes).toBe(truth.attachments.bytes);
    expect(report.attachments.candidates).toBe(truth.attachments.candidates);
    expect(report.problems.length).toBeGreaterThan(0);
  });

  it('validate --json finds exactly the orphan references the generator planted', () => {
    const { code, report } = json(['validate', download]);
    expect(code).toBe(1);
    const found = Object.fromEntries(
      report.references.map((r: { check: string; rows: number }) => [r.check, r.rows]),
    );
    for (const [check, rows] of Object.entries(truth.orphans))
      expect([check, found[check]]).toEqual([check, rows]);
    expect(report.attachments.verified).toBe(true);
  });

  it('reads a lone export.zip and an extracted folder the same way', () => {
    const extracted = join(work, 'extracted');
    for (const file of readdirSync(download).filter((f) => f.endsWith('.zip'))) {
      execFileSync('unzip', ['-q', '-o', join(download, file), '-d', extracted]);
    }
    const lone = json(['inspect', join(download, 'export.zip')]).report;
    const unpacked = json(['inspect', extracted]).report;
    expect(lone.export.layout).toBe('export-zip');
    expect(unpacked.export.layout).toBe('extracted');
    for (const table of TABLE_NAMES) {
      expect(lone.tables[table].rows).toBe(truth.tables[table].rows);
      expect(unpacked.tables[table].rows).toBe(truth.tables[table].rows);
    }
    expect(unpacked.attachments.files).toBe(truth.attachments.files);
  });
});

describe('convert', () => {
  it('writes every table in every format, a manifest and a report, and nothing outside --out', () => {
    const before = tree(work);
    const out = join(work, 'out-all');
    const r = run(['convert', download, '--out', out, '--to', 'ndjson,csv,parquet', '--quiet']);
    expect(r.code).toBe(1);
    expect(tree(work).filter((p) => !p.startsWith('out-all'))).toEqual(before);
    for (const table of TABLE_NAMES) {
      const lines = readFileSync(join(out, `${table}.ndjson`), 'utf8')
        .split('\n')
        .filter(Boolean);
      expect([table, lines.length]).toEqual([table, truth.tables[table].rows]);
      expect(existsSync(join(out, `${table}.csv`))).toBe(true);
      expect(existsSync(join(out, `${table}.parquet`))).toBe(true);
    }
    const attachments = readFileSync(join(out, 'attachments.ndjson'), 'utf8').split('\n').filter(Boolean);
    expect(attachments).toHaveLength(truth.attachments.files);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(manifest.files.length).toBeGreaterThanOrEqual(33);
    expect(existsSync(join(out, 'datapackage.json'))).toBe(true);
    expect(JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')).exitCode).toBe(1);
    expect(readdirSync(out).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('an output path that is a file is refused with exit 3 and a one-line reason', () => {
    const file = join(work, 'not-a-folder');
    writeFileSync(file, 'keep me');
    for (const args of [
      ['convert', download, '--out', file],
      ['join', download, '--out', file],
      ['join', download, '--out', join(work, 'joined'), '--tmp', file],
      ['bundle', download, '--out', file, '--candidates', '1'],
      ['sample', '--out', file],
    ]) {
      const r = run([...args, '--quiet']);
      expect(r.code).toBe(3);
      expect(r.stderr).toMatch(
        /^talent-export \w+: CLI_NOT_A_FOLDER: --\w+ .*not-a-folder exists and is not a folder; give a folder\n$/,
      );
    }
    const r = run(['convert', download, '--out', file, '--quiet']);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(readFileSync(file, 'utf8')).toBe('keep me');
  });

  it('"-" as an output folder is refused with exit 2, not made into a folder named "-"', () => {
    for (const args of [
      ['convert', download, '--out', '-'],
      ['extract', download, '--out', '-'],
      ['redact', download, '--out', '-'],
      ['join', download, '--out', '-'],
      ['join', download, '--out', join(work, 'joined-dash'), '--tmp', '-'],
      ['bundle', download, '--out', '-', '--candidates', '1'],
      ['sample', '--out', '-'],
    ]) {
      const r = run([...args, '--quiet']);
      const option = args.includes('--tmp') ? 'tmp' : 'out';
      expect([r.code, r.stderr]).toEqual([
        2,
        `talent-export ${args[0]}: CLI_USAGE: --${option} - : ${args[0]} writes a folder of files, not standard output; give a folder (./- for one named "-")\nTry "talent-export ${args[0]} --help".\n`,
      ]);
      expect(r.stdout).toBe('');
    }
    expect(existsSync(join(work, '-'))).toBe(false);
    expect(existsSync(join(work, 'joined-dash'))).toBe(false);
  });

  it('an output path that is a pipe or a device (/dev/null) is no folder either: exit 3', () => {
    const fifo = join(work, 'a-pipe');
    execFileSync('mkfifo', [fifo]);
    for (const path of [fifo, '/dev/null']) {
      const r = run(['convert', download, '--out', path, '--quiet']);
      expect([r.code, r.stderr]).toEqual([
        3,
        `talent-export convert: CLI_NOT_A_FOLDER: --out ${path} exists and is not a folder; give a folder\n`,
      ]);
    }
  });

  it('--tables reads only the tables asked for, and does not miss the others', () => {
    const dir = join(work, 'only-candidates');
    mkdirSync(dir);
    writeFileSync(join(dir, 'Candidates.csv'), '\ufeffCANDIDATE_ID,First_Name,Extra\r\n007,Zoë,x\r\n');
    const out = join(work, 'out-only-candidates');
    const r = run(['convert', dir, '--out', out, '--tables', 'candidates', '--quiet']);
    expect(r.code).toBe(0);
    expect(readFileSync(join(out, 'candidates.ndjson'), 'utf8')).toBe(
      '{"candidate_id":"007","project_id":null,"first_name":"Zoë","last_name":null,"emails":null,' +
        '"phone_numbers":null,"tags":null,"profile_url":null,"sourcing_channels":null,"hiring_state_id":null,"Extra":"x"}\n',
    );
    expect(run(['convert', dir, '--out', out, '--tables', 'candidates,notes', '--quiet']).code).toBe(1);
  });

  it('a second convert into the same folder leaves only its own files (plus files it never wrote)', () => {
    const out = join(work, 'out-twice');
    mkdirSync(out);
    writeFileSync(join(out, 'notes.txt'), 'mine');
    run(['convert', download, '--out', out, '--to', 'ndjson,csv', '--quiet']);
    expect(readdirSync(out)).toContain('datapackage.json');
    run(['convert', download, '--out', out, '--to', 'parquet', '--tables', 'candidates', '--quiet']);
    expect(readdirSync(out).sort()).toEqual([
      'candidates.parquet',
      'manifest.json',
      'notes.txt',
      'report.json',
    ]);
  });

  it('gives byte-identical outputs for the same input', () => {
    const a = join(work, 'same-a');
    const b = join(work, 'same-b');
    run(['convert', download, '--out', a, '--to', 'ndjson,parquet', '--quiet']);
    run(['convert', download, '--out', b, '--to', 'ndjson,parquet', '--quiet']);
    for (const file of readdirSync(a).filter((f) => f !== 'report.json')) {
      expect([file, readFileSync(join(a, file)).equals(readFileSync(join(b, file)))]).toEqual([file, true]);
    }
  });

  it('a disk that fills up on report.json ends with exit 3 and leaves none of the tables', (context) => {
    const sized = join(work, 'out-sized');
    run(['convert', download, '--out', sized, '--to', 'ndjson,csv', '--quiet']);
    const pages = (name: string) => Math.ceil(statSync(join(sized, name)).size / 4096) * 4096;
    expect(pages('report.json')).toBeGreaterThan(8192);
    const room = readdirSync(sized)
      .filter((name) => name !== 'report.json')
      .reduce((sum, name) => sum + pages(name), 0);
    const disk = join(work, 'disk-for-report');
    mkdirSync(disk);
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${room + 4096}`, 'tmpfs', disk], { stdio: 'ignore' });
    } catch {
      console.warn('convert: no small file system could be mounted here (root on Linux); ENOSPC not checked');
      context.skip();
    }
    try {
      const r = run(['convert', download, '--out', join(disk, 'lake'), '--to', 'ndjson,csv', '--quiet']);
      expect(r.code).toBe(3);
      expect(r.stderr).toMatch(/WRITER_IO: .*ENOSPC.*free space/);
      expect(readdirSync(disk)).toEqual([]);
    } finally {
      execFileSync('umount', [disk]);
    }
  });

  it('stops on Ctrl-C with exit 130 and leaves no partial file', async () => {
    const big = join(work, 'big');
    await generateExport({ dir: big, seed: 5, candidates: 20000, messagesPerCandidate: 6, attachmentsMb: 1 });
    const out = join(work, 'out-interrupted');
    const child = spawn(process.execPath, [
      bin,
      'convert',
      big,
      '--out',
      out,
      '--to',
      'ndjson,csv',
      '--quiet',
    ]);
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    // Interrupt once output is being written: a temporary file exists in --out.
    const writing = () => existsSync(out) && readdirSync(out).some((f) => f.endsWith('.tmp'));
    for (let i = 0; i < 600 && !writing(); i++) await new Promise((resolve) => setTimeout(resolve, 25));
    expect(writing()).toBe(true);
    child.kill('SIGINT');
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect(code).toBe(130);
    expect(stderr).toMatch(/interrupted/);
    const left = existsSync(out) ? readdirSync(out) : [];
    expect(left).toEqual([]);
  });
});

describe('hostile and broken input', () => {
  function copyDownload(name: string): string {
    const dir = join(work, name);
    cpSync(download, dir, { recursive: true });
    return dir;
  }

  it('a part of many small entries over the archive ratio cap points at --max-ratio (archive ratio bomb.zip)', () => {
    const dir = copyDownload('archive-ratio');
    const part = truth.attachments.parts[0]!.file;
    // Each entry under the 1 MiB the per-entry ratio waits for; together 300x the archive's size.
    const zeros = deflateRawSync(Buffer.alloc(900 * 1024));
    const entries = Array.from({ length: 300 }, (_, i) => ({
      name: `Candidate_1/Miscellaneous/z${i}.bin`,
      data: zeros,
      method: 8,
      declaredSize: 900 * 1024,
    }));
    writeFileSync(join(dir, part), rawZip(entries));
    const { code, report } = json(['inspect', dir]);
    expect(code).toBe(3);
    const refusal = report.problems.find((p: { code: string }) => p.code === 'ENTRY_REFUSED');
    expect(refusal.message).toMatch(/\(maxArchiveRatio\).*raise the cap with --max-ratio\.$/);
    // The library's option names are not the command line's: only --max-ratio is named.
    expect(refusal.message).not.toMatch(/limits\.max/);
  });

  it('a part that is an HTML page is reported by name, the rest is still read', () => {
    const dir = copyDownload('html-part');
    const part = truth.attachments.parts[0]!.file;
    writeFileSync(join(dir, part), '<!DOCTYPE html><html><body>Link expired</body></html>');
    const { code, report } = json(['inspect', dir]);
    expect(code).toBe(3);
    expect(JSON.stringify(report.problems)).toContain(part);
    expect(report.tables.candidates.rows).toBe(truth.tables.candidates.rows);
  });

  it('a missing part is a problem naming it, not a crash', () => {
    const dir = copyDownload('missing-part');
    const part = truth.attachments.parts[1]!.file;
    rmSync(join(dir, part));
    const { code, report, stderr } = json(['inspect', dir]);
    expect(code).toBe(1);
    expect(JSON.stringify(report.problems)).toContain(part);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('a truncated export.zip (cut in its central directory) has its tables read, exit 1 and a one-line reason', () => {
    const dir = copyDownload('truncated');
    const zip = readFileSync(join(dir, 'export.zip'));
    writeFileSync(join(dir, 'export.zip'), zip.subarray(0, zip.length - 100));
    const r = run(['validate', dir]);
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).toMatch(
      /EXPORT_ZIP_TRUNCATED: export\.zip is cut short .*every entry in it is whole/,
    );
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('an export.zip cut before any whole table is refused with exit 3 and a one-line reason', () => {
    const dir = copyDownload('truncated-early');
    const zip = readFileSync(join(dir, 'export.zip'));
    writeFileSync(join(dir, 'export.zip'), zip.subarray(0, 20));
    const r = run(['validate', dir, '--quiet']);
    expect(r.code).toBe(3);
    expect(r.stdout + r.stderr).toMatch(/export\.zip/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it.each([
    ['parent traversal', '../../evil.txt'],
    ['absolute path', '/tmp/evil.txt'],
    ['backslash traversal', '..\\..\\evil.txt'],
  ])('an attachment part with %s is refused and nothing is written outside --out', (_kind, name) => {
    const dir = copyDownload(`unsafe-${_kind.replace(/ /g, '-')}`);
    const part = truth.attachments.parts[0]!.file;
    writeFileSync(join(dir, part), rawZip([{ name, data: 'gotcha' }]));
    const outside = () => tree(work).filter((p) => !p.startsWith('out-unsafe'));
    const before = outside();
    const out = join(work, `out-unsafe-${_kind.replace(/ /g, '-')}`);
    const r = run(['validate', dir, '--quiet']);
    expect(r.code).toBe(3);
    const c = run(['convert', dir, '--out', out, '--quiet']);
    expect(c.code).not.toBe(0);
    expect(outside()).toEqual(before);
    expect(existsSync('/tmp/evil.txt')).toBe(false);
  });

  it('a corrupt attachment is found by validate (every byte read) and named, not by inspect', () => {
    const dir = copyDownload('corrupt-attachment');
    const part = join(dir, truth.attachments.parts[0]!.file);
    const zip = readFileSync(part);
    const { name, dataStart } = firstFileData(zip);
    zip[dataStart + 5]! ^= 0xff;
    writeFileSync(part, zip);
    expect(json(['inspect', dir]).code).toBe(1);
    const { code, report } = json(['validate', dir]);
    expect(code).toBe(3);
    const corrupt = report.problems.filter((p: { code: string }) => p.code === 'ATTACHMENT_CORRUPT');
    expect(corrupt).toHaveLength(1);
    // Named by its folders and its file name's length and extension: the file name may name a person.
    const file = name.slice(name.lastIndexOf('/') + 1);
    const folders = name.slice(0, name.lastIndexOf('/') + 1);
    expect(JSON.stringify(corrupt[0])).toContain(`${folders}[file name, ${[...file].length} characters]`);
    expect(JSON.stringify(corrupt[0])).not.toContain(file);
    expect(report.attachments.verified).toBeUndefined();
  });

  it('a damaged file of export.zip that is not a table is found by validate and named without its name', () => {
    const dir = copyDownload('corrupt-export-zip-file');
    const extra = join(work, 'corrupt-export-zip-file-src');
    mkdirSync(extra);
    writeFileSync(join(extra, 'README.txt'), 'read me first\n'.repeat(40));
    // Stored, so that a flipped byte of its data is a CRC mismatch.
    execFileSync('zip', ['-q', '-0', '-X', join(dir, 'export.zip'), 'README.txt'], { cwd: extra });
    const zip = readFileSync(join(dir, 'export.zip'));
    const at = zip.indexOf(Buffer.from('README.txt')) + 'README.txt'.length + 5;
    zip[at]! ^= 0xff;
    writeFileSync(join(dir, 'export.zip'), zip);
    const { code, report } = json(['validate', dir]);
    expect(code).toBe(3);
    const corrupt = report.problems.filter((p: { code: string }) => p.code === 'EXPORT_ZIP_ENTRY_CORRUPT');
    expect(corrupt.map((p: { entry: string }) => p.entry)).toEqual(['[file name, 10 characters].txt']);
    expect(JSON.stringify(report)).not.toContain('README');
    expect(report.attachments.verified).toBeUndefined();
  });

  const cv = 'Attachments_1-2/Candidate_1/Public/cv.pdf';
  it.each([
    ['encrypted entry', [{ name: cv, data: 'secret', flags: 1 }], /encrypt/i],
    ['unsupported method', [{ name: cv, data: 'BZh91AY', method: 12 }], /method/i],
    [
      'duplicate entry',
      [
        { name: cv, data: 'a' },
        { name: cv, data: 'b' },
      ],
      /more than once/i,
    ],
    [
      'duplicate name',
      [
        { name: cv, data: 'a' },
        { name: cv, data: 'b' },
      ],
      /more than once/i,
    ],
    ['stored size mismatch', [{ name: cv, data: 'twelve bytes', declaredSize: 99 }], /declares|size/i],
  ])('an attachment part with a %s is refused (exit 3) and named', (kind, entries, message) => {
    const dir = copyDownload(`refused-${kind.replace(/ /g, '-')}`);
    const part = truth.attachments.parts[0]!.file;
    writeFileSync(join(dir, part), rawZip(entries));
    const { code, report, stderr } = json(['validate', dir]);
    expect(code).toBe(3);
    const refusals = report.problems.filter((p: { code: string }) => p.code === 'ENTRY_REFUSED');
    expect(refusals.length).toBeGreaterThan(0);
    expect(JSON.stringify(refusals)).toMatch(message);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('a part refusing thousands of entries lists 100 of them and counts the rest', () => {
    const dir = copyDownload('refused-many');
    const part = truth.attachments.parts[0]!.file;
    const entries = Array.from({ length: 2500 }, (_, i) => ({ name: `../evil-${i}.txt`, data: 'x' }));
    writeFileSync(join(dir, part), rawZip(entries));
    const { code, report } = json(['inspect', dir]);
    expect(code).toBe(3);
    const refusals = report.problems.filter((p: { code: string }) => p.code === 'ENTRY_REFUSED');
    expect(refusals).toHaveLength(101);
    expect(refusals.at(-1).message).toBe(`${part}: 2400 more entries were refused and skipped`);
  });

  it('a symlink entry is refused', () => {
    const dir = copyDownload('symlink');
    const part = truth.attachments.parts[0]!.file;
    writeFileSync(
      join(dir, part),
      rawZip([{ name: 'Attachments_1-2/Candidate_1/Public/cv.pdf', data: '/etc/passwd', mode: 0o120777 }]),
    );
    const r = run(['validate', dir, '--quiet']);
    expect(r.code).toBe(3);
    expect(r.stderr + r.stdout).toMatch(/ENTRY_REFUSED.*not a regular file/);
  });

  function exportWithMessages(name: string, messages: string): string {
    const dir = join(work, name);
    execFileSync('unzip', ['-q', '-o', join(download, 'export.zip'), '-d', dir]);
    const contract = readdirSync(dir).find((f) => f.startsWith('Contract_')) ?? '';
    writeFileSync(join(dir, contract, 'Messages.csv'), messages);
    return dir;
  }

  it('ragged rows are rejected with line numbers and the run goes on', () => {
    const header = 'message_id,project_id,candidate_id,sender_profile_url,subject,body,type\n';
    const dir = exportWithMessages(
      'ragged',
      `${header}1,2,3,u,s,b,email\n2,2,3,u,s\n3,2,3,u,s,b,email,extra\n4,2,3,u,s,b,email\n`,
    );
    const out = join(work, 'out-ragged');
    const r = run(['convert', dir, '--out', out, '--tables', 'messages', '--quiet']);
    expect(r.code).toBe(1);
    const rejects = readFileSync(join(out, 'rejects.ndjson'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rejects.map((x) => [x.line, x.code])).toEqual([
      [3, 'ROW_FIELD_COUNT'],
      [4, 'ROW_FIELD_COUNT'],
    ]);
    expect(readFileSync(join(out, 'messages.ndjson'), 'utf8').trim().split('\n')).toHaveLength(2);
  });

  it('validate --json says where rejected rows are, never their text (personal data)', () => {
    const header = 'message_id,project_id,candidate_id,sender_profile_url,subject,body,type\n';
    const dir = exportWithMessages(
      'rejects-json',
      `${header}1,2,3,u,s,b,email\n2,2,3,https://www.linkedin.com/in/zoe-quixwellby,Hi Zoe Quixwellby,b\n`,
    );
    const r = run(['validate', dir, '--json', '--quiet']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report.rejects).toEqual([
      expect.objectContaining({ table: 'messages', line: 3, code: 'ROW_FIELD_COUNT' }),
    ]);
    expect(report.rejects[0]).not.toHaveProperty('raw');
    expect(r.stdout + r.stderr).not.toMatch(/quixwellby/i);
  });

  it('inspect and validate --json have the same keys with rejected rows or without: rejects is [] then', () => {
    for (const command of ['inspect', 'validate']) {
      const clean = json([command, download]).report;
      expect(clean.rejects).toEqual([]);
      expect(Object.keys(clean)).toContain('rejects');
    }
  });

  it('the summary names the columns a table has beyond its schema', () => {
    const header = 'message_id,project_id,candidate_id,sender_profile_url,subject,body,type,Colour,x2\n';
    const dir = exportWithMessages('extra-columns', `${header}1,2,3,u,s,b,email,red,\n`);
    const r = run(['inspect', dir]);
    expect(r.stdout).toMatch(/^ {2}messages +1 rows {2}extra columns: Colour, x2$/m);
    expect(r.stdout).toMatch(/^ {2}notes +\d+ rows$/m);
  });

  it('convert says where the values of columns beyond the schema went: NDJSON only, or nowhere without it', () => {
    const header = 'message_id,project_id,candidate_id,sender_profile_url,subject,body,type,Colour,x2\n';
    const dir = exportWithMessages('extra-typed', `${header}1,2,3,u,s,b,email,red,\n`);
    const convert = (name: string, to: string) => {
      const out = join(work, `out-extra-${name}`);
      const r = run(['convert', dir, '--out', out, '--tables', 'messages', '--to', to, '--quiet']);
      return { code: r.code, report: JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')), out };
    };
    // x2 is always empty: nothing of it is lost.
    const both = convert('both', 'ndjson,parquet');
    expect(both.code).toBe(0);
    expect(both.report.notices.map((n: { code: string }) => n.code)).toContain('EXTRA_COLUMNS_NDJSON_ONLY');
    expect(JSON.parse(readFileSync(join(both.out, 'messages.ndjson'), 'utf8')).Colour).toBe('red');
    const typed = convert('typed', 'csv,parquet');
    expect(typed.code).toBe(1);
    expect(typed.report.problems).toEqual([
      expect.objectContaining({
        code: 'EXTRA_COLUMNS_DROPPED',
        table: 'messages',
        message: expect.stringMatching(
          /1 column\(s\) beyond LinkedIn's guide \(Colour\).*add ndjson to --to/,
        ),
      }),
    ]);
    const ndjson = convert('ndjson', 'ndjson').report;
    const codes = [...ndjson.problems, ...ndjson.notices].map((p: { code: string }) => p.code);
    expect(codes.filter((code: string) => code.startsWith('EXTRA_COLUMNS'))).toEqual([]);
  });

  it('the summary and --json name the optional columns a table has no header for', () => {
    const header = 'message_id,project_id,candidate_id,sender_profile_url,body,type\n';
    const dir = exportWithMessages('missing-columns', `${header}1,2,3,u,b,email\n`);
    expect(run(['inspect', dir]).stdout).toMatch(/^ {2}messages +1 rows {2}missing columns: subject$/m);
    const report = JSON.parse(run(['inspect', dir, '--json', '--quiet']).stdout);
    expect(report.tables.messages.missingColumns).toEqual(['subject']);
    expect(report.tables.notes).not.toHaveProperty('missingColumns');
  });

  it('rejected rows go to rejects.ndjson when the tables are written as CSV or Parquet only', () => {
    const header = 'message_id,project_id,candidate_id,sender_profile_url,subject,body,type\n';
    const dir = exportWithMessages('ragged-csv', `${header}1,2,3,u,s,b,email\n2,2,3,u,s\n`);
    const out = join(work, 'out-ragged-csv');
    const r = run(['convert', dir, '--out', out, '--tables', 'messages', '--to', 'csv,parquet', '--quiet']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const rejects = readFileSync(join(out, 'rejects.ndjson'), 'utf8').trim().split('\n');
    expect(rejects.map((l) => JSON.parse(l).line)).toEqual([3]);
    expect(readdirSync(out).sort()).toEqual([
      'datapackage.json',
      'manifest.json',
      'messages.csv',
      'messages.parquet',
      'rejects.ndjson',
      'report.json',
    ]);
  });

  it('--max-record-mb bounds a row: a longer one stops that table with exit 3, a larger cap reads it', () => {
    const header = 'message_id,project_id,candidate_id,sender_profile_url,subject,body,type\n';
    const body = 'x'.repeat(2 * 1024 * 1024);
    const dir = exportWithMessages('big-row', `${header}1,2,3,u,s,${body},email\n2,2,3,u,s,b,email\n`);
    const small = json(['validate', dir, '--max-record-mb', '1']);
    expect(small.code).toBe(3);
    expect(small.report.tables.messages.error.code).toBe('CSV_RECORD_TOO_LARGE');
    // A refusal, from the problem itself: the table could not be read to the end.
    const unreadable = small.report.problems.filter((p: { code: string }) => p.code === 'TABLE_UNREADABLE');
    expect(unreadable).toEqual([expect.objectContaining({ severity: 'problem', refused: true })]);
    expect(unreadable[0].message).toMatch(
      /^messages: could not be read to the end \(CSV_RECORD_TOO_LARGE\): /,
    );
    // The option as the command line spells it, not as the library does.
    expect(unreadable[0].message).toContain('raise the limit with --max-record-mb');
    const converted = run(['convert', dir, '--out', join(work, 'out-big-row'), '--max-record-mb', '1', '-q']);
    expect(converted.code).toBe(3);
    expect(converted.stderr).toContain('--max-record-mb');
    expect(converted.stderr).not.toContain('maxRecordBytes');
    const large = json(['validate', dir, '--max-record-mb', '3']);
    expect(large.report.tables.messages).toMatchObject({ rows: 2, rejected: 0 });
    expect(large.report.tables.messages.error).toBeUndefined();
  });

  it('a table compressed past --max-ratio is refused as a bomb; a higher --max-ratio reads it', () => {
    const dir = join(work, 'repetitive');
    mkdirSync(dir);
    const header = 'message_id,project_id,candidate_id,sender_profile_url,subject,body,type\n';
    // 9.6 MB: many 1 MiB slices, read from export.zip (ZipArchive.readInto).
    writeFileSync(join(dir, 'Messages.csv'), header + '1,2,3,u,s,b,email\n'.repeat(530_000));
    execFileSync('zip', ['-q', '-9', join(dir, 'export.zip'), 'Messages.csv'], { cwd: dir });
    rmSync(join(dir, 'Messages.csv'));
    const refused = json(['validate', join(dir, 'export.zip')]);
    expect(refused.code).toBe(3);
    const refusal = refused.report.problems.find((p: { code: string }) => p.code === 'ENTRY_REFUSED');
    expect(refusal.message).toMatch(/over the 200x cap.*raise the cap with --max-ratio/);
    expect(refusal.message).not.toMatch(/limits\.max/);
    const raised = json(['validate', join(dir, 'export.zip'), '--max-ratio', '5000']);
    expect(raised.report.tables.messages).toMatchObject({ rows: 530_000, rejected: 0 });
  });

  it('bare quotes in unquoted fields: rejected by default (exit 1), read as text with --lenient-quotes (notice, exit 0)', () => {
    const header = 'message_id,project_id,candidate_id,sender_profile_url,subject,body,type\n';
    const dir = exportWithMessages(
      'sloppy-quotes',
      `${header}1,2,3,u,"27"" monitor",a 5" screen,email\r\n2,2,3,u,s,"multi\rline",email\r\n3,2,3,u,O"Brien,b,email\n4,2,3,u,"s"x,b,email\n`,
    );
    const strict = join(work, 'out-sloppy-strict');
    const a = run(['convert', dir, '--out', strict, '--tables', 'messages', '--quiet']);
    expect(a.code).toBe(1);
    const rejects = (out: string) =>
      readFileSync(join(out, 'rejects.ndjson'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l))
        .map((x) => [x.line, x.code]);
    // Row 3 starts on line 5: the lone CR inside row 2's quoted body is a line, as in any editor.
    expect(rejects(strict)).toEqual([
      [2, 'ROW_INVALID_QUOTE'],
      [5, 'ROW_INVALID_QUOTE'],
      [6, 'ROW_INVALID_QUOTE'],
    ]);
    const lenient = join(work, 'out-sloppy-lenient');
    const b = run(['convert', dir, '--out', lenient, '--tables', 'messages', '--lenient-quotes']);
    expect(b.code).toBe(1); // text after a closing quote ("s"x) is still rejected
    expect(rejects(lenient)).toEqual([[6, 'ROW_INVALID_QUOTE']]);
    expect(b.stderr).toMatch(
      /notice +QUOTES_LENIENT: messages: 2 row\(s\) read with a quote inside an unquoted field/,
    );
    const rows = readFileSync(join(lenient, 'messages.ndjson'), 'utf8').trim().split('\n');
    expect(rows.map((l) => JSON.parse(l)).map((r) => [r.subject, r.body])).toEqual([
      ['27" monitor', 'a 5" screen'],
      ['s', 'multi\rline'],
      ['O"Brien', 'b'],
    ]);
    // Without the row that no reader takes as written: no problem left, exit 0.
    const fixed = exportWithMessages(
      'sloppy-quotes-only',
      `${header}1,2,3,u,"27"" monitor",a 5" screen,email\r\n3,2,3,u,O"Brien,b,email\n`,
    );
    expect(
      run(['convert', fixed, '--out', join(work, 'out-sloppy-0'), '--tables', 'messages', '-q']).code,
    ).toBe(1);
    const c = run([
      'convert',
      fixed,
      '--out',
      join(work, 'out-sloppy-1'),
      '--tables',
      'messages',
      '--lenient-quotes',
    ]);
    expect(c.code).toBe(0);
    expect(c.stderr).toMatch(/notice +QUOTES_LENIENT: messages: 2 row\(s\)/);
    const report = JSON.parse(readFileSync(join(work, 'out-sloppy-1', 'report.json'), 'utf8'));
    expect(report.tables.messages).toMatchObject({ rows: 2, decoded: 2, rejected: 0, lenientQuotes: 2 });
    expect(report.notices.map((n: { code: string }) => n.code)).toContain('QUOTES_LENIENT');
    // validate and inspect take the flag too.
    for (const command of ['validate', 'inspect']) {
      const strictJson = json([command, fixed]).report;
      const lenientJson = json([command, fixed, '--lenient-quotes']).report;
      expect(strictJson.tables.messages).toMatchObject({ rows: 2, rejected: 2 });
      expect(lenientJson.tables.messages).toMatchObject({ rows: 2, rejected: 0, lenientQuotes: 2 });
      expect(lenientJson.notices.find((n: { code: string }) => n.code === 'QUOTES_LENIENT')).toBeDefined();
    }
  });

  it.each(['convert', 'validate', 'inspect'])('%s --help documents --lenient-quotes', (command) => {
    const r = run([command, '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\s+--lenient-quotes\s+read a quote inside an unquoted field/m);
  });

  it('an unclosed quote is reported, never a crash', () => {
    const header = 'message_id,project_id,candidate_id,sender_profile_url,subject,body,type\n';
    const dir = exportWithMessages(
      'unclosed',
      `${header}1,2,3,u,s,b,email\n2,2,3,u,s,"never closed,email\n3,2,3,u,s,b,email\n`,
    );
    const { code, report, stderr } = json(['validate', dir]);
    expect([1, 3]).toContain(code);
    expect(report.tables.messages.rejected + (report.tables.messages.error ? 1 : 0)).toBeGreaterThan(0);
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});
