// What an installed package holds: the sample export the CLI reads when it is given none must be packed.
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { shippedExportPath, shippedTruthPath } from './shipped.js';

it('the packed package holds every file of the shipped export and its truth', () => {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const packed = JSON.parse(
    execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8' }),
  ) as { files: { path: string }[] }[];
  const files = new Set(packed[0]!.files.map((f) => f.path));
  for (const dir of [shippedExportPath(), shippedTruthPath()]) {
    const names = readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => relative(root, `${entry.parentPath}/${entry.name}`));
    expect(names.length).toBeGreaterThan(2);
    for (const name of names) expect(files).toContain(name);
  }
});
