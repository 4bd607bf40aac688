import { fitLines, HELP_WIDTH, type OptionSpecs, renderOptions } from './args.js';
import { OPTIONS as BUNDLE } from './commands/bundle.js';
import { OPTIONS as CONVERT } from './commands/convert.js';
import { OPTIONS as EXTRACT } from './commands/extract.js';
import { OPTIONS as REPORT } from './commands/inspect.js';
import { OPTIONS as JOIN } from './commands/join.js';
import { OPTIONS as REDACT } from './commands/redact.js';
import { OPTIONS as REPORT_PAGE } from './commands/report.js';
import { OPTIONS as SAMPLE } from './commands/sample.js';
import { OPTIONS as VERIFY_REDACTION } from './commands/verify-redaction.js';

const EXPORT_ARG = `<export> is what you downloaded from Talent Hub: a folder holding export.csv, export.zip and the
Attachment_*.zip parts; a lone export.zip; or a folder where it was all extracted. export.csv or one part
given stands for the folder it is in, read whole (for a part, a PART_FOLDER_READ notice names the folder;
a part renamed by hand, e.g. "resumes.zip", is known by its candidate folders: PART_RENAMED). Without it, the sample export that ships with talent-export is used (refused in a folder that holds an
export: give it as ".").`;

const EXIT_CODES = `Exit codes:
  0  success
  1  finished, but found problems (rejected rows, orphan references, manifest differences, missing parts)
  2  usage error (unknown command or option, bad value)
  3  input refused or unreadable (unsafe or corrupt zip, missing export, unparseable table),
     or the output (a folder, a file, standard output) cannot be written
  4  unexpected internal error (run again with --debug and report it)
  130 interrupted (Ctrl-C, SIGTERM or a closed terminal); temporary files are removed, no partial
      output is left`;

const TEXTS: Record<string, string> = {
  main: `talent-export: turn a LinkedIn Talent Hub data export into what you need

Usage: talent-export <command> [options]

Commands:
  inspect [export]    parts, layout, manifest reconciliation, row counts, attachments, problems
  validate [export]   inspect + decode every row, referential checks, read every attachment byte
  convert [export]    typed NDJSON / CSV / Parquet of every table and the attachment index
  extract [export]    every table and every attachment of every part into one folder
  redact [export]     an export of the same shape with people pseudonymized, text scrubbed, files dropped
  join [export]       one JSON document per candidate (projects, stages, custom fields, scorecards, ...)
  bundle [export]     everything about some candidates, one Candidate_<id>.zip each (an access request)
  report [export]     one self-contained HTML page: inventory, pipeline, attachments, data quality
  sample              write a synthetic export (deterministic, any size)
  verify-redaction <original> <redacted>
                      search a redacted output for every personal value of the original

Examples:
  talent-export inspect ~/Downloads/talent-hub-export
  talent-export validate ~/Downloads/talent-hub-export --json > report.json
  talent-export convert ~/Downloads/talent-hub-export --out lake --to ndjson,parquet
  talent-export redact ~/Downloads/talent-hub-export --out shared --key-file secret.key
  talent-export sample --out demo-export --candidates 1000

Run "talent-export <command> --help" for a command's options.
  -v, --version   print the version

${EXIT_CODES}`,

  inspect: `Usage: talent-export inspect [export] [options]

Shows the parts and layout found, the export.csv manifest reconciled with the parts, rows per table,
attachments (files, bytes, candidates, per part) and problems. Reads the tables and the zips' central
directories only, never attachment contents.

${EXPORT_ARG}

Options:
${renderOptions(REPORT)}

Examples:
  talent-export inspect ~/Downloads/talent-hub-export
  talent-export inspect export.zip --json | jq '.tables'

${EXIT_CODES}`,

  validate: `Usage: talent-export validate [export] [options]

Everything inspect does, plus: decodes every row of every table (rejected rows are listed), checks references
between tables (candidates, projects, hiring states, interview modules, custom fields), and reads every byte of
every attachment part and of the other files in export.zip (CRC, sizes, decompression-bomb caps).

${EXPORT_ARG}

Options:
${renderOptions(REPORT)}

Examples:
  talent-export validate ~/Downloads/talent-hub-export
  talent-export validate ~/Downloads/talent-hub-export --json --quiet > validation.json

${EXIT_CODES}`,

  convert: `Usage: talent-export convert [export] --out DIR [options]

Writes every table and the attachment index ("attachments") in each format: typed values (ids as strings,
numbers, booleans, ISO 8601 UTC times, lists as arrays, null for empty). Rejected rows go to rejects.ndjson with
table, line, byte offset, error code and raw text. Also writes manifest.json (files, rows, bytes, sha256),
datapackage.json (with csv) and report.json (the run: counts, problems, times). Files appear atomically.

${EXPORT_ARG}

With parquet among the formats, tables are read on one thread. With --policy, every table is redacted where
it is decoded (worker threads included) and report.json gets the counts under "redaction"; it then lists
problems by code only and names no id, part or download link, which the tables hold only as pseudonyms.

Options:
${renderOptions(CONVERT)}

Examples:
  talent-export convert ~/Downloads/talent-hub-export --out lake
  talent-export convert export.zip --out lake --to ndjson,csv,parquet
  talent-export convert ~/Downloads/talent-hub-export --out lake --tables candidates,messages --to parquet
  talent-export convert ~/Downloads/talent-hub-export --out lake --threads 1
  talent-export convert ~/Downloads/talent-hub-export --out shared --policy default --key-file secret.key

${EXIT_CODES}`,

  redact: `Usage: talent-export redact [export] --out DIR [options]
       talent-export redact --print-policy > policy.yaml

Writes an export of the same shape as Talent Hub's, redacted by a policy, to share with a vendor, an auditor
or a new ATS: DIR/export.csv (the parts and recomputed Statistics, in the source's encoding, delimiter and line
ends), DIR/export.zip (the ten tables under the same entry names, a folder name scrubbed like free text, headers,
column order, byte order mark, a sep=, line and line ends, a table of two contracts' folders as its two copies
each with its own rows, an export.csv there the copy's, columns beyond the schema emptied
and their headers scrubbed; a cell the policy keeps as the source wrote it, a changed one with lists joined
with ";" and times as yyyy-MM-dd HH:mm:ss[.fraction]) and
Attachment_<first>-<last>.zip parts re-split at the same size, named by their new id ranges, each candidate's
folder whole in one part and renamed with the candidate's pseudonym. Per attachment kind (public, private,
miscellaneous) the policy drops the files (the folder keeps an empty.txt marker, the default) or keeps them
(bytes copied as stored, never re-compressed, a file of an unzipped part stored; file names scrubbed). Candidate ids keep their form, so every
join still joins; the same key gives the same bytes. Rows that cannot be decoded are not written (counted as
rejected). DIR/redaction.json has the counts: per table and column the operator and the values changed, finds
per detector, rows dropped, attachments kept and dropped by kind, where the key came from; never a value,
never the key. DIR appears only when everything is written.

<export> is what you downloaded from Talent Hub: a folder holding export.csv, export.zip and the
Attachment_*.zip parts; a lone export.zip (an export without attachments); or a folder where it was all
extracted (tables as CSV files, parts as folders): the copy is zipped as a download is. Without it, the sample
export that ships with talent-export is used (refused in a folder that holds an export: give it as ".").

Options:
${renderOptions(REDACT)}

Examples:
  openssl rand -hex 32 > secret.key
  talent-export redact ~/Downloads/talent-hub-export --out shared --key-file secret.key
  pass show talent-export/key | talent-export redact ~/Downloads/talent-hub-export -o shared --key-file -
  talent-export redact --print-policy > policy.yaml
  talent-export redact ~/Downloads/talent-hub-export --out vendor --policy policy.yaml --drop-candidates erase.txt
  TALENT_EXPORT_REDACT_KEY=$(cat secret.key) talent-export redact ~/Downloads/talent-hub-export -o small-parts --max-part-mb 500

${EXIT_CODES}`,

  report: `Usage: talent-export report [export] [--out FILE] [options]

Writes one HTML file to read before sharing, migrating or loading an export: parts, manifest and rows per
table; candidates per hiring stage and project, sourcing channels, what is dated by month, interview modules
and recommendations; attachments by kind and size; problems, rejected rows, orphan references, empty and
extra columns. Counts and labels only: no candidate's name, email or message text, and no candidate id but
those in the parts' file names, so it can be shared. No scripts, no fonts, no network: it opens anywhere. Reads every row as validate does; --deep also reads
every attachment byte. With --policy, a section says what that redaction policy would change: per table and
column the operator and how many values it would change, what the free-text scrubbing would find, and the
attachments it would keep or drop (counts only; nothing is written but the page).

${EXPORT_ARG}

Options:
${renderOptions(REPORT_PAGE)}

Examples:
  talent-export report ~/Downloads/talent-hub-export --out report.html
  talent-export report export.zip -o report.html --deep
  talent-export report ~/Downloads/talent-hub-export -o preview.html --policy default

${EXIT_CODES}`,

  join: `Usage: talent-export join [export] --out DIR [options]

Writes candidates.ndjson: one document per candidate (in candidate id order) with the profile (from the
candidate's first row), "projects" (one entry per candidate row: the project with its job posts and custom
fields, the hiring state's name and type, the candidate's sourcing channels, and the row's profile values that
differ from the first row's), "custom_fields" (with their definition's name and type),
"scorecards" (with the interview module), "feedbacks", "notes", "messages" and "attachments" (kind, file
name, size, part, entry). candidates.schema.json beside it is the document's JSON Schema (projects.schema.json
that of projects.ndjson, with --by project). Rows whose references resolve nowhere are listed in orphans.ndjson
(table, row, missing key); documents and orphans account for every row (but the custom field values of a
project no candidate is in, which only projects.ndjson holds: PROJECT_VALUES_LEFT_OUT counts them). Also rejects.ndjson (rows that could not be decoded) and manifest.json (files, sha256, the run's counts).
Memory stays bounded: rows are spilled to temporary files by candidate id range, then joined a range at a time.

${EXPORT_ARG}

Options:
${renderOptions(JOIN)}

Examples:
  talent-export join ~/Downloads/talent-hub-export --out documents
  talent-export join export.zip --out documents --by candidate,project --tmp /mnt/scratch
  jq 'select(.candidate_id == "1000000003")' documents/candidates.ndjson

${EXIT_CODES}`,

  bundle: `Usage: talent-export bundle [export] --out DIR --candidates IDS | --candidates-file F [options]

Answers a candidate's request for their data: writes DIR/Candidate_<id>.zip for every candidate asked for,
holding candidate.json (the candidate's document as join writes it, indented: profile, projects with their
job posts and hiring state, custom fields with their definition, scorecards with their interview module,
feedbacks, notes, messages, attachments, each with its path in the archive rather than its place in the
parts, whose names hold other candidates' ids; null for one left out as damaged), one CSV per table with the candidate's rows (Candidate.csv,
CustomFieldValues.csv of entity_type candidate, Scorecards.csv, Feedbacks.csv, Notes.csv, Messages.csv; in
the export's own shape: its header and column order, byte order mark and line ends, every cell as the
export wrote it (times, ids, lists alike); a table without rows has
its header only; a column beyond the schema headed by what may be a person's name or e-mail is headed by
its place, "column 11"), and every attachment under attachments/<Public|Private|Miscellaneous>/, copied from the part as it is
(compressed bytes unchanged, never re-compressed).

The tables are read once and the parts' listings once, however many candidates are asked for; rows of other
candidates are dropped as they are decoded. Each archive appears under its final name only once it is
complete; the same export and ids give the same bytes. An id the candidates table does not hold gets no
archive and is named in a CANDIDATE_UNKNOWN problem (exit code 1), which also counts the rows of other tables
and the attachment files such an id still has. Ids are matched exactly: rows whose id is one asked for
written otherwise ("123 ", "0123", "123.0", ="123" for 123) are in no archive, and CANDIDATE_ID_VARIANT counts them (exit
code 1). A candidate whose attachments may be in a part that cannot be read (cut short, refused, or listed in
export.csv but not there) gets no archive either, rather than one lacking those files: BUNDLE_INCOMPLETE names
them (exit code 3). A file in a candidate's folder that the index leaves out (in no Public, Private or
Miscellaneous folder) is not in the archive: ATTACHMENT_LEFT_OUT says how many (exit code 1). An archive an
earlier run wrote for an id that gets none this time is removed, and the problem about that id says so.
Given export.zip alone (no attachment part beside it), the archives hold no attachment: BUNDLE_NO_PARTS says
so (exit code 1) and what to give instead. What is printed names no other candidate: problems about other candidates' rows or files
(or files in no candidate's folder, or lists of ids) are counted in one PROBLEMS_ELSEWHERE notice, and a
rejected row is named (table, line, id) only when it holds an id asked for, as it may be that candidate's.

${EXPORT_ARG}

Options:
${renderOptions(BUNDLE)}

Examples:
  talent-export bundle ~/Downloads/talent-hub-export --out requests --candidates 1000000003
  talent-export bundle ~/Downloads/talent-hub-export --out requests --candidates-file ids.txt --tmp /mnt/scratch
  unzip -l requests/Candidate_1000000003.zip

${EXIT_CODES}`,

  extract: `Usage: talent-export extract [export] --out DIR [options]

Writes every table as DIR/<Table>.csv (named as in export.zip) and every attachment of every part into one
tree, DIR/Candidate_<id>/<Public|Private|Miscellaneous>/<file>: the guide's tip of moving all candidate folders
into one folder, done safely. Every byte is checked (CRC, sizes, zip-bomb caps) before it is kept; an entry
the reader refuses (unsafe name, link, encrypted, corrupt) is left out and reported. A file name that an
earlier part already used for the same candidate gets a numeric suffix (resume.pdf -> resume_1.pdf) and a
notice: nothing is overwritten. export.csv is copied when nothing is left out (no entry refused or damaged,
no file outside the Candidate_<id>/<kind>/ folders, no empty.txt of a folder split over two parts merged into
one, no --no-markers), as its counts are of every file of the parts; else a MANIFEST_LEFT_OUT notice says why.
The result reads as an "extracted" export: inspect, validate and convert give the same counts as for the
download.

DIR appears only once the run has finished (it is written under a hidden name first); if interrupted or
failing (a table that cannot be read, a disk that is full), nothing is left behind.

${EXPORT_ARG}

Options:
${renderOptions(EXTRACT)}

Examples:
  talent-export extract ~/Downloads/talent-hub-export --out extracted
  talent-export inspect extracted
  talent-export extract ~/Downloads/talent-hub-export --out no-markers --no-markers
  talent-export extract ~/Downloads/talent-hub-export --out two --candidates 1000000003,1000000051
  talent-export extract ~/Downloads/talent-hub-export --out listed --candidates-file ids.txt

${EXIT_CODES}`,

  sample: `Usage: talent-export sample --out DIR [options]

Writes a synthetic export as LinkedIn ships it (export.csv, export.zip, Attachment_<first>-<last>.zip parts),
deterministic for a seed, plus ground truth (row counts, attachment counts, every PII string) in DIR.truth/.

Options:
${renderOptions(SAMPLE)}

Examples:
  talent-export sample --out demo-export
  talent-export sample --out big-export --candidates 100000 --attachments-mb 3000 --seed 7

${EXIT_CODES}`,

  'verify-redaction': `Usage: talent-export verify-redaction <original> <redacted> [options]

Proves that a redacted output holds none of the personal values of the export it came from. Every value
of the original's name, e-mail, phone and profile URL columns (all tables), and of its custom fields named for a
person or a contact (Hiring Manager, Personal E-mail), is read with the same engine as
convert, then every file under <redacted> is searched for them: export.csv, NDJSON, CSV, reports, every
zip entry (inflated, zips inside zips to four deep) and every entry name, gzipped files (inflated, and the
name their header keeps), tar archives member by member, e-mails (.eml: base64 and quoted-printable parts
and encoded headers decoded), XML and HTML also with their tags taken out (a .docx's text split across
runs), text in Windows-1252, UTF-16 (with or without a byte order mark) or with JSON and RTF escapes, the
UTF-16 text of binary files (.doc, .xls), Parquet files read back value by value; a file in another
compressed format (xz, bzip2, zstd, 7z, rar) is not read, so not proven clean. A PDF is searched as its
bytes are (its metadata such as /Author, text stored uncompressed): the text inside its compressed streams,
where most PDFs keep their pages' text, is not inflated, so not searched, and a kept PDF is not proven clean
(nor is text drawn in an image). Matching ignores case and accents and goes by whole words (a last name "Lee"
is not found in "Leeds"); phone numbers match by their digits whatever the punctuation. Free text is covered by these values (see the redact package README). A
candidate named as fakes are (Taylor, Grey) is not searched for, since every fake would be a hit, nor is a
name of one or two letters (O, Å, Li, Al) alone, which is a word of many texts ("a", "li-ion", "et al."): it
is searched beside the candidate's other name ("AL OKAFOR"). A notice counts such names.

Each hit is reported by place (file, zip entry, line, byte offset) and by the column its value came from,
never with the value; a file or entry whose own name holds a value is shown by number. Exit 1 when any value
is found or a part could not be read (a refused zip entry is not proven clean), 0 when none is. With --json,
a run that fails prints {"command", "error": {"code", "kind", "message"}, "exitCode"} on stdout instead.

<original> is the export as downloaded (see convert); <redacted> is the output folder of
"talent-export redact" (an export of the same shape) or of "talent-export convert --policy".

Options:
${renderOptions(VERIFY_REDACTION)}

Examples:
  talent-export convert ~/Downloads/talent-hub-export --policy default --out shared --to ndjson,parquet
  talent-export verify-redaction ~/Downloads/talent-hub-export shared
  talent-export redact ~/Downloads/talent-hub-export --out redacted-export --key-file secret.key
  talent-export verify-redaction ~/Downloads/talent-hub-export redacted-export --json > leaks.json

Exit codes:
  0  no personal value of the original found
  1  personal values found (places and columns listed), or a part could not be read
  2  usage error (unknown option, bad value, <redacted> not an output folder)
  3  the original or a zip of the output cannot be read, or the result cannot be written
  4  unexpected internal error (run again with --debug and report it)
  130 interrupted (Ctrl-C, SIGTERM or a closed terminal)`,
};

/** A paragraph that has a line wider than the others' (after an edit) is wrapped again. */
function fit(text: string): string {
  return text
    .split('\n\n')
    .map((block) => {
      const lines = block.split('\n');
      const prose = lines.every((line) => /^\S/.test(line)) && !/^[A-Z][a-z ]+:/.test(block);
      return prose ? fitLines(lines, HELP_WIDTH).join('\n') : block;
    })
    .join('\n\n');
}

/** Each command's options, in the order of the commands' list: to name the commands that have an option one lacks. */
export const OPTIONS_OF: Record<string, OptionSpecs> = {
  inspect: REPORT,
  validate: REPORT,
  convert: CONVERT,
  extract: EXTRACT,
  redact: REDACT,
  join: JOIN,
  bundle: BUNDLE,
  report: REPORT_PAGE,
  sample: SAMPLE,
  'verify-redaction': VERIFY_REDACTION,
};

export const HELP: Record<string, string> = Object.fromEntries(
  Object.entries(TEXTS).map(([topic, text]) => [topic, fit(text)]),
);

/**
 * `--help` for a terminal narrower than HELP_WIDTH, where the lines would wrap mid-word and the options'
 * column be lost: prose, and the descriptions of options, commands and exit codes, wrapped again to `width`
 * beside their names. An example's command line is left whole: it is copied, not read.
 */
export function narrowed(text: string, width: number): string {
  return text
    .split('\n\n')
    .map((block) => {
      const lines = block.split('\n');
      if (lines.every((line) => line.length <= width)) return block;
      const prose = lines.every((line) => /^\S/.test(line)) && !/^[A-Z][a-z ]+:/.test(block);
      return (prose ? fitLines(lines, width) : narrowedEntries(lines, width)).join('\n');
    })
    .join('\n\n');
}

/** The narrowest a description is kept beside its name; narrower, it goes below it, indented past the names. */
const DESCRIPTION_MIN = 24;
const indentOf = (line: string) => line.length - line.trimStart().length;

/** Lines of entries (a name, two spaces or more, a description going on below at its column), wrapped again. */
function narrowedEntries(lines: string[], width: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < lines.length; ) {
    const line = lines[i]!;
    const gap = /^( +\S.*? {2,})(\S.*)$/.exec(line);
    const next = lines[i + 1];
    const below = next !== undefined && indentOf(next) > indentOf(line) + 1 ? indentOf(next) : undefined;
    const column = gap ? gap[1]!.length : below;
    if (column === undefined || indentOf(line) === 0) {
      // A line of prose among the entries (`Run "talent-export <command> --help" ...`) is wrapped as prose.
      out.push(...(indentOf(line) === 0 && line.length > width ? fitLines([line], width) : [line]));
      i++;
      continue;
    }
    // `  130 interrupted (...)` is one space from its name, where the lines below begin; `  verify-redaction
    // <original> <redacted>` has its description on the lines below only.
    const beside = line[column - 1] === ' ' && line[column] !== ' ' && line.length > column;
    const description = beside ? [line.slice(column)] : [];
    let j = i + 1;
    for (; j < lines.length && indentOf(lines[j]!) === column && column > indentOf(line); j++)
      description.push(lines[j]!.trim());
    const head = beside ? line.slice(0, column) : line;
    const indent = width - column >= DESCRIPTION_MIN ? column : 8;
    const wrapped = description.length === 0 ? [] : fitLines(description, width - indent);
    if (beside && indent === column) out.push(head + wrapped.shift()!);
    else out.push(head.trimEnd());
    for (const rest of wrapped) out.push(' '.repeat(indent) + rest);
    i = j;
  }
  return out;
}
