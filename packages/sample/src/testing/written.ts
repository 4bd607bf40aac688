// An export written as other tools write one, for tests that must not lean on this package's generator.
import { execFileSync } from 'node:child_process';

/** Writes export.zip (Python's csv and zipfile: CRLF, quoted where needed) and export.csv into `dir`. */
const WRITE = `
import csv, io, json, os, sys, zipfile
out, tables = sys.argv[1], json.load(sys.stdin)
os.makedirs(out)
with zipfile.ZipFile(os.path.join(out, 'export.zip'), 'w', zipfile.ZIP_DEFLATED) as z:
    for name, rows in tables.items():
        s = io.StringIO(newline='')
        csv.writer(s).writerows(rows)
        z.writestr(name, s.getvalue().encode('utf-8'))
with open(os.path.join(out, 'export.csv'), 'w', newline='') as f:
    f.write('Filename,Download Url\\r\\nexport.zip,https://www.linkedin.com/ambry/?x=1\\r\\n')
`;

/**
 * An export in `dir` (made, must not exist) holding `tables` by their entry names in export.zip
 * (`Candidate.csv`, `Notes.csv`...), header row first; the other tables are missing. Needs python3.
 */
export function writeExport(dir: string, tables: Record<string, string[][]>): void {
  execFileSync('python3', ['-c', WRITE, dir], { input: JSON.stringify(tables) });
}
