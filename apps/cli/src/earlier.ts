// What an earlier run of convert or join wrote into the same output folder, so that files it wrote and this
// run does not write are removed rather than left beside the new ones.
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
