// Runs every benchmark in this folder one after another (they compete for the same cores otherwise).
// Usage: node bench/run.mjs [--mb N] [name ...]   e.g. node bench/run.mjs --mb 100 zip schema
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const passed = [];
const names = [];
for (let i = 0; i < args.length; i += 1) {
  if (args[i].startsWith('--')) {
    passed.push(args[i], args[i + 1]);
    i += 1;
  } else names.push(args[i]);
}
const benches = readdirSync(here)
  .filter((f) => f.endsWith('.mjs') && f !== 'run.mjs' && !f.startsWith('_'))
  .filter((f) => names.length === 0 || names.includes(f.replace(/\.mjs$/, '')))
  .sort();
let failed = 0;
for (const file of benches) {
  console.log(`\n== ${file} ==`);
  const result = spawnSync(process.execPath, [join(here, file), ...passed], { stdio: 'inherit' });
  if (result.status !== 0) failed += 1;
}
process.exitCode = failed > 0 ? 1 : 0;
