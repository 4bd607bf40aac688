import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { shippedExportPath, shippedTruthPath } from './shipped.js';
import { scratchDir } from './testing/helpers.js';

const scratch = scratchDir();
afterAll(() => scratch.remove());
const root = fileURLToPath(new URL('..', import.meta.url));

it('runs the README usage block against the built package', () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const code = /```ts\n([\s\S]*?)```/
    .exec(readme)![1]!
    .replace("'@talent-export/sample'", JSON.stringify(join(root, 'dist/index.js')))
    .replace("'out/sample'", JSON.stringify(join(scratch.root, 'sample')));
  const script = join(scratch.root, 'readme.mjs');
  writeFileSync(script, code);
  const output = execFileSync('node', [script], { encoding: 'utf8' });
  expect(output).toMatch(/^\d+ \[\s*'Attachment_\d{10}-\d{10}\.zip',/m);
  expect(existsSync(join(scratch.root, 'sample.truth', 'records', 'messages.ndjson'))).toBe(true);
});

it('ships a built sample with its truth beside it', () => {
  const truth = JSON.parse(readFileSync(join(shippedTruthPath(), 'truth.json'), 'utf8'));
  expect(truth).toMatchObject({ seed: 1, edgeCases: true });
  expect(existsSync(join(shippedExportPath(), 'export.csv'))).toBe(true);
  expect(existsSync(join(shippedExportPath(), 'truth.json'))).toBe(false);
  for (const part of truth.manifest.files) expect(existsSync(join(shippedExportPath(), part))).toBe(true);
});
