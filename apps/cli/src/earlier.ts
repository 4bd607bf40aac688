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
