// A kept attachment's new file name: the text scrubber's rules, plus what file names do that free text
// does not (an extension, words run together, the candidate's id).

/** A short extension after the last dot: kept as it is, so that a find at the end does not swallow it. */
const EXTENSION = /\.[\p{L}\p{N}]{1,8}$/u;
/** A lower-case letter followed by an upper-case one: where words run together ("JaneDoe-CV"). */
const CAMEL = /(\p{Ll})(\p{Lu})/gu;

/** Stands for the candidate's id while the name is scrubbed: no letter, digit or mark, so no word's part. */
const HOLD = '\ue000';

/**
 * `file` scrubbed by `scrub`, with `id` (the candidate's id in the source) written as `newId` wherever it is
 * a whole run of digits: Talent Hub's own sample names a resume `resume_candidate1.pdf`, and the old id
 * beside the new one would undo the pseudonym. The id is held out of the text while it is scrubbed (the new
 * one may have a phone number's shape, or be another candidate's old id). Words run together are scrubbed
 * apart too, and the result kept only when that found something more. `scrub`'s `ids`: whether other
 * candidates' ids in the text are given their pseudonyms (not twice).
 */
export function scrubFileName(
  file: string,
  id: string,
  newId: string,
  scrub: (text: string, ids: boolean) => string,
): string {
  const extension = EXTENSION.exec(file);
  const cut = extension && extension.index > 0 ? extension.index : file.length;
  let stem = file.slice(0, cut);
  const held = newId !== id && /^\d+$/.test(id) && !stem.includes(HOLD);
  if (held) stem = stem.replace(/\d+/g, (run) => (run === id ? HOLD : run));
  const once = scrub(stem, true);
  const apart = once.replace(CAMEL, '$1 $2');
  const twice = apart === once ? once : scrub(apart, false);
  const name = twice === apart ? once : twice;
  return (held ? name.replaceAll(HOLD, newId) : name) + file.slice(cut);
}
