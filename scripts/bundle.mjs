// Bundles a package's compiled modules (dist/, as tsc wrote them) into one file per entry point and the
// chunks entries share: loading the attachment index read 71 files, ~35 ms of a 270 ms listing, before
// it read a byte of a zip. The .d.ts files stay as tsc wrote them.
// Entries: the package.json exports and bin, and each module that a `new URL('<relative path>',
// import.meta.url)` names (worker threads and record stages are loaded by file). Such paths are made
// right again for the file the code lands in.
// Usage, in a package's build script after tsc: node ../../scripts/bundle.mjs [--inline <package> ...]
// (--inline: a dependency bundled in; the others, node's modules and this repository's packages are not).

import { mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { rolldown } from 'rolldown';

const root = process.cwd();
const dist = join(root, 'dist');
const inline = process.argv.flatMap((arg, i) => (process.argv[i - 1] === '--inline' ? [arg] : []));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

const filesUnder = (dir) =>
  readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((f) => join(dir, f))
    .filter((f) => statSync(f).isFile());
const isCode = (file) => file.endsWith('.js') || file.endsWith('.js.map');

const NEW_URL = /new URL\(\s*(['"])(\.\.?\/[^'"]+)\1\s*,\s*import\.meta\.url\s*\)/g;
const MARK = '@bundled-url:';

/** The files the package's consumers load: its exports, its bin, and the files its code loads by URL. */
function entries() {
  const found = new Set();
  const add = (target) => {
    if (typeof target === 'string' && target.endsWith('.js')) found.add(resolve(root, target));
  };
  const walk = (value) => {
    if (typeof value === 'string') add(value);
    else if (value && typeof value === 'object') for (const v of Object.values(value)) walk(v);
  };
  walk(pkg.exports);
  walk(pkg.bin);
  for (const file of filesUnder(dist).filter((f) => f.endsWith('.js'))) {
    for (const m of readFileSync(file, 'utf8').matchAll(NEW_URL)) add(resolve(dirname(file), m[2]));
  }
  for (const file of found) {
    if (!file.startsWith(dist + sep)) throw new Error(`bundle: entry ${file} is not in dist/`);
    statSync(file); // a missing entry fails the build here, not at run time
  }
  return Object.fromEntries([...found].map((f) => [relative(dist, f).slice(0, -'.js'.length), f]));
}

const external = (id) =>
  id.startsWith('node:') ||
  builtinModules.includes(id) ||
  (!id.startsWith('.') &&
    !id.startsWith('/') &&
    !id.startsWith('\0') &&
    !inline.some((n) => id === n || id.startsWith(`${n}/`)));

/** `new URL('./x', import.meta.url)` kept pointing at x from whichever file the code lands in. */
const urls = {
  name: 'relative-urls',
  transform(code, id) {
    if (!code.includes('import.meta.url')) return null;
    const marked = (_, _q, path) =>
      `new URL(${JSON.stringify(MARK + resolve(dirname(id), path))}, import.meta.url)`;
    // The lines stay as they were: the source map is kept (null).
    return { code: code.replace(NEW_URL, marked), map: null };
  },
  renderChunk(code, chunk) {
    if (!code.includes(MARK)) return null;
    const from = dirname(join(dist, chunk.fileName));
    const replaced = code.replace(/(["'])@bundled-url:([^"']+)\1/g, (_, _q, target) => {
      const path = relative(from, target).split(sep).join('/');
      return JSON.stringify(path.startsWith('.') ? path : `./${path}`);
    });
    return { code: replaced, map: null };
  },
};

const out = mkdtempSync(join(root, '.bundle-'));
try {
  const build = await rolldown({
    input: entries(),
    platform: 'node',
    external,
    plugins: [urls],
    logLevel: 'warn',
  });
  await build.write({
    dir: out,
    format: 'esm',
    entryFileNames: '[name].js',
    chunkFileNames: '[name]-[hash].js',
    sourcemap: true,
    // Parsing is paid at every start, comments included (~18 ms of a listing's 350 ms went to compiling the
    // modules); the sources and their comments stay in the source maps.
    comments: { legal: true, annotation: true, jsdoc: false },
  });
  await build.close();
  for (const file of filesUnder(dist).filter(isCode)) rmSync(file);
  for (const file of filesUnder(out)) {
    const to = join(dist, relative(out, file));
    mkdirSync(dirname(to), { recursive: true });
    renameSync(file, to);
  }
} finally {
  rmSync(out, { recursive: true, force: true });
}
