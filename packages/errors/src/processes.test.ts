import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tooManyFiles } from './index.js';

describe('tooManyFiles', () => {
  it('says to raise the limit above the one in force, never to a value under it', () => {
    expect(tooManyFiles(false, 'run with one thread', { soft: 1024, hard: 1048576 })).toBe(
      'this process may have only 1024 files open at once (`ulimit -n`): raise it (`ulimit -n 4096`) and run again, or run with one thread',
    );
    expect(tooManyFiles(false, 'run with one thread', { soft: 20000, hard: 1048576 })).toContain(
      'raise it (`ulimit -n 40000`)',
    );
    // No higher than the hard limit, which only root can raise.
    expect(tooManyFiles(false, 'run with one thread', { soft: 20000, hard: 30000 })).toContain(
      'raise it (`ulimit -n 30000`)',
    );
    expect(tooManyFiles(true, 'run with one thread', { soft: 20000, hard: 20000 })).toBe(
      "this process may have only 20000 files open at once (`ulimit -n`, or the system's limit): raise it, as root since it is its hard limit too (`ulimit -Hn 40000; ulimit -n 40000`, or `--ulimit nofile=40000` for a container) and run again, or run with one thread",
    );
    expect(
      tooManyFiles(false, 'run with one thread', { soft: 256, hard: Number.POSITIVE_INFINITY }),
    ).toContain('raise it (`ulimit -n 4096`)');
  });

  it('where the limits are not known, says to raise it above its current value', () => {
    expect(tooManyFiles(false, 'run with one thread', null)).toBe(
      'this process may have only a few files open at once (`ulimit -n`): raise it above its current value and run again, or run with one thread',
    );
  });

  // Node raises the soft limit to the hard one as it starts: `ulimit -n` sets both.
  it("reads this process's limits (Linux)", () => {
    const built = fileURLToPath(new URL('../dist/index.js', import.meta.url));
    if (process.platform !== 'linux') return;
    const script = `import(${JSON.stringify(built)}).then((m) => console.log(m.tooManyFiles(false, "x")))`;
    const said = execFileSync('sh', ['-c', 'ulimit -n 3000 && exec "$NODE" -e "$SCRIPT"'], {
      encoding: 'utf8',
      env: { ...process.env, NODE: process.execPath, SCRIPT: script },
    });
    expect(said).toContain(
      'this process may have only 3000 files open at once (`ulimit -n`): raise it, as root since it is its hard limit too (`ulimit -Hn 6000; ulimit -n 6000`',
    );
  });
});
