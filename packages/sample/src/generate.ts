import { createWriteStream } from 'node:fs';
import { mkdir, rename, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createDeflateRaw } from 'node:zlib';
import { guideFile, SCHEMAS, TABLE_NAMES, type TableName } from '@talent-export/schema';
import {
  averageFileSize,
  type Folder,
  folderFiles,
  folders,
  KINDS,
  MARKER,
  writeFile,
} from './attachments.js';
import { csvLine, truthValue } from './cells.js';
import { SampleError } from './errors.js';
import { isExportFile, isTruthFile, prepareDir, removeAll, writeFailed } from './files.js';
import { prettyJson } from './json.js';
import { candidateId, createWorld, type World } from './model.js';
import { type NormalizedOptions, normalizeOptions, type SampleOptions } from './options.js';
import { piiStrings } from './pii.js';
import { Progress } from './progress.js';
import { Rng } from './rng.js';
import { injectedOrphans, ROW_SOURCES } from './rows.js';
import { FileSink } from './sink.js';
import type { GroundTruth, PartTruth } from './truth.js';
import { updateCrc, ZipWriter } from './zip-writer.js';

/** The file each table is exported as, as LinkedIn's guide names them. */
export const TABLE_FILES: Readonly<Record<TableName, string>> = Object.fromEntries(
  TABLE_NAMES.map((table) => [table, guideFile(table)]),
) as Record<TableName, string>;

const CSV_LEVEL = 6;
const BATCH_BYTES = 256 * 1024;

/** State of one run: what it wrote, so a failure can remove it. */
class Run {
  readonly written: string[] = [];
  readonly createdDirs: string[] = [];
  /** Let go of the folders held while the run writes (see `prepareDir`). */
  readonly releases: (() => Promise<void>)[] = [];
  readonly progress: Progress;

  constructor(readonly options: NormalizedOptions) {
    this.progress = new Progress(options.onProgress);
  }

  checkAbort() {
    if (this.options.signal?.aborted) {
      throw new SampleError(
        'SAMPLE_ABORTED',
        `Generating the sample export into ${this.options.dir} was aborted; nothing was kept.`,
        {
          path: this.options.dir,
          cause: this.options.signal.reason,
        },
      );
    }
  }

  /** A temp path for `final`, removed on failure; `commit` renames it into place. */
  temp(final: string): string {
    const path = join(dirname(final), `.${basename(final)}.partial`);
    this.written.push(path, `${path}.cd`);
    return path;
  }

  async commit(temp: string, final: string) {
    this.written.push(final);
    await rename(temp, final);
  }
}

/**
 * Writes a synthetic Talent Hub export (export.csv, export.zip, Attachment_<first>-<last>.zip parts) into
 * `options.dir` and its ground truth into `options.truthDir`, in bounded memory. Same options, same bytes.
 */
export async function generateExport(options: SampleOptions): Promise<GroundTruth> {
  const run = new Run(normalizeOptions(options));
  const { dir, truthDir } = run.options;
  try {
    run.checkAbort();
    for (const [folder, ours] of [
      [dir, isExportFile],
      [truthDir, isTruthFile],
    ] as const) {
      const { created, release } = await prepareDir(folder, run.options.force, ours);
      run.releases.push(release);
      if (created) run.createdDirs.push(folder);
    }
    const world = createWorld(run.options);
    const tables = await writeTables(run, world);
    const attachments = await writeAttachments(run, world);
    const files = ['export.zip', ...attachments.parts.map((part) => part.file)];
    const totalFiles = attachments.files + attachments.markers;
    await writeManifest(run, world, files, totalFiles);
    await writePii(run, world);
    const truth: GroundTruth = {
      seed: world.seed,
      contractId: world.contractId,
      flat: run.options.flat,
      edgeCases: run.options.edgeCases,
      tables,
      attachments,
      manifest: { files, totalFiles, exportedFiles: totalFiles, failedFiles: 0 },
      orphans: injectedOrphans(),
      attachmentsWithoutCandidate: [world.extraFolderId],
      candidatesWithoutAttachments: [candidateId(world, world.withoutAttachments)],
    };
    const final = join(truthDir, 'truth.json');
    const temp = run.temp(final);
    const sink = await FileSink.create(temp);
    await sink.write(prettyJson(truth));
    await sink.close();
    await run.commit(temp, final);
    for (const release of run.releases) await release();
    return truth;
  } catch (error) {
    await removeAll(run.written, run.createdDirs.reverse(), run.releases);
    if (error instanceof SampleError) throw error;
    run.checkAbort();
    throw writeFailed(dir, error);
  }
}

async function countRows(run: Run, world: World): Promise<number> {
  let total = 0;
  for (const table of TABLE_NAMES) {
    for (const _ of ROW_SOURCES[table](world)) {
      if (++total % 10_000 === 0) run.checkAbort();
    }
  }
  return total;
}

async function writeTables(run: Run, world: World): Promise<GroundTruth['tables']> {
  const { dir, truthDir, flat, edgeCases, truthRecords } = run.options;
  const total = run.progress.enabled ? await countRows(run, world) : 0;
  let done = 0;
  run.progress.report('tables', 0, total, 'rows', true);
  const final = join(dir, 'export.zip');
  const zipPath = run.temp(final);
  const zip = await ZipWriter.create(zipPath);
  const scratch = run.temp(join(dir, 'export.zip.entry'));
  const recordsDir = join(truthDir, 'records');
  if (truthRecords) {
    await mkdir(recordsDir);
    run.createdDirs.push(recordsDir);
  }
  const result = {} as GroundTruth['tables'];
  let records: FileSink | undefined;
  try {
    for (const table of TABLE_NAMES) {
      const entry = flat ? TABLE_FILES[table] : `Contract_${world.contractId}/${TABLE_FILES[table]}`;
      const fields = SCHEMAS[table].fields;
      const recordsFinal = join(recordsDir, `${table}.ndjson`);
      records = truthRecords ? await FileSink.create(run.temp(recordsFinal)) : undefined;
      const sink = records;
      const eol = edgeCases ? '\r\n' : '\n';
      let rows = 0;
      let crc = 0;
      let usize = 0;
      async function* csv(): AsyncGenerator<Buffer> {
        let text = (edgeCases ? '\ufeff' : '') + fields.map((field) => field.name).join(',') + eol;
        for (const cells of ROW_SOURCES[table](world)) {
          if (cells.length !== fields.length) {
            throw new SampleError(
              'SAMPLE_INTERNAL',
              `Table ${table}: a row has ${cells.length} cells for ${fields.length} fields; this is a bug.`,
            );
          }
          text += csvLine(cells, eol);
          if (sink) {
            const record: Record<string, unknown> = {};
            for (let f = 0; f < fields.length; f++) record[fields[f]!.name] = truthValue(cells[f]!);
            await sink.write(`${JSON.stringify(record)}\n`);
          }
          rows++;
          done++;
          if (text.length >= BATCH_BYTES) {
            run.checkAbort();
            run.progress.report('tables', done, total, 'rows');
            const chunk = Buffer.from(text, 'utf8');
            crc = updateCrc(crc, chunk);
            usize += chunk.length;
            text = '';
            yield chunk;
          }
        }
        const chunk = Buffer.from(text, 'utf8');
        crc = updateCrc(crc, chunk);
        usize += chunk.length;
        yield chunk;
      }
      await pipeline(csv, createDeflateRaw({ level: CSV_LEVEL }), createWriteStream(scratch, { flags: 'w' }));
      const csize = (await stat(scratch)).size;
      await zip.addPrepared(entry, 'deflate', crc >>> 0, csize, usize, scratch);
      if (sink) {
        records = undefined;
        await sink.close();
        await run.commit(sink.path, recordsFinal);
      }
      result[table] = { rows, entry };
    }
    await zip.close();
  } catch (error) {
    await zip.discard();
    await records?.discard();
    throw error;
  }
  await removeAll([scratch], []);
  await run.commit(zipPath, final);
  run.progress.report('tables', done, total, 'rows', true);
  return result;
}

interface PartPlan extends PartTruth {
  folders: number;
}

/** Folder sizes are known before any byte is written, so parts (and their names) are planned first. */
function planParts(run: Run, world: World, averageSize: number) {
  const parts: PartPlan[] = [];
  let current: PartPlan | undefined;
  let currentBytes = 0;
  const totals = {
    files: 0,
    markers: 0,
    bytes: 0,
    candidates: 0,
    byKind: { public: 0, private: 0, miscellaneous: 0 },
  };
  for (const folder of folders(world)) {
    const files = folderFiles(world, folder, averageSize);
    const prefix = `Attachments_${folder.id}-${folder.id}/Candidate_${folder.id}/`;
    const kindsWithout = KINDS.filter((kind) => !files.some((file) => file.kind === kind));
    let folderBytes = 0;
    let bytes = 0;
    for (const file of files) {
      bytes += file.size;
      // Local header, central record and the name twice: close enough to keep a part under its limit.
      folderBytes += file.size + 76 + 2 * Buffer.byteLength(`${prefix}${file.kind}/${file.name}`);
    }
    for (const kind of kindsWithout) folderBytes += 76 + 2 * Buffer.byteLength(`${prefix}${kind}/${MARKER}`);
    if (
      current === undefined ||
      (current.folders > 0 && currentBytes + folderBytes > run.options.partBytes)
    ) {
      current = {
        file: '',
        first: folder.id,
        last: folder.id,
        entries: 0,
        files: 0,
        markers: 0,
        bytes: 0,
        candidates: 0,
        folders: 0,
      };
      parts.push(current);
      currentBytes = 0;
    }
    currentBytes += folderBytes;
    current.last = folder.id;
    current.folders++;
    current.candidates++;
    current.files += files.length;
    current.markers += kindsWithout.length;
    current.entries += files.length + kindsWithout.length;
    current.bytes += bytes;
    totals.files += files.length;
    totals.markers += kindsWithout.length;
    totals.bytes += bytes;
    if (files.length > 0) totals.candidates++;
    for (const file of files) {
      if (file.kind === 'Public') totals.byKind.public++;
      else if (file.kind === 'Private') totals.byKind.private++;
      else totals.byKind.miscellaneous++;
    }
  }
  for (const part of parts) part.file = `Attachment_${part.first}-${part.last}.zip`;
  return { parts, totals };
}

async function writeAttachments(run: Run, world: World): Promise<GroundTruth['attachments']> {
  const averageSize = averageFileSize(world, run.options.attachmentBytes);
  const { parts, totals } = planParts(run, world, averageSize);
  let done = 0;
  run.progress.report('attachments', 0, totals.bytes, 'bytes', true);
  const onBytes = (n: number) => {
    done += n;
    run.checkAbort();
    run.progress.report('attachments', done, totals.bytes, 'bytes');
  };
  const all = folders(world)[Symbol.iterator]();
  for (const part of parts) {
    const final = join(run.options.dir, part.file);
    const temp = run.temp(final);
    const zip = await ZipWriter.create(temp);
    try {
      const root = `Attachments_${part.first}-${part.last}`;
      for (let n = 0; n < part.folders; n++) {
        const folder = all.next().value as Folder;
        const files = folderFiles(world, folder, averageSize);
        for (const kind of KINDS) {
          const base = `${root}/Candidate_${folder.id}/${kind}/`;
          const ofKind = files.filter((file) => file.kind === kind);
          if (ofKind.length === 0) await zip.addStored(base + MARKER, 0, async () => {});
          for (const file of ofKind) await writeFile(world, zip, base + file.name, folder, file, onBytes);
        }
        if (n % 256 === 0) run.checkAbort();
      }
      await zip.close();
    } catch (error) {
      await zip.discard();
      throw error;
    }
    await run.commit(temp, final);
  }
  run.progress.report('attachments', done, totals.bytes, 'bytes', true);
  return { ...totals, parts: parts.map(({ folders: _, ...part }) => part) };
}

const TOKEN = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** export.csv as LinkedIn writes it: a download URL per file, then the statistics. */
async function writeManifest(run: Run, world: World, files: string[], totalFiles: number) {
  const eol = run.options.edgeCases ? '\r\n' : '\n';
  const lines = ['Filename,Download Url'];
  for (const file of files) {
    const r = new Rng(world.seed, 'url', file);
    let token = 'AQ';
    while (token.length < 140) token += TOKEN[r.int(TOKEN.length)];
    lines.push(`${file},https://www.linkedin-ei.com/ambry/?x-li-ambry-ep=${token}`);
  }
  lines.push('Statistics,', `Total Files,${totalFiles}`, `Exported files,${totalFiles}`, 'Failed files,0');
  const final = join(run.options.dir, 'export.csv');
  const temp = run.temp(final);
  const sink = await FileSink.create(temp);
  await sink.write((run.options.edgeCases ? '\ufeff' : '') + lines.join(eol) + eol);
  await sink.close();
  await run.commit(temp, final);
}

async function writePii(run: Run, world: World) {
  const final = join(run.options.truthDir, 'pii.txt');
  const temp = run.temp(final);
  const sink = await FileSink.create(temp);
  let n = 0;
  for (const value of piiStrings(world)) {
    await sink.write(`${value}\n`);
    if (++n % 10_000 === 0) run.checkAbort();
  }
  await sink.close();
  await run.commit(temp, final);
}
