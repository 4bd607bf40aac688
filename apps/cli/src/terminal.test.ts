// What the CLI says on stderr cannot drive the terminal, whatever the export's files are named.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateExport } from '@talent-export/sample';
import { describe, expect, it, onTestFinished } from 'vitest';
import { terminalText } from './terminal.js';

const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const HOSTILE = 'notes\u001b]0;owned\u0007\u001b[2J\u202e.txt';

describe('terminalText', () => {
  it('shows escape sequences, carriage returns and bidi controls as U+FFFD, and keeps lines and tabs', () => {
    expect(terminalText(`a\tb\n${HOSTILE}\r\n`)).toBe(
      'a\tb\nnotes\ufffd]0;owned\ufffd\ufffd[2J\ufffd.txt\ufffd\n',
    );
    expect(terminalText('Núñez 日本 سيرة\n')).toBe('Núñez 日本 سيرة\n');
  });

  it('extract and bundle name a file of the download that holds an escape sequence without it', async () => {
    const work = mkdtempSync(join(tmpdir(), 'talent-export-terminal-'));
    onTestFinished(() => rmSync(work, { recursive: true, force: true }));
    const download = join(work, 'download');
    await generateExport({ dir: download, seed: 3, candidates: 3, attachmentsMb: 0 });
    writeFileSync(join(download, HOSTILE), 'x');
    for (const args of [
      ['extract', download, '--out', join(work, 'extracted')],
      ['bundle', download, '--out', join(work, 'bundles'), '--candidates', '1'],
    ]) {
      const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });
      expect(r.stderr, args[0]).toContain('UNKNOWN_FILE: notes\ufffd]0;owned');
      expect(r.stderr, args[0]).not.toMatch(/[\u0007\u001b\u202e]/);
    }
  });
});
