/**
 * Build step: generate the sample export that ships with the package, unless the one on disk was made by
 * this very generator (its compiled code's hash is stamped into the truth folder).
 */
import { createHash } from 'node:crypto';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateExport } from './generate.js';
import { prettyJson } from './json.js';
import { shippedExportPath, shippedTruthPath } from './shipped.js';

export const SHIPPED_OPTIONS = {
  candidates: 300,
  seed: 1,
  edgeCases: true,
  truthRecords: true,
  attachmentsMb: 4,
} as const;

async function generatorHash(): Promise<string> {
  const dist = dirname(fileURLToPath(import.meta.url));
  const hash = createHash('sha256').update(JSON.stringify(SHIPPED_OPTIONS));
  const names = (await readdir(dist)).filter((name) => name.endsWith('.js') && name !== 'ship.js').sort();
  for (const name of names) hash.update(name).update(await readFile(join(dist, name)));
  return hash.digest('hex');
}

async function main() {
  const dir = shippedExportPath();
  const truthDir = shippedTruthPath();
  const stampPath = join(truthDir, 'stamp.json');
  const generator = await generatorHash();
  const current = await readFile(stampPath, 'utf8').then(
    (text) => (JSON.parse(text) as { generator?: string }).generator,
    () => undefined,
  );
  const complete = await stat(join(truthDir, 'truth.json')).then(
    () => true,
    () => false,
  );
  if (current === generator && complete) return;
  await generateExport({ ...SHIPPED_OPTIONS, dir, truthDir, force: true });
  await writeFile(stampPath, prettyJson({ generator, options: SHIPPED_OPTIONS }));
}

await main();
