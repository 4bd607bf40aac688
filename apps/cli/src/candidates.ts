import { readFile, stat } from 'node:fs/promises';
import { columnKey, wholeId } from '@talent-export/schema';
import { UsageError } from './exit.js';
import { formatBytes } from './progress.js';

/** A list of ids is small; anything far larger is not one. */
const MAX_IDS_FILE = 64 * 1024 * 1024;

/** `--candidates 1,2` and the ids in `--candidates-file` (separated by commas, spaces or lines), together. */
export async function candidateIds(
  command: string,
  inline: string | boolean | undefined,
  file: string | boolean | undefined,
): Promise<Set<string> | undefined> {
  if (inline === undefined && file === undefined) return undefined;
  const ids = new Set<string>();
  const add = (text: string) => {
    for (const id of parseCandidateIds(text)) ids.add(id);
  };
  if (typeof inline === 'string') add(inline);
  if (typeof file === 'string') {
    const info = await stat(file).catch(() => undefined);
    if (info === undefined || !info.isFile())
      throw new UsageError(`--candidates-file ${file}: no such file`, command);
    if (info.size > MAX_IDS_FILE)
      throw new UsageError(
        `--candidates-file ${file}: ${formatBytes(info.size)} is not a list of ids`,
        command,
      );
    add(await readFile(file, 'utf8'));
  }
  if (ids.size === 0)
    throw new UsageError('--candidates / --candidates-file: no candidate ids given', command);
  return ids;
}

/**
 * The ids of a list separated by commas, semicolons, spaces or lines, as people save one from a
 * spreadsheet too: a header line (`candidate_id`, `Candidate ID`) is skipped and quotes around an id are
 * not part of it (`"123"` is 123), nor are decimals a spreadsheet adds (`123.0` is 123, see `wholeId`),
 * else such ids would be asked for and found nowhere.
 */
export function parseCandidateIds(text: string): string[] {
  const ids: string[] = [];
  for (const line of text.split(/\r\n|\r|\n/)) {
    if (columnKey(line.replaceAll('"', '')) === 'candidateid') continue;
    for (const token of line.split(/[\s,;]+/)) {
      const id = wholeId(token.replace(/^"(.*)"$/, '$1'));
      if (id !== '' && columnKey(id) !== 'candidateid') ids.push(id);
    }
  }
  return ids;
}
