// Reference checks of big tables run where their slices are decoded (worker threads, against copies of the
// referenced keys): the orphans found are those Python finds, and the same whatever the threads.
import { execFileSync } from 'node:child_process';
import { TABLE_NAMES } from '@talent-export/schema';
import { beforeAll, describe, expect, it } from 'vitest';
import { bigExport, type Export, loadBuilt, type Pipeline } from './test-export.js';

let pipeline: Pipeline;
let exp: Export;
let dir: string;

// Every 97th message names a candidate that is not there (a number, or a text id), every 89th a
// project that is not there; the counts are Python's, from the rewritten tables.
const BREAK = `
import csv, io, json, sys, zipfile
path = sys.argv[1]
z = zipfile.ZipFile(path)
tables = {n: z.read(n) for n in z.namelist()}
z.close()
def rows(name):
    text = tables[name].decode('utf-8-sig')
    return list(csv.reader(io.StringIO(text, newline='')))
messages = next(n for n in tables if n.lower().endswith('messages.csv'))
candidates = next(n for n in tables if n.lower().endswith('candidate.csv'))
projects = next(n for n in tables if n.lower().endswith('projects.csv'))
msg = rows(messages)
head = msg[0]
c, p = head.index('candidate_id'), head.index('project_id')
for i, row in enumerate(msg[1:], 1):
    if i % 97 == 0: row[c] = ('9' if i % 2 else 'x-') + row[c]
    if i % 89 == 0: row[p] = '7' + row[p]
out = io.StringIO(newline='')
csv.writer(out, lineterminator='\\n').writerows(msg)
tables[messages] = out.getvalue().encode('utf-8')
with zipfile.ZipFile(path, 'w', zipfile.ZIP_DEFLATED) as w:
    for name, data in tables.items(): w.writestr(name, data)
ids = lambda name, col: {r[rows(name)[0].index(col)] for r in rows(name)[1:]}
known_c, known_p = ids(candidates, 'candidate_id'), ids(projects, 'project_id')
print(json.dumps({'candidates': sum(1 for r in msg[1:] if r[c] not in known_c),
                  'projects': sum(1 for r in msg[1:] if r[p] not in known_p)}))
`;

let truth: { candidates: number; projects: number };

beforeAll(async () => {
  ({ pipeline, exp } = await loadBuilt());
  dir = await bigExport();
  truth = JSON.parse(execFileSync('python3', ['-c', BREAK, `${dir}/export.zip`], { encoding: 'utf8' }));
}, 120_000);

describe('reference checks of sliced tables', () => {
  it("finds Python's orphans, with the same rows and examples whatever the threads", async () => {
    const results: Awaited<ReturnType<Pipeline['readTables']>>['references'][] = [];
    for (const threads of [1, 2, 3]) {
      const ex = await exp.openExport(dir);
      try {
        const outcome = await pipeline.readTables(ex, TABLE_NAMES, {}, { threads, references: true });
        results.push(outcome.references);
      } finally {
        await ex.close();
      }
    }
    const check = (name: string) => results[0]?.find((r) => r.check === name);
    expect(truth.candidates).toBeGreaterThan(100);
    expect(check('messages.candidate_id -> candidates.candidate_id')?.rows).toBe(truth.candidates);
    expect(check('messages.project_id -> projects.project_id')?.rows).toBe(truth.projects);
    // Examples only of the ids made of digits: a text id may be a name (it is counted, never shown).
    const examples = check('messages.candidate_id -> candidates.candidate_id')?.examples ?? [];
    expect(examples).toHaveLength(5);
    expect(examples.every((e) => /^9\d+$/.test(e))).toBe(true);
    expect(results[1]).toEqual(results[0]);
    expect(results[2]).toEqual(results[0]);
  });
});
