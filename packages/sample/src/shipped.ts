import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Absolute path of the small sample export the package build generates (300 candidates, seed 1). */
export function shippedExportPath(): string {
  return resolve(packageRoot, 'shipped-export');
}

/** Its ground truth, beside it (not inside: the export folder holds only what LinkedIn's download holds). */
export function shippedTruthPath(): string {
  return resolve(packageRoot, 'shipped-export.truth');
}
