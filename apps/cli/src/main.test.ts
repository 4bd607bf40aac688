import { describe, expect, it, vi } from 'vitest';
import { main } from './main.js';

// An inspect that prints its result and then fails, as one whose export fails to close would.
vi.mock('./commands/inspect.js', () => ({
  inspect: async (_argv: string[], context: { out: (text: string) => void }) => {
    context.out('{"command":"inspect"}\n');
    throw new Error('closing failed');
  },
}));

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
