const EXPORT_ARG = `<export> is what you downloaded from Talent Hub: a folder holding export.csv, export.zip and the
Attachment_*.zip parts; a lone export.zip; or a folder where it was all extracted. Without it, the sample
export that ships with talent-export is used.`;

const EXIT_CODES = `Exit codes:
  0  success
  1  finished, but found problems (rejected rows, orphan references, manifest differences, missing parts)
  2  usage error (unknown command or option, bad value)
  3  input refused or unreadable (unsafe or corrupt zip, missing export, unparseable table),
     or the output folder cannot be written
  4  unexpected internal error (run again with --debug and report it)
  130 interrupted (Ctrl-C); temporary files are removed, no partial output is left`;

const COMMON = `  -q, --quiet   no progress or summary on stderr
      --debug   print stack traces on errors
  -h, --help    this help`;

const THREADS = `threads to use (default: the number of CPUs, at most 4); tables of 8 MiB or more
                          are cut into slices decoded by N-1 worker threads; 1 does all on one thread`;

const REPORT_OPTIONS = `Options:
      --json              print one JSON object on stdout instead of the summary
      --max-record-mb N   largest CSV row accepted, in MiB (default 8); a longer one stops that table
      --max-ratio N       compression ratio above which an entry over 1 MiB is refused as a zip bomb
                          (default 200); raise it for a genuine, very repetitive table
      --threads N         ${THREADS}
${COMMON}`;

export const HELP: Record<string, string> = {
  main: `talent-export: turn a LinkedIn Talent Hub data export into what you need

Usage: talent-export <command> [options]

Commands:
  inspect [export]    parts, layout, manifest reconciliation, row counts, attachments, problems
  validate [export]   inspect + decode every row, referential checks, read every attachment byte
  convert [export]    typed NDJSON / CSV / Parquet of every table and the attachment index
  extract [export]    every table and every attachment of every part into one folder
  sample              write a synthetic export (deterministic, any size)

Examples:
  talent-export inspect ~/Downloads/talent-hub-export
  talent-export validate ~/Downloads/talent-hub-export --json > report.json
  talent-export convert ~/Downloads/talent-hub-export --out lake --to ndjson,parquet
  talent-export sample --out demo-export --candidates 1000

Run "talent-export <command> --help" for a command's options.
  -v, --version   print the version

${EXIT_CODES}`,

  inspect: `Usage: talent-export inspect [export] [options]

Shows the parts and layout found, the export.csv manifest reconciled with the parts, rows per table,
attachments (files, bytes, candidates, per part) and problems. Reads the tables and the zips' central
directories only, never attachment contents.

${EXPORT_ARG}

${REPORT_OPTIONS}

Examples:
  talent-export inspect ~/Downloads/talent-hub-export
  talent-export inspect export.zip --json | jq '.tables'

${EXIT_CODES}`,

  validate: `Usage: talent-export validate [export] [options]

Everything inspect does, plus: decodes every row of every table (rejected rows are listed), checks references
between tables (candidates, projects, hiring states, interview modules, custom fields), and reads every byte of
every attachment part (CRC, sizes, decompression-bomb caps).

${EXPORT_ARG}

${REPORT_OPTIONS}

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

Options:
      --out DIR        output folder, created if needed; what an earlier convert wrote there is replaced,
                       other files are left alone
      --to FORMATS     comma-separated: ndjson, csv, parquet (default: ndjson)
      --tables NAMES   comma-separated subset: candidates, custom_field_definitions, custom_field_values,
                       feedbacks, hiring_states, interview_modules, messages, notes, projects, scorecards,
                       attachments (default: all)
      --max-record-mb N  largest CSV row accepted, in MiB (default 8); a longer one stops the run
      --max-ratio N      compression ratio above which an entry over 1 MiB is refused as a zip bomb
                         (default 200); raise it for a genuine, very repetitive table
      --threads N        ${THREADS.replaceAll('\n                          ', '\n                         ')};
                         with parquet among the formats, tables are read on one thread
${COMMON}

Examples:
  talent-export convert ~/Downloads/talent-hub-export --out lake
  talent-export convert export.zip --out lake --to ndjson,csv,parquet
  talent-export convert ~/Downloads/talent-hub-export --out lake --tables candidates,messages --to parquet
  talent-export convert ~/Downloads/talent-hub-export --out lake --threads 1

${EXIT_CODES}`,

  extract: `Usage: talent-export extract [export] --out DIR [options]

Writes every table as DIR/<Table>.csv (named as in export.zip) and every attachment of every part into one
tree, DIR/Candidate_<id>/<Public|Private|Miscellaneous>/<file>: the guide's tip of moving all candidate folders
into one folder, done safely. Every byte is checked (CRC, sizes, zip-bomb caps) before it is kept; an entry
the reader refuses (unsafe name, link, encrypted, corrupt) is left out and reported. A file name that an
earlier part already used for the same candidate gets a numeric suffix (resume.pdf -> resume_1.pdf) and a
notice: nothing is overwritten. export.csv is copied when nothing is left out. The result reads as an
"extracted" export: inspect, validate and convert give the same counts as for the download.

DIR appears only once the run has finished (it is written under a hidden name first); if interrupted or
failing (a table that cannot be read, a disk that is full), nothing is left behind.

${EXPORT_ARG}

Options:
      --out DIR               output folder; it must be missing or empty
      --no-markers            leave out the empty.txt markers of empty attachment folders
      --candidates IDS        comma-separated candidate ids: extract only their folders (the tables stay whole)
      --candidates-file F     the same, ids read from a file (separated by lines, commas or spaces)
      --max-ratio N           compression ratio above which an entry over 1 MiB is refused as a zip bomb
                              (default 200)
${COMMON}

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
      --out DIR                      output folder (must be empty or missing, unless --force)
      --seed N                       random seed (default 1)
      --candidates N                 number of candidates (default 300)
      --messages-per-candidate N     messages per candidate (default 3)
      --attachments-mb N             total size of attachments in MB (default 5)
      --part-mb N                    split attachment parts at this size in MB (default 2048)
      --flat                         put the ten CSVs at the root of export.zip, not in Contract_<id>/
      --edge-cases                   BOM, CRLF, quotes, commas and newlines in fields, emoji
      --truth-records                also write the expected typed records to DIR.truth/records/
      --force                        write into a non-empty folder
${COMMON}

Examples:
  talent-export sample --out demo-export
  talent-export sample --out big-export --candidates 100000 --attachments-mb 3000 --seed 7

${EXIT_CODES}`,
};
