// The README usage block is run as written, against a real archive.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, it, vi } from 'vitest';
import { createZip } from './bundle.js';
import { checkWithReaders, contents, tempDir } from './readers.test-helpers.js';

afterEach(() => vi.restoreAllMocks());

it('runs the README usage block', async () => {
  const here = fileURLToPath(new URL('.', import.meta.url));
  const readme = readFileSync(join(here, '..', 'README.md'), 'utf8');
  const block = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  expect(block).toBeDefined();
  const dir = tempDir();
  const source = join(dir, 'Attachment_1-2.zip');
  const zip = createZip(source);
  await zip.add({
    name: 'Attachments_1-2/Candidate_1/Public/resume.pdf',
    bytes: Buffer.from('%PDF-1.7 resume'),
  });
  await zip.add({ name: 'Attachments_1-2/Candidate_2/Private/empty.txt', bytes: new Uint8Array(0) });
  await zip.close();
  const out = join(dir, 'out');
  const script = join(dir, 'readme-example.ts');
  const zipPackage = createRequire(import.meta.url).resolve('@talent-export/zip');
  writeFileSync(
    script,
    block!
      .replace("'@talent-export/bundle'", JSON.stringify(join(here, 'index.ts')))
      .replace("'@talent-export/zip'", JSON.stringify(zipPackage))
      .replace("'Attachment_1-2.zip'", JSON.stringify(source))
      .replace("dir: 'out'", `dir: ${JSON.stringify(out)}`),
  );
  mkdirSync(out);
  const log = vi.spyOn(console, 'log').mockImplementation(() => {});
  await import(script);
  expect(readdirSync(out)).toEqual(['Attachment_1-2.zip']);
  expect(log.mock.calls).toHaveLength(1);
  expect(log.mock.calls[0]?.[0]).toBe(join(out, 'Attachment_1-2.zip'));
  expect(log.mock.calls[0]?.[1]).toBe(3);
  const got = await contents(join(out, 'Attachment_1-2.zip'));
  expect(got.get('Attachments_1-2/Candidate_1/Public/resume.pdf')?.toString()).toBe('%PDF-1.7 resume');
  await checkWithReaders(join(out, 'Attachment_1-2.zip'));
  rmSync(dir, { recursive: true, force: true });
});
