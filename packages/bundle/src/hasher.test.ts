// The thread hashing archives, started from `node --input-type=module -e "..."`: given that process's
// flags, it read its source as a module (`require` is not defined there) and every sha256 failed.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';

const built = fileURLToPath(new URL('../dist/index.js', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'bundle-hasher-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

it('hashes an archive written by a script given with --input-type=module -e', () => {
  const script = `
import { createZip } from ${JSON.stringify(built)};
const zip = createZip(${JSON.stringify(join(work, 'notes.zip'))});
await zip.add({ name: 'notes.txt', bytes: Buffer.from('a note\\n'.repeat(1000)) });
console.log(JSON.stringify(await zip.close()));
`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  const written = JSON.parse(out) as { path: string; sha256: string };
  expect(written.sha256).toBe(createHash('sha256').update(readFileSync(written.path)).digest('hex'));
});
