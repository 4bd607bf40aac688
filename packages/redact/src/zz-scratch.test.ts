import { it } from 'vitest';
import { Counters, createCounters } from './counters.js';
import { Dictionary, DictionaryBuilder } from './dictionary.js';
import { LeakScanner } from './leaks.js';
import { Pseudonymizer } from './pseudonym.js';
import { Scrubber } from './scrub.js';

const people = JSON.parse(process.env.P ?? '[["1","Mateo","Kowalski"]]');
it('scratch', () => {
  const text = process.env.T ?? '';
  const s = new LeakScanner();
  const d = new DictionaryBuilder();
  for (const [id, f, l, e] of people) {
    const r: Record<string, unknown> = { candidate_id: id!, first_name: f!, last_name: l! };
    if (e) r.emails = [e];
    s.add('candidates', r as never);
    d.add('candidates', r as never);
  }
  const out: string[] = [];
  s.scan(text, (a, b) => out.push(text.slice(a, b)));
  console.log('leak:', JSON.stringify(out));
  const sc = new Scrubber(
    new Dictionary(d.build()),
    new Pseudonymizer(Buffer.alloc(32, 1)),
    { replace: 'tokens', detectors: ['email', 'phone', 'linkedin_url'] },
    new Counters(createCounters()),
  );
  console.log('scrub other:', sc.scrub(text, 99));
  console.log('scrub own:', sc.scrub(text, 0));
});
