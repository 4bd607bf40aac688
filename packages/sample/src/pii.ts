import { candidate, ORPHAN_MESSAGE_CANDIDATES, type World } from './model.js';
import { orphanEmail } from './rows.js';

/**
 * Every personal string the tables hold (names, e-mails, phones, profile URLs), each once. E-mails, phones
 * and candidate URLs embed the candidate's index, so they are unique by construction; names come from small
 * pools, so the set of names already given stays small.
 */
export function* piiStrings(world: World): Iterable<string> {
  const names = new Set<string>();
  const name = function* (value: string) {
    if (!names.has(value)) {
      names.add(value);
      yield value;
    }
  };
  for (const recruiter of world.recruiters) {
    yield* name(recruiter.first);
    yield* name(recruiter.last);
  }
  const urls = new Set(world.recruiters.map((r) => r.url));
  yield* urls;
  for (let i = 0; i < world.candidates; i++) {
    const c = candidate(world, i);
    yield* name(c.first[0]);
    yield* name(c.last[0]);
    yield* c.emails;
    yield* c.phones;
    if (c.profileUrl !== null) yield c.profileUrl;
  }
  for (let t = 0; t < ORPHAN_MESSAGE_CANDIDATES.length; t++) yield orphanEmail(t);
}
