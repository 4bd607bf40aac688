// The README's usage block, run as written against a small download.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { makeDownload } from './download.fixture.js';
import { openExport } from './index.js';

describe('README', () => {
  it('runs its usage example', async () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const code = /```js\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(code).toBeDefined();
    const f = makeDownload({
      parts: [
        ['1', '2'],
        ['3', '4'],
      ],
    });
    try {
      const body = code!.replace(/^import .*$/m, '').replace("'downloads/talent-hub'", JSON.stringify(f.dir));
      const logged: string[] = [];
      const console = { log: (...args: unknown[]) => logged.push(args.map(String).join(' ')) };
      const written: string[] = [];
      const process = {
        stdout: { write: (chunk: Uint8Array) => written.push(Buffer.from(chunk).toString()) },
      };
      const AsyncFunction = (async () => {}).constructor as new (
        ...args: string[]
      ) => (...a: unknown[]) => Promise<void>;
      await new AsyncFunction('openExport', 'console', 'process', body)(openExport, console, process);
      expect(logged[0]).toBe(
        'download Attachment_1-2.zip,Attachment_3-4.zip candidates,custom_field_definitions,custom_field_values,feedbacks,hiring_states,interview_modules,messages,notes,projects,scorecards',
      );
      expect(logged.slice(1, 5).sort()).toEqual([
        '1 public resume_candidate1.pdf',
        '2 public resume_candidate2.pdf',
        '3 public resume_candidate3.pdf',
        '4 public resume_candidate4.pdf',
      ]);
      expect(logged[5]).toBe('4 files, 8 empty.txt markers');
      expect(logged).toHaveLength(6);
      expect(written.join('')).toBe(f.csv.candidates);
    } finally {
      f.cleanup();
    }
  });
});
