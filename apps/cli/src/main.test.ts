import { describe, expect, it, vi } from 'vitest';
import { main } from './main.js';

// An inspect that prints its result and then fails, as one whose export fails to close would.
vi.mock('./commands/inspect.js', () => ({
  inspect: async (_argv: string[], context: { out: (text: string) => void }) => {
    context.out('{"command":"inspect"}\n');
    throw new Error('closing failed');
  },
}));

// A command whose module cannot be read, as with too many open files.
vi.mock('./commands/join.js', () => {
  throw Object.assign(new Error("EMFILE: too many open files, open 'join.js'"), { code: 'EMFILE' });
});

describe('a command module that cannot be loaded', () => {
  it('is told in one line with its exit code, not thrown (a crash with a stack trace)', async () => {
    let stderr = '';
    const code = await main(['join', '--out', 'x'], {
      out: () => undefined,
      err: (text) => (stderr += text),
    });
    expect(code).toBeGreaterThan(1);
    expect(stderr).toMatch(/^talent-export join: \S/);
  });
});

describe('--json', () => {
  it('prints no error document after a result was printed: stdout holds one JSON document', async () => {
    let stdout = '';
    let stderr = '';
    const code = await main(['inspect', '--json'], {
      out: (text) => (stdout += text),
      err: (text) => (stderr += text),
    });
    expect(code).toBe(4);
    expect(JSON.parse(stdout)).toEqual({ command: 'inspect' });
    expect(stderr).toMatch(/^talent-export inspect: closing failed\n/);
  });
});
