import { describe, expect, it } from 'vitest';
import { Dictionary, DictionaryBuilder } from './dictionary.js';
import { scrubFileName } from './file-name.js';
import { DEFAULT_POLICY, loadPolicy } from './policy.js';
import { Pseudonymizer } from './pseudonym.js';
import { createRedactor } from './redactor.js';

const KEY = Buffer.alloc(32, 7);

// Candidates whose attachments are named as people name their files.
function redactor() {
  const b = new DictionaryBuilder();
  b.add('candidates', { candidate_id: '18', first_name: 'Łukasz', last_name: 'Müller', phone_numbers: [] });
  b.add('candidates', { candidate_id: '4', first_name: 'Zoë', last_name: "O'Neil", phone_numbers: [] });
  b.add('candidates', {
    candidate_id: '7',
    first_name: 'Eulalia',
    last_name: "O'Sullivan-Quintanilla",
    phone_numbers: [],
  });
  return createRedactor({
    policy: loadPolicy({ ...DEFAULT_POLICY, attachments: { public: 'keep', miscellaneous: 'keep' } }),
    key: KEY,
    dictionary: new Dictionary(b.build()),
  });
}

describe('kept attachment file names', () => {
  const ps = new Pseudonymizer(KEY);
  const file = (id: string, name: string) =>
    redactor().attachment(`Candidate_${id}/Public/${name}`)!.split('/')[2];

  it('write the candidate id of a name like resume_candidate18.pdf as the folder is renamed', () => {
    expect(file('18', 'resume_candidate18.pdf')).toBe(`resume_candidate${ps.id('18')}.pdf`);
    expect(file('18', 'resume-18_2.pdf')).toBe(`resume-${ps.id('18')}_2.pdf`);
    // Only the whole id: other numbers are no one's id.
    expect(file('4', 'CV 2014 v4.pdf')).toBe(`CV 2014 v${ps.id('4')}.pdf`);
    expect(file('18', 'CV 2018.pdf')).toBe('CV 2018.pdf');
  });

  it('find names run together and keep the extension after a find', () => {
    expect(file('18', 'ŁukaszMüller-resume.pdf')).toBe('[CANDIDATE]-resume.pdf');
    expect(file('4', "ZoëO'Neil.docx")).toBe('[CANDIDATE].docx');
    expect(file('18', 'lukasz.muller@example.com.pdf')).toBe('[EMAIL].pdf');
    // A part of a double surname, run together with the initial or the first name.
    expect(file('7', 'EQuintanilla.pdf')).toBe('[CANDIDATE].pdf');
    expect(file('7', 'cv-eulaliaquintanilla.pdf')).toBe('cv-[CANDIDATE].pdf');
    expect(file('7', 'EOSullivan_2.pdf')).toBe('[CANDIDATE]_2.pdf');
    // Nothing found: the name as it was, words run together included.
    expect(file('18', 'MyResume.pdf')).toBe('MyResume.pdf');
  });

  it('leave names without an extension or with only one whole', () => {
    const same = (text: string) => text;
    expect(scrubFileName('.hidden', '1', '2', same)).toBe('.hidden');
    expect(scrubFileName('README', '1', '2', same)).toBe('README');
    expect(scrubFileName('id 1.pdf', 'a-1', 'b', same)).toBe('id 1.pdf');
  });
});
