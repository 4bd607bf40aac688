// An export given as a folder (its zips unzipped) whose Messages.csv is cut short, at a line end, while a
// command reads it (a copy still going on): every command that reads the tables tells TABLE_CHANGED and
// exits 3, as for a table entry whose CRC-32 does not match; read unchanged, none tells it.
import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateExport } from '@talent-export/sample';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from './main.js';

let work: string;
let unzipped: string;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'talent-export-table-changed-'));
  const download = join(work, 'download');
  await generateExport({ dir: download, seed: 7, candidates: 60, attachmentsMb: 1 });
  writeFileSync(join(work, 'key'), '5a'.repeat(32));
  unzipped = join(work, 'unzipped');
  mkdirSync(unzipped);
  copyFileSync(join(download, 'export.csv'), join(unzipped, 'export.csv'));
  for (const zip of readdirSync(download).filter((n) => n.endsWith('.zip')))
    execFileSync('unzip', ['-q', join(download, zip), '-d', unzipped]);
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The folder's Messages.csv, wherever the unzipping put it. */
function messagesOf(dir: string): string {
  const found = readdirSync(dir, { recursive: true, encoding: 'utf8' }).find((p) =>
    p.endsWith('Messages.csv'),
  );
  if (found === undefined) throw new Error('no Messages.csv');
  return join(dir, found);
}

/**
 * `file` cut at a line end near its middle as soon as its first bytes were read by a table's reader (the
 * reads of a table's file are the only ones made with readv), the rows after the cut not yet decoded.
 */
async function cutWhileRead(file: string): Promise<() => void> {
  const probe = await open(file);
  const proto = Object.getPrototypeOf(probe) as FileHandle;
  await probe.close();
  const readv = proto.readv;
  const { ino } = statSync(file);
  const bytes = readFileSync(file);
  const cut = bytes.lastIndexOf(0x0a, bytes.length >> 1) + 1;
  let done = false;
  proto.readv = async function (this: FileHandle, ...args: Parameters<FileHandle['readv']>) {
    const result = await readv.apply(this, args);
    if (!done && result.bytesRead > 0 && (await this.stat()).ino === ino) {
      done = true;
      truncateSync(file, cut);
    }
    return result;
  } as FileHandle['readv'];
  return () => {
    proto.readv = readv;
  };
}

/** `talent-export <args>` on a fresh copy of the folder, in this process; the export's path is `IN`. */
async function run(
  args: string[],
  change: boolean,
): Promise<{ code: number; text: string; page?: string; out: string }> {
  const dir = mkdtempSync(join(work, 'run-'));
  const folder = join(dir, 'export');
  cpSync(unzipped, folder, { recursive: true });
  const restore = change ? await cutWhileRead(messagesOf(folder)) : () => undefined;
  let text = '';
  try {
    const argv = args.map((a) => (a === 'IN' ? folder : a.startsWith('OUT') ? join(dir, a) : a));
    const code = await main(argv, { out: (t) => (text += t), err: (t) => (text += t) });
    const page = join(dir, 'OUT.html');
    return {
      code,
      text,
      out: join(dir, 'OUT'),
      ...(args.includes('OUT.html') ? { page: readFileSync(page, 'utf8') } : {}),
    };
  } finally {
    restore();
  }
}

const COMMANDS: Record<string, string[]> = {
  validate: ['validate', 'IN', '--json', '-q'],
  inspect: ['inspect', 'IN', '-q'],
  convert: ['convert', 'IN', '--out', 'OUT', '-q'],
  join: ['join', 'IN', '--out', 'OUT', '-q'],
  report: ['report', 'IN', '--out', 'OUT.html', '-q'],
  redact: ['redact', 'IN', '--key-file', 'KEY', '-o', 'OUT', '-q'],
};

describe('a table file cut short while it is read', () => {
  for (const [name, args] of Object.entries(COMMANDS)) {
    it(`${name}: TABLE_CHANGED, exit 3${name === 'redact' ? ', no copy' : '; unchanged, neither'}`, async () => {
      const withKey = args.map((a) => (a === 'KEY' ? join(work, 'key') : a));
      const changed = await run(withKey, true);
      // The page names the code and says it in plain words; the summaries give the message.
      if (changed.page !== undefined) {
        expect(changed.page).toContain('TABLE_CHANGED');
        expect(changed.page).toContain('its rows may be incomplete or mixed');
      } else {
        expect(changed.text).toContain('TABLE_CHANGED');
        expect(changed.text).toMatch(/Messages\.csv may be incomplete or mixed/);
      }
      expect(changed.code).toBe(3);
      // A redacted copy of the export read whole is tested elsewhere (redact-extracted.test.ts), slowly.
      if (name === 'redact') {
        expect(existsSync(changed.out)).toBe(false);
        return;
      }
      const whole = await run(withKey, false);
      expect(`${whole.text}${whole.page ?? ''}`).not.toContain('TABLE_CHANGED');
      expect(whole.code).toBeLessThan(3);
    });
  }
});
