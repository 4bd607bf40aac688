// What an earlier run of convert or join wrote into the same output folder, so that files it wrote and this
// run does not write are removed rather than left beside the new ones.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Files of an earlier run in the same folder, from its manifest.json (nothing when there is none). */
export async function readManifest(dir: string): Promise<string[]> {
  try {
    const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as {
      files?: { path?: unknown }[];
    };
    return (manifest.files ?? []).map((f) => f.path).filter((p): p is string => typeof p === 'string');
  } catch {
    return [];
  }
}

/**
 * Which command wrote the earlier run in `dir`: join's manifest lists orphans.ndjson, convert's its tables.
 * The two write files of one name (candidates.ndjson, manifest.json), so one run into the other's folder
 * replaced the other's candidates table with documents and left the rest of its files unlisted.
 */
export function writtenBy(files: readonly string[]): 'join' | 'convert' | undefined {
  if (files.length === 0) return undefined;
  return files.includes('orphans.ndjson') ? 'join' : 'convert';
}

/** A usage error when `dir` holds the output of `other`, not of `command` (see `writtenBy`). */
export function otherOutput(
  command: 'join' | 'convert',
  dir: string,
  files: readonly string[],
): string | undefined {
  const by = writtenBy(files);
  if (by === undefined || by === command) return undefined;
  return `--out ${dir} holds what ${by} wrote (its manifest.json lists it); ${command} writes candidates.ndjson and manifest.json too, which would replace ${by}'s: give ${command} a folder of its own, e.g. --out ${join(dir, command === 'join' ? 'joined' : 'tables')}`;
}

/**
 * A usage error when `dir` holds files named as `command` would write them that no earlier run of it wrote:
 * a user's own notes.ndjson or report.json was replaced without a word. An earlier run's files are those its
 * manifest lists, and the ones written beside it (`beside`: manifest.json, report.json), if there was one.
 */
export function foreignFiles(
  command: 'join' | 'convert',
  dir: string,
  names: readonly string[],
  previous: readonly string[],
  beside: readonly string[],
): string | undefined {
  const ours = new Set(previous.length > 0 ? [...previous, ...beside] : []);
  const foreign = [...new Set(names)].filter((name) => !ours.has(name) && existsSync(join(dir, name)));
  if (foreign.length === 0) return undefined;
  const shown =
    foreign.length > 3
      ? `${foreign.slice(0, 3).join(', ')} and ${foreign.length - 3} more`
      : foreign.join(', ');
  const them = foreign.length === 1 ? 'it' : 'them';
  const why =
    previous.length > 0 ? `its manifest.json does not list ${them}` : `no manifest.json there lists ${them}`;
  return `--out ${dir} holds ${shown}, which no earlier ${command} wrote (${why}); ${command} would replace ${them}: move ${them} away, or give another folder`;
}
