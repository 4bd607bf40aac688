// What the redact tests read back with independent tools: Python's zipfile and csv, and unzip -t.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url));

/** The built CLI run in `cwd`, without a key from the environment: each test's key is its own. */
export const runCli = (cwd: string, args: string[]) =>
  spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, TALENT_EXPORT_REDACT_KEY: undefined },
  });

/** Per zip of `dir`: its entries (name, CRC, sizes, sha256 of the stored bytes) and every CSV's rows. */
export interface ZipView {
  entries: { name: string; crc: number; size: number; csize: number; raw: string }[];
  tables: Record<string, string[][]>;
  testzip: string | null;
}

const READ = `
import csv, hashlib, io, json, struct, sys, zipfile
out = {}
for path in sys.argv[1:]:
    view = {'entries': [], 'tables': {}}
    with open(path, 'rb') as raw, zipfile.ZipFile(path) as z:
        view['testzip'] = z.testzip()
        for info in z.infolist():
            raw.seek(info.header_offset + 26)
            n, m = struct.unpack('<HH', raw.read(4))
            raw.seek(info.header_offset + 30 + n + m)
            stored = hashlib.sha256(raw.read(info.compress_size)).hexdigest()
            view['entries'].append({'name': info.filename, 'crc': info.CRC, 'size': info.file_size,
                                    'csize': info.compress_size, 'raw': stored})
            if info.filename.lower().endswith('.csv'):
                text = z.read(info).decode('utf-8-sig')
                view['tables'][info.filename] = list(csv.reader(io.StringIO(text, newline='')))
    out[path.split('/')[-1]] = view
print(json.dumps(out))
`;

/** Every zip of `dir`, read by Python. */
export function readZips(dir: string): Record<string, ZipView> {
  const zips = readdirSync(dir)
    .filter((name) => name.endsWith('.zip'))
    .map((name) => join(dir, name));
  const r = spawnSync('python3', ['-c', READ, ...zips], { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout) as Record<string, ZipView>;
}

/** Whether Info-ZIP's `unzip -t` finds every zip of `dir` intact. */
export function unzipTest(dir: string): boolean {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.zip'))
    .every((name) => spawnSync('unzip', ['-tq', join(dir, name)]).status === 0);
}

/** A table's rows (header first) by the end of its entry name, from `export.zip`. */
export function table(views: Record<string, ZipView>, file: string): string[][] {
  const tables = views['export.zip']!.tables;
  const name = Object.keys(tables).find((n) => n.split('/').pop() === file);
  if (!name) throw new Error(`no ${file} in export.zip`);
  return tables[name]!;
}

/** Candidate folder ids of the attachment parts, and their files as `<id>/<Kind>/<name>`. */
export function folders(views: Record<string, ZipView>): { ids: Set<string>; files: string[] } {
  const ids = new Set<string>();
  const files: string[] = [];
  for (const [zip, view] of Object.entries(views)) {
    if (zip === 'export.zip') continue;
    for (const entry of view.entries) {
      const m = /Candidate_([^/]+)\/([^/]+)\/([^/]+)$/.exec(entry.name);
      if (!m) continue;
      ids.add(m[1]!);
      files.push(`${m[1]}/${m[2]}/${m[3]}`);
    }
  }
  return { ids, files };
}
