// The README usage block is run as written, against a real archive.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, it, onTestFinished, vi } from 'vitest';
import { rename, save, tempDir, yazlZip } from './craft.test-helpers.js';

afterEach(() => vi.restoreAllMocks());

it('runs the README usage block', async () => {
  const here = fileURLToPath(new URL('.', import.meta.url));
  const readme = readFileSync(join(here, '..', 'README.md'), 'utf8');
  const block = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  expect(block).toBeDefined();
  const dir = tempDir();
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  const zip = await yazlZip([
    { name: 'Attachments_1-2/Candidate_1/Public/resume.pdf', data: Buffer.from('%PDF-1.7 resume') },
    { name: 'Attachments_1-2/Candidate_2/Public/qq/evil.pdf', data: Buffer.from('x') },
  ]);
  const path = save(dir, 'Attachment_1-2.zip', rename(zip, 'qq/evil.pdf', '../evil.pdf'));
  const script = join(dir, 'readme-example.ts');
  writeFileSync(
    script,
    block!
      .replace("'@talent-export/zip'", JSON.stringify(join(here, 'index.ts')))
      .replace("'Attachment_1-2.zip'", JSON.stringify(path)),
  );
  const log = vi.spyOn(console, 'log').mockImplementation(() => {});
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
  await import(script);
  expect(log.mock.calls).toEqual([['Attachments_1-2/Candidate_1/Public/resume.pdf', 15]]);
  expect(warn.mock.calls).toHaveLength(1);
  expect(warn.mock.calls[0]?.[0]).toBe('ZIP_UNSAFE_NAME');
});
