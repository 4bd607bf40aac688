// Bundles of candidates on a generated export with attachments, checked by independent readers: unzip -t
// and Python's zipfile for the archives, Python's csv over the export's own CSVs for the rows, the
// source part's entries for the attachments, and the join's documents for candidate.json.
import { execFileSync, spawnSync } from 'node:child_process';
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { extractExport, openExport } from '@talent-export/export';
import { generateExport } from '@talent-export/sample';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { joinExport } from './join.js';
import { bundleCandidates, type SubjectsOptions } from './subjects.js';

type Doc = Record<string, unknown[]> & { candidate_id: string };

let work: string;
let dir: string;
const docs = new Map<string, Doc>();
let chosen: string[];

async function bundle(options: Omit<SubjectsOptions, 'threads'>) {
  const ex = await openExport(dir);
  try {
    return await bundleCandidates(ex, { threads: 2, ...options });
  } finally {
    await ex.close();
  }
}

const python = (code: string, ...args: string[]): unknown =>
  JSON.parse(execFileSync('python3', ['-c', code, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 }));

/** Per table of the export's CSVs (read by Python's csv from export.zip): the header as written, and the rows of one candidate, whole. */
const SOURCE_ROWS = `
import csv, io, json, sys, zipfile
z = zipfile.ZipFile(sys.argv[1]); cand = sys.argv[2]
keys = ('candidate', 'customfieldvalue', 'scorecard', 'feedback', 'note', 'message')
out = {}
for name in z.namelist():
    base = name.rsplit('/', 1)[-1].lower().removesuffix('.csv').rstrip('s')
    if base not in keys: continue
    raw = z.read(name)
    rows = list(csv.reader(io.StringIO(raw.decode('utf-8-sig'), newline='')))
    head = [h.strip().lower() for h in rows[0]]
    idx = {h: i for i, h in enumerate(head)}
    mine = []
    for r in rows[1:]:
        if len(r) != len(head): continue
        if base == 'customfieldvalue':
            if r[idx['entity_type']].lower() != 'candidate' or r[idx['entity_id']] != cand: continue
        elif r[idx['candidate_id']] != cand: continue
        mine.append(r)
    out[base] = {'header': rows[0], 'rows': sorted(mine), 'bom': raw.startswith(b'\\xef\\xbb\\xbf'),
                 'crlf': raw.split(b'\\n', 1)[0].endswith(b'\\r')}
print(json.dumps(out))
`;

/** The bundle as Python's zipfile reads it: testzip, names, and per CSV its header and rows. */
const BUNDLE_ROWS = `
import csv, io, json, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
assert z.testzip() is None
names = ('Candidate.csv', 'CustomFieldValues.csv', 'Scorecards.csv', 'Feedbacks.csv', 'Notes.csv', 'Messages.csv')
out = {'names': z.namelist(), 'csv': {}, 'document': json.loads(z.read('candidate.json'))}
for name in names:
    raw = z.read(name)
    rows = list(csv.reader(io.StringIO(raw.decode('utf-8-sig'), newline='')))
    # Whether it keeps the source's byte order mark and line ends (a line break in a quoted field is a value's).
    out['csv'][name] = {'header': rows[0], 'rows': sorted(rows[1:]), 'bom': raw.startswith(b'\\xef\\xbb\\xbf'),
                        'crlf': raw.split(b'\\n', 1)[0].endswith(b'\\r') and raw.count(b'\\r\\n') >= len(rows)}
print(json.dumps(out))
`;

/** Each attachment of the bundle against the part's entry: same bytes, same CRC, same compressed size. */
const SAME_ATTACHMENTS = `
import json, sys, zipfile
b = zipfile.ZipFile(sys.argv[1]); pairs = json.loads(sys.argv[2]); out = []
for name, part, entry in pairs:
    p = zipfile.ZipFile(part)
    x, y = b.getinfo(name), p.getinfo(entry)
    out.append([name, b.read(name) == p.read(entry), x.CRC == y.CRC, x.compress_size == y.compress_size,
                x.compress_type == y.compress_type])
print(json.dumps(out))
`;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'subjects-'));
  dir = join(work, 'export');
  await generateExport({ dir, candidates: 300, attachmentsMb: 2, edgeCases: true });
  const ex = await openExport(dir);
  try {
    await joinExport(ex, { out: join(work, 'joined') });
  } finally {
    await ex.close();
  }
  for (const line of readFileSync(join(work, 'joined', 'candidates.ndjson'), 'utf8').split('\n'))
    if (line) {
      const doc = JSON.parse(line) as Doc;
      docs.set(doc.candidate_id, doc);
    }
  // The candidates with the most rows and attachments, one with several projects, and one whose text has a
  // line feed and a quote (a CSV record over several lines).
  const weight = (d: Doc) =>
    d.attachments!.length * 10 +
    d.scorecards!.length +
    d.feedbacks!.length +
    d.notes!.length +
    d.messages!.length +
    d.custom_fields!.length;
  const all = [...docs.values()];
  const ranked = [...all].sort((a, b) => weight(b) - weight(a));
  const multi = all.find((d) => d.projects!.length > 1 && !ranked.slice(0, 2).includes(d))!;
  const text = (d: Doc) => JSON.stringify([d.notes, d.messages, d.feedbacks]);
  const quoted = all.find((d) => text(d).includes('\\n') && text(d).includes('\\"') && d !== multi)!;
  chosen = [ranked[0]!.candidate_id, ranked[1]!.candidate_id, multi.candidate_id, quoted.candidate_id];
}, 120_000);

describe('bundleCandidates', () => {
  it('writes one archive per candidate: whole, its document the join’s, its rows and attachments exactly the candidate’s', async () => {
    const out = join(work, 'three');
    const result = await bundle({ out, candidates: chosen });
    expect(result.unknown).toEqual([]);
    expect(result.problems.filter((p) => p.code === 'CANDIDATE_UNKNOWN')).toEqual([]);
    expect(readdirSync(out).sort()).toEqual(chosen.map((id) => `Candidate_${id}.zip`).sort());
    const exportZip = join(dir, 'export.zip');
    let attachments = 0;
    let rows = 0;
    for (const id of chosen) {
      const path = join(out, `Candidate_${id}.zip`);
      execFileSync('unzip', ['-tqq', path]);
      const got = python(BUNDLE_ROWS, path) as {
        names: string[];
        csv: Record<string, { header: string[]; rows: string[][]; bom: boolean; crlf: boolean }>;
        document: Doc;
      };
      // The join's document, each attachment's place in the parts (whose names hold other candidates' ids)
      // replaced by its path in the bundle.
      const folders = { public: 'Public', private: 'Private', miscellaneous: 'Miscellaneous' } as const;
      const { attachments: listed, ...rest } = docs.get(id)!;
      const inBundle = (listed as { kind: keyof typeof folders; file_name: string; part: string }[]).map(
        ({
          part: _,
          entry: __,
          ...a
        }: Record<string, unknown> & { kind: keyof typeof folders; file_name: string }) => ({
          ...a,
          path: `attachments/${folders[a.kind]}/${a.file_name}`,
        }),
      );
      expect(got.document).toEqual({ ...rest, attachments: inBundle });
      expect(JSON.stringify(got.document)).not.toMatch(/Attachments?_\d/);
      const source = python(SOURCE_ROWS, exportZip, id) as Record<
        string,
        { header: string[]; rows: string[][]; bom: boolean; crlf: boolean }
      >;
      const pairs: [string, string, string][] = [
        ['Candidate.csv', 'candidate'],
        ['CustomFieldValues.csv', 'customfieldvalue'],
        ['Scorecards.csv', 'scorecard'],
        ['Feedbacks.csv', 'feedback'],
        ['Notes.csv', 'note'],
        ['Messages.csv', 'message'],
      ].map(([a, b]) => [a!, b!, id]);
      for (const [name, base] of pairs) {
        const { header, bom, crlf } = got.csv[name]!;
        expect({ id, name, header, bom, crlf }).toEqual({
          id,
          name,
          header: source[base]!.header,
          bom: source[base]!.bom,
          crlf: source[base]!.crlf,
        });
        expect({ id, name, rows: got.csv[name]!.rows }).toEqual({ id, name, rows: source[base]!.rows });
        rows += source[base]!.rows.length;
      }
      const doc = docs.get(id)!;
      const files = doc.attachments as { kind: string; file_name: string; part: string; entry: string }[];
      const folder = { public: 'Public', private: 'Private', miscellaneous: 'Miscellaneous' } as Record<
        string,
        string
      >;
      const inZip = files.map((a) => `attachments/${folder[a.kind]}/${a.file_name}`);
      expect(got.names.filter((n) => n.startsWith('attachments/')).sort()).toEqual([...inZip].sort());
      const checked = python(
        SAME_ATTACHMENTS,
        path,
        JSON.stringify(files.map((a, i) => [inZip[i], join(dir, a.part), a.entry])),
      ) as [string, boolean, boolean, boolean, boolean][];
      for (const [name, ...same] of checked)
        expect({ name, same }).toEqual({ name, same: [true, true, true, true] });
      attachments += files.length;
    }
    // The chosen candidates are not empty ones: the checks above compared something.
    expect(attachments).toBeGreaterThan(2);
    expect(rows).toBeGreaterThan(10);
    expect(result.bundles.map((b) => b.attachments).reduce((a, b) => a + b)).toBe(attachments);
  });

  it('gives the same bytes on a second run, with other threads', async () => {
    const a = join(work, 'three');
    const b = join(work, 'again');
    await bundle({ out: b, candidates: [...chosen].reverse(), threads: 1 } as SubjectsOptions);
    for (const id of chosen) {
      const name = `Candidate_${id}.zip`;
      expect(readFileSync(join(b, name)).equals(readFileSync(join(a, name)))).toBe(true);
    }
  });

  it('says the bundles of a lone export.zip hold no attachments, as no part was there to read', async () => {
    const ex = await openExport(join(dir, 'export.zip'));
    try {
      const out = join(work, 'lone');
      const result = await bundleCandidates(ex, { out, candidates: [chosen[0]!], threads: 1 });
      const found = result.problems.find((p) => p.code === 'BUNDLE_NO_PARTS');
      expect(found?.severity).toBe('problem');
      expect(found?.message).toContain('the 1 bundle(s) hold no attachments');
    } finally {
      await ex.close();
    }
    const whole = await bundle({ out: join(work, 'not-lone'), candidates: [chosen[0]!] });
    expect(whole.problems.map((p) => p.code)).not.toContain('BUNDLE_NO_PARTS');
  });

  it('reports ids the candidates table does not hold, by id, and writes no archive for them', async () => {
    const out = join(work, 'unknown');
    const result = await bundle({ out, candidates: [chosen[0]!, '424242424242'] });
    expect(result.unknown).toEqual(['424242424242']);
    const found = result.problems.filter((p) => p.code === 'CANDIDATE_UNKNOWN');
    expect(found).toHaveLength(1);
    expect(found[0]!.severity).toBe('problem');
    expect(found[0]!.message).toContain('424242424242');
    expect(readdirSync(out)).toEqual([`Candidate_${chosen[0]}.zip`]);
  });

  it('removes the archive an earlier run wrote for an id that gets none now, and says so; other files stay', async () => {
    const out = join(work, 'unknown-earlier');
    mkdirSync(out);
    writeFileSync(join(out, 'Candidate_424242424242.zip'), 'an earlier answer');
    writeFileSync(join(out, 'notes.txt'), 'mine');
    const result = await bundle({ out, candidates: [chosen[0]!, '424242424242'] });
    expect(readdirSync(out).sort()).toEqual([`Candidate_${chosen[0]}.zip`, 'notes.txt']);
    const message = result.problems.find((p) => p.code === 'CANDIDATE_UNKNOWN')!.message;
    expect(message).toMatch(
      /an earlier run wrote into the folder was removed for 1 of them, .*: 424242424242$/,
    );
  });

  it('names only the unknown ids made of digits: a name asked for by mistake is counted, not shown', async () => {
    const out = join(work, 'unknown-names');
    const result = await bundle({ out, candidates: ['424242424242', 'Zoe_Smith'] });
    const message = result.problems.find((p) => p.code === 'CANDIDATE_UNKNOWN')!.message;
    expect(message).toContain('424242424242; 1 not made of digits');
    expect(message).not.toContain('Zoe');
  });

  it('leaves no partial archive and no temporary file when stopped', async () => {
    const out = join(work, 'stopped');
    const controller = new AbortController();
    const ids = [...docs.keys()].slice(0, 40);
    const run = bundle({
      out,
      candidates: ids,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.phase === 'bundles' && p.done === 5) controller.abort();
      },
    });
    await expect(run).rejects.toMatchObject({ code: 'JOIN_ABORTED' });
    const left = readdirSync(out);
    expect(left.length).toBeGreaterThanOrEqual(5);
    expect(left.length).toBeLessThan(ids.length);
    for (const name of left) {
      expect(name).toMatch(/^Candidate_\d+\.zip$/);
      execFileSync('unzip', ['-tqq', join(out, name)]);
    }
  });

  it("removes the temps of archives a killed run left in the folder, not a live run's", async () => {
    const out = join(work, 'killed');
    mkdirSync(out);
    const dead = spawnSync(process.execPath, ['-e', '']).pid;
    const [id] = [...docs.keys()];
    const left = [
      `.Candidate_${id}.zip.${dead}-0123456789ab.tmp`,
      `.Candidate_${id}.zip.cd.${dead}-0123456789ab.tmp`,
    ];
    // Of another live process (one of this process's id that it is not writing is an earlier run's).
    const live = `.Candidate_${id}.zip.${process.ppid}-0123456789ab.tmp`;
    for (const name of [...left, live]) writeFileSync(join(out, name), 'partial');
    await bundle({ out, candidates: [id!] });
    expect(readdirSync(out).sort()).toEqual([live, `Candidate_${id}.zip`]);
  });

  it('a run stopped before its first archive leaves no folder it made', async () => {
    const parent = join(work, 'stopped-early');
    const controller = new AbortController();
    const run = bundle({
      out: join(parent, 'out'),
      candidates: [...docs.keys()].slice(0, 5),
      signal: controller.signal,
      onProgress: (p) => {
        if (p.phase === 'table') controller.abort();
      },
    });
    await expect(run).rejects.toMatchObject({ code: 'JOIN_ABORTED' });
    expect(existsSync(parent)).toBe(false);
  });

  it('refuses an id that could name a file outside the folder', async () => {
    await expect(bundle({ out: join(work, 'bad'), candidates: ['../x'] })).rejects.toMatchObject({
      code: 'JOIN_BAD_OPTION',
    });
  });
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

// The document lists the attachments with a CRC only a zip has, in index order (the zip's order, or the
// folder walk's): those differ between a download and its extraction.
const BUNDLE_FILES = `
import json, sys, zipfile
z = zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None
out = {n: z.read(n).decode('latin-1') for n in sorted(z.namelist())}
doc = json.loads(z.read('candidate.json'))
for a in doc['attachments']:
    del a['crc32']
doc['attachments'].sort(key=lambda a: (a['kind'], a['file_name']))
out['candidate.json'] = doc
print(json.dumps(out))
`;

describe('bundleCandidates on thousands of same-named files of one candidate', () => {
  it('gives them the suffixes in order, skipping one the part holds', async () => {
    const many = join(work, 'many-same-named');
    cpSync(dir, many, { recursive: true });
    const id = chosen[0]!;
    // `r_3.pdf` itself, then 3,000 files `F<i>/Candidate_<id>/Public/r.pdf` holding `<i>`.
    const part = `
import sys, zipfile
path, id = sys.argv[1:]
with zipfile.ZipFile(path, 'w') as z:
    z.writestr(f'Candidate_{id}/Public/r_3.pdf', 'own')
    for i in range(3000): z.writestr(f'F{i}/Candidate_{id}/Public/r.pdf', str(i))
`;
    execFileSync('python3', ['-c', part, join(many, `Attachment_${id}-${id}.zip`), id]);
    const out = join(work, 'many-same-named-out');
    const ex = await openExport(many);
    try {
      await bundleCandidates(ex, { out, candidates: [id] });
    } finally {
      await ex.close();
    }
    const got = python(BUNDLE_FILES, join(out, `Candidate_${id}.zip`)) as Record<string, string>;
    const suffixes = [1, 2, ...Array.from({ length: 2997 }, (_, i) => i + 4)];
    const given = ['r.pdf', ...suffixes.map((n) => `r_${n}.pdf`)];
    const expected = Object.fromEntries([
      ['attachments/Public/r_3.pdf', 'own'],
      ...given.map((name, i) => [`attachments/Public/${name}`, String(i)]),
    ]);
    const mine = Object.entries(got).filter(([name]) => /^attachments\/Public\/r[._]/.test(name));
    expect(Object.fromEntries(mine)).toEqual(expected);
  });
});

describe('bundleCandidates on an extracted export', () => {
  it('gives the same documents, rows and attachment bytes as from the download', async () => {
    const extracted = join(work, 'extracted');
    const ex = await openExport(dir);
    try {
      await extractExport(ex, { out: extracted });
    } finally {
      await ex.close();
    }
    const download = join(work, 'from-download');
    await bundle({ out: download, candidates: chosen });
    const out = join(work, 'from-extracted');
    const again = await openExport(extracted);
    try {
      const result = await bundleCandidates(again, { out, candidates: chosen });
      expect(result.unknown).toEqual([]);
    } finally {
      await again.close();
    }
    expectSameBundles(out, download);
  });

  it('reads the attachments of parts unzipped each into a folder of its own (Attachment_1-2/Candidate_1/...)', async () => {
    const parted = join(work, 'parted');
    mkdirSync(parted);
    execFileSync('unzip', ['-q', join(dir, 'export.zip'), '-d', join(parted, 'export')]);
    for (const name of readdirSync(dir).filter((n) => n.startsWith('Attachment_')))
      execFileSync('unzip', ['-q', join(dir, name), '-d', join(parted, name.replace(/\.zip$/, ''))]);
    const download = join(work, 'parted-from-download');
    await bundle({ out: download, candidates: chosen });
    const out = join(work, 'from-parted');
    const again = await openExport(parted);
    try {
      expect(again.layout).toBe('extracted');
      expect(again.parts.map((p) => [p.kind, p.file.startsWith('Attachment_')])).toContainEqual([
        'folder',
        true,
      ]);
      const result = await bundleCandidates(again, { out, candidates: chosen });
      expect(result.unknown).toEqual([]);
    } finally {
      await again.close();
    }
    expectSameBundles(out, download);
  });
});

describe('bundleCandidates on a download missing a part whose name may not tell the candidates in it', () => {
  // export.csv lists two parts; the first is there, the second is not.
  const make = `
import sys, zipfile, os
folder, present, missing, held = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4].split(',')
os.makedirs(folder, exist_ok=True)
with zipfile.ZipFile(os.path.join(folder, 'export.zip'), 'w') as z:
    z.writestr('Contract_1/Candidate.csv', 'candidate_id,first_name\\n' + ''.join(f'{i},A\\n' for i in range(1, 10)))
with zipfile.ZipFile(os.path.join(folder, present), 'w') as z:
    for id in held: z.writestr(f'Candidate_{id}/Public/cv.pdf', f'cv {id}')
with open(os.path.join(folder, 'export.csv'), 'w') as f:
    f.write(f'Filename,Download Url\\nexport.zip,u\\n{present},u\\n{missing},u\\n')
`;
  const incomplete = async (name: string, present: string, missing: string, held: string, ask: string) => {
    const folder = join(work, name);
    execFileSync('python3', ['-c', make, folder, present, missing, held]);
    const ex = await openExport(folder);
    try {
      const result = await bundleCandidates(ex, { out: join(work, `${name}-out`), candidates: [ask] });
      return result.problems.find((p) => p.code === 'BUNDLE_INCOMPLETE')?.message;
    } finally {
      await ex.close();
    }
  };

  it('takes it for one that may hold any candidate when the parts there do not hold to their names', async () => {
    // Attachment_1-2.zip holds candidate 7: the missing Attachment_3-4.zip may hold candidate 1's files too.
    expect(await incomplete('renamed-parts', 'Attachment_1-2.zip', 'Attachment_3-4.zip', '1,7', '1')).toMatch(
      /Attachment_3-4\.zip \(not in the folder\).*: 1\./,
    );
    // The parts there hold to their names: the missing one's range is taken at its word.
    expect(await incomplete('named-parts', 'Attachment_1-2.zip', 'Attachment_3-4.zip', '1,2', '1')).toBe(
      undefined,
    );
  });

  it('takes it for one that may hold any candidate when its range runs downwards', async () => {
    expect(await incomplete('downward-part', 'Attachment_1-1.zip', 'Attachment_9-2.zip', '1', '5')).toMatch(
      /Attachment_9-2\.zip \(not in the folder\).*: 5\./,
    );
  });
});

describe('bundleCandidates on a download whose candidate folders were moved into one folder', () => {
  it("reads them from there, as the guide's tip leaves them, export.csv's parts not taken for missing", async () => {
    const merged = join(work, 'merged');
    const scratch = join(work, 'merged-scratch');
    mkdirSync(join(merged, 'All candidates'), { recursive: true });
    for (const name of ['export.csv', 'export.zip']) copyFileSync(join(dir, name), join(merged, name));
    for (const name of readdirSync(dir).filter((n) => n.startsWith('Attachment_')))
      execFileSync('unzip', ['-q', join(dir, name), '-d', scratch]);
    for (const range of readdirSync(scratch))
      for (const folder of readdirSync(join(scratch, range)))
        renameSync(join(scratch, range, folder), join(merged, 'All candidates', folder));
    const download = join(work, 'merged-from-download');
    await bundle({ out: download, candidates: chosen });
    const out = join(work, 'from-merged');
    const again = await openExport(merged);
    try {
      expect([again.layout, again.parts.map((p) => p.file)]).toEqual(['download', ['All candidates']]);
      const result = await bundleCandidates(again, { out, candidates: chosen });
      expect(result.problems.filter((p) => p.code === 'BUNDLE_INCOMPLETE')).toEqual([]);
    } finally {
      await again.close();
    }
    expectSameBundles(out, download);
  });
});

/** The bundles of `chosen` in `out` hold the same files as those in `download`, attachments among them. */
function expectSameBundles(out: string, download: string): void {
  let attachments = 0;
  for (const id of chosen) {
    const name = `Candidate_${id}.zip`;
    const got = python(BUNDLE_FILES, join(out, name)) as Record<string, unknown>;
    expect(got).toEqual(python(BUNDLE_FILES, join(download, name)));
    attachments += Object.keys(got).filter((n) => n.startsWith('attachments/')).length;
  }
  expect(attachments).toBeGreaterThan(2);
}

describe('bundleCandidates on a part with entries the reader refuses', () => {
  // `r.pdf` twice (an ambiguous archive), and 3 MiB of zeros (over the ratio cap).
  const part = `
import sys, warnings, zipfile
warnings.simplefilter('ignore')
path, a, b = sys.argv[1:]
with zipfile.ZipFile(path, 'w', zipfile.ZIP_DEFLATED) as z:
    z.writestr(f'Candidate_{a}/Public/r.pdf', 'first')
    z.writestr(f'Candidate_{a}/Public/r.pdf', 'second')
    z.writestr(f'Candidate_{b}/Miscellaneous/zeros.pdf', bytes(3 << 20))
`;
  let refusing: string;
  beforeAll(() => {
    refusing = join(work, 'refusing');
    cpSync(dir, refusing, { recursive: true });
    execFileSync('python3', ['-c', part, join(refusing, 'Attachment_1-2.zip'), chosen[0]!, chosen[1]!]);
  });

  const run = async (out: string, maxRatio?: number) => {
    const zip = maxRatio === undefined ? {} : { zip: { limits: { maxRatio } } };
    const ex = await openExport(refusing, zip);
    try {
      return await bundleCandidates(ex, { out, candidates: chosen.slice(0, 2), ...zip });
    } finally {
      await ex.close();
    }
  };
  const names = (out: string, id: string) =>
    (python(BUNDLE_FILES, join(out, `Candidate_${id}.zip`)) as Record<string, string>) ?? {};

  it('writes every archive without the refused entries, which are problems', async () => {
    const out = join(work, 'refusing-out');
    const result = await run(out);
    expect(readdirSync(out).sort()).toEqual(
      chosen
        .slice(0, 2)
        .map((id) => `Candidate_${id}.zip`)
        .sort(),
    );
    expect(result.problems.filter((p) => p.code === 'ENTRY_REFUSED')).toHaveLength(2);
    expect(names(out, chosen[0]!)['attachments/Public/r.pdf']).toBe('first');
    expect(Object.keys(names(out, chosen[0]!))).not.toContain('attachments/Public/R_1.PDF');
    expect(Object.keys(names(out, chosen[1]!))).not.toContain('attachments/Miscellaneous/zeros.pdf');
  });

  it('reads the parts with the limits given, as the index did', async () => {
    const out = join(work, 'refusing-raised');
    const result = await run(out, 100_000);
    expect(result.problems.filter((p) => p.code === 'ENTRY_REFUSED')).toHaveLength(1);
    const zeros = names(out, chosen[1]!)['attachments/Miscellaneous/zeros.pdf'];
    expect(zeros).toHaveLength(3 << 20);
  });
});

describe('bundleCandidates on a table whose header the schema refuses', () => {
  it('fails naming the file and line, as join does', async () => {
    const broken = join(work, 'no-message-id');
    cpSync(dir, broken, { recursive: true });
    const rename = `
import sys, zipfile
path = sys.argv[1]
z = zipfile.ZipFile(path); files = {n: z.read(n) for n in z.namelist()}; z.close()
with zipfile.ZipFile(path, 'w', zipfile.ZIP_DEFLATED) as out:
    for n, b in files.items():
        out.writestr(n, b.replace(b'message_id,', b'msg_id,', 1) if n.endswith('Messages.csv') else b)
`;
    execFileSync('python3', ['-c', rename, join(broken, 'export.zip')]);
    const ex = await openExport(broken);
    try {
      const out = join(work, 'no-message-id-out');
      await expect(bundleCandidates(ex, { out, candidates: [chosen[0]!] })).rejects.toMatchObject({
        code: 'SCHEMA_MISSING_COLUMN',
        message: expect.stringMatching(/^export\.zip:\S*Messages\.csv line 1: /),
      });
    } finally {
      await ex.close();
    }
  });
});

describe('bundleCandidates on two files whose names of 255 bytes differ in case only', () => {
  it('gives the second a suffix that still fits in 255 bytes, the end of its stem cut for it', async () => {
    const long = join(work, 'long-names');
    cpSync(dir, long, { recursive: true });
    const id = chosen[0]!;
    const part = `
import sys, zipfile
path, id = sys.argv[1:]
for n, (name, text) in enumerate([('é' * 125 + 'x.pdf', 'first'), ('É' * 125 + 'x.pdf', 'second')]):
    with zipfile.ZipFile(path.replace('.zip', f'{n}.zip'), 'w') as z:
        z.writestr(f'Candidate_{id}/Miscellaneous/{name}', text)
`;
    execFileSync('python3', ['-c', part, join(long, `Attachment_${id}-${id}.zip`), id]);
    const out = join(work, 'long-names-out');
    const ex = await openExport(long);
    try {
      await bundleCandidates(ex, { out, candidates: [id] });
    } finally {
      await ex.close();
    }
    const got = python(BUNDLE_FILES, join(out, `Candidate_${id}.zip`)) as Record<string, string>;
    const folder = 'attachments/Miscellaneous/';
    const mine = Object.keys(got).filter((n) => n.startsWith(folder) && n.endsWith('.pdf') && n.length > 100);
    expect(mine.map((n) => Buffer.byteLength(n.slice(folder.length)) <= 255)).toEqual([true, true]);
    expect(mine).toContain(`${folder}${'É'.repeat(124)}_1.pdf`);
  });
});

describe('bundleCandidates on files whose names are past 255 bytes', () => {
  it('cuts each to fit, its extension kept, as no common file system could unzip it; file_name keeps it whole', async () => {
    const long = join(work, 'too-long-names');
    cpSync(dir, long, { recursive: true });
    const id = chosen[0]!;
    const names = [
      `${'é'.repeat(150)}.pdf`,
      `${'x'.repeat(300)}.pdf`,
      `${'😀'.repeat(70)}.pdf`,
      `${'a'.repeat(300)}1.pdf`,
      `${'a'.repeat(300)}2.pdf`,
    ];
    const part = `
import json, sys, zipfile
path, id, names = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
with zipfile.ZipFile(path, 'w') as z:
    for n, name in enumerate(names): z.writestr(f'Candidate_{id}/Public/{name}', f'file {n}')
`;
    execFileSync('python3', [
      '-c',
      part,
      join(long, `Attachment_${id}-${id}.zip`),
      id,
      JSON.stringify(names),
    ]);
    const out = join(work, 'too-long-names-out');
    const ex = await openExport(long);
    try {
      await bundleCandidates(ex, { out, candidates: [id] });
    } finally {
      await ex.close();
    }
    const got = python(BUNDLE_FILES, join(out, `Candidate_${id}.zip`)) as Record<string, string> & {
      'candidate.json': { attachments: { file_name: string; path: string }[] };
    };
    const mine = got['candidate.json'].attachments.filter((a) => names.includes(a.file_name));
    expect(mine).toHaveLength(names.length);
    for (const { file_name, path } of mine) {
      const name = path.slice('attachments/Public/'.length);
      expect(Buffer.byteLength(name)).toBeLessThanOrEqual(255);
      expect(name.endsWith('.pdf')).toBe(true);
      expect(got[path]).toBe(`file ${names.indexOf(file_name)}`);
    }
    expect(new Set(mine.map((a) => a.path)).size).toBe(names.length);
    expect(mine.map((a) => a.path)).toContain(`attachments/Public/${'a'.repeat(249)}_1.pdf`);
  });
});

describe('bundleCandidates on an extracted export whose file names hold "\\" or a control character', () => {
  it('writes them with "_" in their place, as zip entry names cannot hold them, and names Windows cannot create', async () => {
    const odd = join(work, 'odd-names');
    const ex = await openExport(dir);
    try {
      await extractExport(ex, { out: odd });
    } finally {
      await ex.close();
    }
    const id = chosen[0]!;
    const private_ = join(odd, `Candidate_${id}`, 'Private');
    writeFileSync(join(private_, 'cv\\2024.pdf'), 'backslash');
    writeFileSync(join(private_, 'cv\u0001.pdf'), 'control');
    writeFileSync(join(private_, 'AUX.txt'), 'device');
    writeFileSync(join(private_, 'who? what.pdf'), 'question');
    writeFileSync(join(private_, 'final.pdf. '), 'dot and space');
    const out = join(work, 'odd-names-out');
    const again = await openExport(odd);
    try {
      await bundleCandidates(again, { out, candidates: [id] });
    } finally {
      await again.close();
    }
    const got = python(BUNDLE_FILES, join(out, `Candidate_${id}.zip`)) as Record<string, string>;
    expect(got['attachments/Private/cv_2024.pdf']).toBe('backslash');
    expect(got['attachments/Private/cv_.pdf']).toBe('control');
    expect(got['attachments/Private/AUX_.txt']).toBe('device');
    expect(got['attachments/Private/who_ what.pdf']).toBe('question');
    expect(got['attachments/Private/final.pdf']).toBe('dot and space');
    // The document keeps each file's name as it was, beside the path it has in the bundle.
    const document = got['candidate.json'] as unknown as {
      attachments: { file_name: string; path: string }[];
    };
    expect(document.attachments.find((a) => a.file_name === 'AUX.txt')?.path).toBe(
      'attachments/Private/AUX_.txt',
    );
  });
});

describe('bundleCandidates on attachments whose names turn the text around them (bidi overrides)', () => {
  it('writes each such character as "_", as extract does, with a NAME_UNSAFE_RENAMED notice; marks are kept', async () => {
    const turned = join(work, 'turned-names');
    const ex = await openExport(dir);
    try {
      await extractExport(ex, { out: turned });
    } finally {
      await ex.close();
    }
    const id = chosen[0]!;
    const misc = join(turned, `Candidate_${id}`, 'Miscellaneous');
    writeFileSync(join(misc, 'cv\u202Efdp.exe'), 'override');
    writeFileSync(join(misc, 'x\u2066y.txt'), 'isolate');
    writeFileSync(join(misc, 'a\u200Fb.pdf'), 'mark');
    const out = join(work, 'turned-names-out');
    const again = await openExport(turned);
    let problems: { code: string; message: string; severity: string }[];
    try {
      problems = (await bundleCandidates(again, { out, candidates: [id] })).problems;
    } finally {
      await again.close();
    }
    const got = python(BUNDLE_FILES, join(out, `Candidate_${id}.zip`)) as Record<string, string>;
    expect(got['attachments/Miscellaneous/cv_fdp.exe']).toBe('override');
    expect(got['attachments/Miscellaneous/x_y.txt']).toBe('isolate');
    expect(got['attachments/Miscellaneous/a\u200Fb.pdf']).toBe('mark');
    const renamed = problems.filter((p) => p.code === 'NAME_UNSAFE_RENAMED');
    expect(renamed.map((p) => p.message)).toEqual([
      expect.stringMatching(
        new RegExp(
          `^Candidate_${id}\\.zip: attachments/Miscellaneous/\\[file name, 10 characters\\]\\.exe is an attachment written under a new name: .*bidi overrides or isolates.*; its own name is the file_name of its row in candidate\\.json$`,
        ),
      ),
      expect.stringMatching(/\[file name, 7 characters\]\.txt is an attachment written under a new name/),
    ]);
    expect(renamed.every((p) => p.severity === 'notice' && !p.message.includes('\u202E'))).toBe(true);
  });
});

describe('bundleCandidates on an export with problems about other candidates', () => {
  // A part with another candidate's file twice (refused), one outside the kind folders and a stray file;
  // Notes.csv with a rejected row of that candidate and one of the candidate asked for.
  const mess = `
import sys, warnings, zipfile
warnings.simplefilter('ignore')
part, export_zip, other, mine = sys.argv[1:]
with zipfile.ZipFile(part, 'w') as z:
    z.writestr(f'Candidate_{other}/Public/Other_Person_CV.pdf', 'first')
    z.writestr(f'Candidate_{other}/Public/Other_Person_CV.pdf', 'second')
    z.writestr(f'Candidate_{other}/Scans/Other_Person_passport.pdf', 'scan')
    z.writestr('Stray_Person_notes.txt', 'stray')
with zipfile.ZipFile(export_zip) as z:
    items = [(i, z.read(i)) for i in z.infolist()]
with zipfile.ZipFile(export_zip, 'w', zipfile.ZIP_DEFLATED) as z:
    for info, data in items:
        if info.filename.lower().endswith('notes.csv'):
            nl = '\\r\\n' if b'\\r\\n' in data else '\\n'
            bad = ''.join(f'9{i},1,{c},"a "quoted" word",x,Project{nl}' for i, c in enumerate((other, mine)))
            data = data.rstrip(b'\\r\\n') + (nl + bad).encode()
        z.writestr(info, data)
`;
  let messy: string;
  let other: string;
  beforeAll(() => {
    messy = join(work, 'others');
    cpSync(dir, messy, { recursive: true });
    other = [...docs.keys()].find((id) => !chosen.includes(id))!;
    const args = [join(messy, 'Attachment_1-2.zip'), join(messy, 'export.zip'), other, chosen[0]!];
    execFileSync('python3', ['-c', mess, ...args]);
  });
  const run = async (out: string, candidates: string[]) => {
    const ex = await openExport(messy);
    try {
      return await bundleCandidates(ex, { out, candidates });
    } finally {
      await ex.close();
    }
  };

  it("names none of another candidate's ids, entries or rows: they are counted in one notice", async () => {
    const result = await run(join(work, 'others-mine'), [chosen[0]!]);
    const said = JSON.stringify(result.problems);
    expect(said).not.toContain(other);
    expect(said).not.toMatch(/Candidate_\d/);
    const elsewhere = result.problems.filter((p) => p.code === 'PROBLEMS_ELSEWHERE');
    expect(elsewhere).toHaveLength(1);
    expect(elsewhere[0]!.severity).toBe('notice');
    expect(elsewhere[0]!.message).toMatch(
      /ENTRY_REFUSED: 1, .*UNKNOWN_FILE: 2.*rejected rows holding no id asked for: [1-9]/,
    );
    // The candidate's own rejected row is a problem naming the table, the line and the id asked for.
    const rows = result.problems.filter((p) => p.code === 'ROWS_REJECTED');
    expect(rows).toHaveLength(1);
    expect(rows[0]!.message).toMatch(
      new RegExp(`^notes: 1 rejected row\\(s\\) .*: ${chosen[0]} at line \\d+ \\(ROW_INVALID_QUOTE\\)`),
    );
  });

  it("names that candidate's own entries and rows when they are asked for", async () => {
    const result = await run(join(work, 'others-theirs'), [other]);
    const codes = result.problems
      .filter((p) => (p.entry ?? '').includes(`Candidate_${other}/`))
      .map((p) => p.code);
    expect(codes.sort()).toEqual(['ATTACHMENT_LEFT_OUT', 'ENTRY_REFUSED']);
    // The file in their folder outside the kind folders is not in their bundle: a problem, not a notice.
    const left = result.problems.find((p) => p.code === 'ATTACHMENT_LEFT_OUT')!;
    expect(left.severity).toBe('problem');
    expect(left.message).toMatch(/Candidate_\d+\/\[file name.*in no bundle/);
    expect(left.message).not.toContain('passport');
    const rows = result.problems.find((p) => p.code === 'ROWS_REJECTED');
    expect(rows?.message).toContain(`${other} at line`);
    expect(JSON.stringify(result.problems)).not.toContain(`${chosen[0]} at line`);
  });
});
