import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { checkOutFolder } from './extract-staging.js';

describe('staging folders left by killed runs', () => {
  it.runIf(existsSync('/proc/self/stat'))(
    "are removed when their pid is now another process's, started well after them (pid 1, this one)",
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'staging-'));
      onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
      const out = join(dir, 'out');
      const stage = (name: string, old: boolean) => {
        mkdirSync(join(dir, name, 'Candidate_1'), { recursive: true });
        writeFileSync(join(dir, name, 'Candidate_1', 'cv.pdf'), 'a copy of personal data');
        if (old) utimesSync(join(dir, name), new Date('2000-01-01'), new Date('2000-01-01'));
      };
      // Runs killed in a container, pid 1 and this pid both, before this boot even.
      stage(`.out.extract-1-${'a'.repeat(12)}.tmp`, true);
      stage(`.out.extract-${process.pid}-${'b'.repeat(12)}.tmp`, true);
      // A live run's, made after it started: kept.
      const own = `.out.extract-${process.ppid}-${'c'.repeat(12)}.tmp`;
      stage(own, false);
      expect(await checkOutFolder(out)).toBe('missing');
      expect(readdirSync(dir)).toEqual([own]);
    },
  );
});
