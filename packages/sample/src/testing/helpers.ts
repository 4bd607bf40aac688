import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import type { PartTruth } from '../truth.js';

const INSPECTOR = fileURLToPath(new URL('./inspect-export.py', import.meta.url));

export interface TableSummary {
  bom: boolean;
  header: string[];
  rows: number;
  crlf: number;
  lf: number;
  quotedLf: number;
  quotedCrlf: number;
  widths: number[];
  spacesOnly: number;
  emoji: number;
  data: string[][];
}

/** What Python's zipfile finds in a part: the truth's counts, seen independently, and more. */
export interface PartSummary extends Omit<PartTruth, 'candidates'> {
  folders: string[];
  suffixed: number;
  size: number;
}

export interface Inspection {
  files: string[];
  problems: string[];
  manifest: {
    bom: boolean;
    header: string[];
    files: string[];
    urls: string[];
    stats: Record<string, number>;
  };
  exportZip: { entries: string[]; tables: Record<string, TableSummary> };
  parts: PartSummary[];
  records?: Record<string, Record<string, unknown>[]>;
}

/** Reads an export with Python's zipfile and csv modules, which share no code with the generator. */
export function inspect(dir: string, truthDir?: string): Inspection {
  const args = [INSPECTOR, dir, ...(truthDir ? [truthDir] : [])];
  return JSON.parse(execFileSync('python3', args, { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 }));
}

/** Info-ZIP's own test of an archive; throws on any error. */
export function unzipTest(path: string): string {
  return execFileSync('unzip', ['-tq', path], { encoding: 'utf8' });
}

export function unzipList(path: string): string[] {
  return execFileSync('unzip', ['-Z1', path], { encoding: 'utf8' }).split('\n').filter(Boolean);
}

export function scratchDir(): { root: string; remove: () => void } {
  const root = mkdtempSync(join(tmpdir(), 'sample-test-'));
  return { root, remove: () => rmSync(root, { recursive: true, force: true }) };
}

/** sha256 of every file under `dir`, by relative path. */
export function digests(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (at: string, prefix: string) => {
    for (const name of readdirSync(at).sort()) {
      const path = join(at, name);
      if (statSync(path).isDirectory()) walk(path, `${prefix}${name}/`);
      else out[prefix + name] = createHash('sha256').update(readFileSync(path)).digest('hex');
    }
  };
  walk(dir, '');
  return out;
}
