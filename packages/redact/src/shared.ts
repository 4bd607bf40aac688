// What the caller holds in memory and every thread's stage reads: the key and the candidates to drop, each
// one SharedArrayBuffer made once by the caller, which owns it. Never a file (a key is written nowhere),
// and a message to a thread carries only a handle to it: a slice costs no copy, whatever the list's size.
import { IdSet } from '@talent-export/schema';

/** The key's bytes in shared memory, for `StageOptions.key`. */
export function shareKey(bytes: Uint8Array): SharedArrayBuffer {
  const memory = new SharedArrayBuffer(bytes.length);
  new Uint8Array(memory).set(bytes);
  return memory;
}

/** Candidate ids (as `readCandidateList` gives them) in shared memory, for `StageOptions.dropCandidates`. */
export function shareCandidateList(ids: Iterable<string>): SharedArrayBuffer {
  // One id a line: a line of the list holds no line break, so none is in an id.
  return shareKey(Buffer.from([...ids].join('\n'), 'utf8'));
}

/** A copy of shared bytes, for this thread: another thread cannot change it meanwhile. */
export const bytesOf = (memory: SharedArrayBuffer): Buffer => Buffer.from(new Uint8Array(memory));

/** The ids of `shareCandidateList`'s memory. */
export function candidateListOf(memory: SharedArrayBuffer): IdSet {
  const ids = new IdSet();
  const text = bytesOf(memory).toString('utf8');
  if (text !== '') for (const id of text.split('\n')) ids.add(id);
  return ids;
}
