import type { TableName, TypedRecord } from '@talent-export/schema';
import { describe, expect, it } from 'vitest';
import { createStage as createLeakStage } from './leak-stage.js';
import { LeakScanner } from './leaks.js';

function scanner(): LeakScanner {
  const s = new LeakScanner();
  s.add('candidates', {
    candidate_id: '1001',
    first_name: 'Al',
    last_name: 'van der Berg',
    emails: ['Al.Vanderberg.1@Example.com'],
    phone_numbers: ['212-555-0100', '+44 20 7946 0958'],
    profile_url: 'https://www.linkedin.com/in/al-vanderberg-4711/',
  });
  s.add('candidates', { candidate_id: '1002', first_name: 'Zoë', last_name: "D'Angelo" });
  s.add('messages', { sender_profile_url: 'https://www.linkedin.com/in/recruiter-77', body: 'Hi Bob' });
  return s;
}

/** What was found, as `column:matched text`. */
function finds(s: LeakScanner, text: string): string[] {
  const out: string[] = [];
  s.scan(text, (start, end, source) => out.push(`${s.sources[source]!.column}:${text.slice(start, end)}`));
  return out;
}

/** What was found in bytes, as `column:matched bytes` read as Latin-1. */
function findsIn(s: LeakScanner, bytes: Buffer): string[] {
  const out: string[] = [];
  s.scanBytes(bytes, (start, end, source) =>
    out.push(`${s.sources[source]!.column}:${bytes.subarray(start, end).toString('latin1')}`),
  );
  return out;
}

describe('LeakScanner', () => {
  it('finds names as whole words only, in any case, with accents folded', () => {
    const s = scanner();
    expect(finds(s, 'Algebra, Alfred, Salt, AlRashid')).toEqual([]);
    // A name of two letters alone is a word ("et al."): searched beside the other name only.
    expect(finds(s, 'Dear AL, et al.')).toEqual([]);
    expect(finds(s, 'Dear AL VAN DER BERG, thanks')).toEqual(['last_name:AL VAN DER BERG']);
    expect(finds(s, "van der berg al's notes")).toEqual(['last_name:van der berg al']);
    expect(finds(s, 'zoe d’angelo')).toEqual(['first_name:zoe', 'last_name:d’angelo']);
    expect(finds(s, 'Mr VAN DER BERG and van der Bergen')).toEqual(['last_name:VAN DER BERG']);
    expect(finds(s, 'van Berg')).toEqual([]);
  });

  it('searches no placeholder typed for no value (N/A, none, unknown), which redaction keeps', () => {
    const s = new LeakScanner();
    s.add('candidates', {
      candidate_id: '1',
      first_name: 'N/A',
      last_name: 'Unknown',
      emails: ['none'],
      phone_numbers: ['-'],
      profile_url: 'n/a',
    });
    expect(finds(s, 'first_name,last_name,emails\nN/A,Unknown,none\nstatus unknown, n/a')).toEqual([]);
  });

  it('finds a part of a double surname run together with the initial or the first name', () => {
    const s = new LeakScanner();
    s.add('candidates', { candidate_id: '1', first_name: 'Eulalia', last_name: "O'Sullivan-Quintanilla" });
    expect(finds(s, 'EQuintanilla_CV.pdf, quintanillaeulalia, eosullivan, EQuintanillas')).toEqual([
      'last_name:EQuintanilla',
      'last_name:quintanillaeulalia',
      'last_name:eosullivan',
    ]);
  });

  it("finds a family's name in its plural possessive (the Smiths' house), as the scrubber takes it", () => {
    const s = new LeakScanner();
    s.add('candidates', { candidate_id: '1', first_name: 'Jennifer', last_name: 'MacAllister' });
    s.add('candidates', { candidate_id: '2', first_name: 'Gül', last_name: 'Müller' });
    s.add('candidates', { candidate_id: '3', first_name: 'Tomás', last_name: 'Jones' });
    expect(finds(s, "the MacAllisters' house, the MACALLISTERS’ car, the Müllers´ dog")).toEqual([
      'last_name:MacAllister',
      'last_name:MACALLISTER',
      'last_name:Müller',
    ]);
    expect(findsIn(s, Buffer.from('the MacAllisters’ car'))).toEqual(['last_name:MacAllister']);
    // A name ending in s is its own possessive; a plural with no apostrophe is another word.
    expect(finds(s, "Jones' CV, the MacAllisters came, Jennifers")).toEqual(['last_name:Jones']);
  });

  it('finds names with characters that show nothing inside them (soft hyphen, zero-width space, BOM)', () => {
    const s = scanner();
    expect(finds(s, 'd\u00adangelo, Zo\u200bë; van d\u2060er B\ufefferg')).toEqual([
      'last_name:d\u00adangelo',
      'first_name:Zo\u200bë',
      'last_name:van d\u2060er B\ufefferg',
    ]);
  });

  it('searches a candidate with no first or last name by the name its profile URL spells', () => {
    const s = new LeakScanner();
    s.add('candidates', {
      candidate_id: '1',
      first_name: '',
      last_name: null,
      profile_url: 'https://www.linkedin.com/in/thandiwe-dlamini-4711/',
    });
    expect(finds(s, 'hi Thandiwe Dlamini')).toEqual(['first_name:Thandiwe', 'last_name:Dlamini']);
  });

  it('searches a name holding a control character (NUL, DEL) as the name without it', () => {
    const s = new LeakScanner();
    s.add('candidates', { candidate_id: '1', first_name: 'Philippa', last_name: 'Wether\u0000spoon' });
    expect(finds(s, 'Dear Wetherspoon, a spoon of wether')).toEqual(['last_name:Wetherspoon']);
    expect(findsIn(s, Buffer.from('Dear WETHERSPOON,'))).toEqual(['last_name:WETHERSPOON']);
  });

  it('finds names with zero-width joiners inside or Cyrillic look-alike letters, as the scrubber does', () => {
    const s = scanner();
    expect(finds(s, 'Hi Z\u200doë D\u200c\u0391ngelo, d\u0430ngelo')).toEqual([
      'first_name:Z\u200doë',
      'last_name:D\u200c\u0391ngelo',
      'last_name:d\u0430ngelo',
    ]);
  });

  it("finds an e-mail address by its local part, spelled out or alone, when it is not a name's words", () => {
    const s = scanner();
    s.add('candidates', {
      candidate_id: '1003',
      first_name: 'Kim',
      last_name: 'Lee',
      emails: ['KimLee77+jobs@example.org'],
    });
    s.add('candidates', {
      candidate_id: '1004',
      first_name: 'Bo',
      last_name: 'Ng',
      emails: ['bo.ng@example.org', 'info@example.org'],
    });
    expect(finds(s, 'al.vanderberg.1 at example dot com; skype kimlee77, kim lee')).toEqual([
      'emails:al.vanderberg.1',
      'emails:kimlee77',
      'first_name:kim',
      'last_name:lee',
    ]);
    // Short local parts, and those made of a name's words only, are not searched for on their own.
    expect(finds(s, 'info desk, BO NG')).toEqual(['last_name:BO NG']);
  });

  it('finds a full name run together, as handles and links write it, and counts it as no other value', () => {
    const s = new LeakScanner();
    s.add('candidates', { candidate_id: '1', first_name: 'Sean', last_name: "O'Brien-Hart" });
    s.add('candidates', { candidate_id: '2', first_name: 'J.', last_name: 'Doe' });
    expect(finds(s, '@SeanOBrienHart, github.com/seanobrienhart, jdoe')).toEqual([
      'last_name:SeanOBrienHart',
      'last_name:seanobrienhart',
    ]);
    // Its apostrophe kept, typed or typographic, a soft hyphen between.
    expect(finds(s, "SeanO'Brien-Hart, Sean\u00adO\u2019Brien")).toEqual([
      "last_name:SeanO'Brien",
      'last_name:Sean\u00adO\u2019Brien',
    ]);
    expect(s.values).toBe(4);
  });

  it('reads past percent escapes, as in links: an e-mail behind %40, a name behind %20', () => {
    const s = scanner();
    expect(
      finds(s, 'https://cal.example/x?email=al.vanderberg.1%40example.com&name=Al%20van%20der%20Berg'),
    ).toEqual(['emails:al.vanderberg.1%40example.com', 'last_name:Al%20van%20der%20Berg']);
    expect(finds(s, '100%25 sure, %41lgebra')).toEqual([]);
    // A letter beyond ASCII as the percent escapes of its UTF-8 bytes, either case; a byte alone is none.
    expect(finds(s, '?to=Zo%C3%AB%20D%27Angelo, zo%c3%ab, Zo%EB')).toEqual([
      'first_name:Zo%C3%AB',
      'last_name:D%27Angelo',
      'first_name:zo%c3%ab',
    ]);
  });

  it("reads past JSON's and RTF's escapes, as Python's and .NET's JSON and a résumé saved as RTF write names", () => {
    const s = scanner();
    expect(finds(s, '{"to":"Zo\\u00eb D\\u0027Angelo","at":"al.vanderberg.1\\u0040example.com"}')).toEqual([
      'first_name:Zo\\u00eb',
      'last_name:D\\u0027Angelo',
      'emails:al.vanderberg.1\\u0040example.com',
    ]);
    expect(
      finds(s, "{\\rtf1\\ansi Dear Zo\\'eb D\\'92Angelo and Zo\\u235?, AL V\\u97\\'61N DER BERG}"),
    ).toEqual([
      "first_name:Zo\\'eb",
      "last_name:D\\'92Angelo",
      'first_name:Zo\\u235?',
      "last_name:AL V\\u97\\'61N DER BERG",
    ]);
    // What is no escape stays as written: no name is made of it.
    expect(finds(s, "C:\\users\\me, Zo\\u00, Zo\\ud800e, Zo\\'zz")).toEqual([]);
  });

  it('reads bytes that are no UTF-8 as Windows-1252, as Windows and Excel save text, UTF-8 among them too', () => {
    const s = scanner();
    const bytes = Buffer.concat([
      Buffer.from('Dear Zo\xeb D\x92Angelo, AL VAN DER BERG; ', 'latin1'),
      Buffer.from('Zoë'),
    ]);
    expect(findsIn(s, bytes)).toEqual([
      'first_name:Zo\xeb',
      'last_name:D\x92Angelo',
      'last_name:AL VAN DER BERG',
      `first_name:${Buffer.from('Zoë').toString('latin1')}`,
    ]);
    // Streamed with cuts anywhere (inside a UTF-8 character too): the same hits at the same places.
    const text = Buffer.concat([Buffer.from(`${'wörd '.repeat(20_000)}Zoë\n`), bytes]);
    const places = (size: number) => {
      const stream = s.stream(5, { name: 'notes.csv' });
      for (let at = 0; at < text.length; at += size) stream.write(text.subarray(at, at + size));
      return stream.end().first;
    };
    expect(places(7)).toHaveLength(5);
    for (const size of [4095, 65_537]) expect(places(size)).toEqual(places(7));
  });

  it("reads past quoted-printable's escapes of letters, as a mail's body is sent, in UTF-8 or Latin-1", () => {
    const s = scanner();
    expect(finds(s, 'Dear Zo=C3=AB D=92Angelo; Zo=EB said')).toEqual([
      'first_name:Zo=C3=AB',
      'last_name:D=92Angelo',
      'first_name:Zo=EB',
    ]);
    // A value after an equals sign is no escape (`=DA` of DANGELO), nor a number's (`width=80`).
    expect(finds(s, 'key=DANGELO width=80 id=88Zoe')).toEqual(['last_name:DANGELO']);
  });

  it('reads a mail body in base64 as the text it is, a hit told at the run', () => {
    const s = scanner();
    const body = Buffer.from("Dear Zoë D'Angelo, your interview is on Monday.").toString('base64');
    expect(finds(s, `body: ${body}`)).toEqual([`first_name:${body}`, `last_name:${body}`]);
  });

  it("reads a mail header's B-encoded words (RFC 2047) as the text they are, hits told at them", () => {
    const s = scanner();
    const word = '=?UTF-8?B?Wm/DqyBEJ0FuZ2Vsbw==?=';
    expect(finds(s, `From: ${word} <x@example.com>`)).toEqual([`first_name:${word}`, `last_name:${word}`]);
    expect(findsIn(s, Buffer.from(`cc ${word}`))).toEqual([`first_name:${word}`, `last_name:${word}`]);
    expect(finds(s, 'Subject: =?UTF-8?B?TWVldGluZyBub3Rlcw==?=')).toEqual([]);
  });

  it('reads full-width, Arabic-Indic and Devanagari digits as the scrubber does: a phone typed so is found', () => {
    const s = scanner();
    const wide = '＋４４\u3000２０\u3000７９４６\u3000０９５８';
    expect(finds(s, `call ${wide} or ٢١٢-٥٥٥-٠١٠٠, not ２０２４`)).toEqual([
      `phone_numbers:${wide.slice(1)}`,
      'phone_numbers:٢١٢-٥٥٥-٠١٠٠',
    ]);
  });

  it('reads a word whose letters inline tags split whole, as it shows, and told as written', () => {
    const s = scanner();
    expect(finds(s, "Dear <b>Z</b>oë, <span>D'Ang</span><span>elo</span>; Zo<br>ë")).toEqual([
      'first_name:Z</b>oë',
      "last_name:D'Ang</span><span>elo",
    ]);
    expect(findsIn(s, Buffer.from('<i>Z</i>oë'))).toEqual([
      `first_name:${Buffer.from('Z</i>oë').toString('latin1')}`,
    ]);
  });

  it('reads past HTML character references, as HTML mail and notes write them, escaped once or twice', () => {
    const s = scanner();
    const email = 'al&#46;vanderberg&#x2E;1&commat;example&period;com';
    expect(finds(s, `<p>Write to ${email}</p>`)).toEqual([`emails:${email}`]);
    expect(finds(s, 'al&amp;#46;vanderberg.1&amp;#64;example.com')).toEqual([
      'emails:al&amp;#46;vanderberg.1&amp;#64;example.com',
    ]);
    expect(finds(s, 'Call &#43;44&#32;20&nbsp;7946&#x2011;0958 today')).toEqual([
      'phone_numbers:44&#32;20&nbsp;7946&#x2011;0958',
    ]);
    expect(finds(s, 'Dear Zo&euml; D&rsquo;Angelo &amp; AL&nbsp;VAN&#32;DER&#160;BERG')).toEqual([
      'first_name:Zo&euml;',
      'last_name:D&rsquo;Angelo',
      'last_name:AL&nbsp;VAN&#32;DER&#160;BERG',
    ]);
    // What is no reference stays as written: no name is made of it.
    expect(finds(s, 'R&D, AT&T; &bogus; &#0; &#xD800; Zo&eumlaut; Zoe&')).toEqual(['first_name:Zoe']);
    // Streamed with a cut inside a reference: found once, at its place in the bytes as written.
    const text = `${'word '.repeat(20_000)}al&#46;vanderberg&#46;1&#64;example.com\nD&#39;Angelo`;
    const bytes = Buffer.from(text);
    for (const size of [7, 4096, 65_536]) {
      const stream = s.stream(5, { text: true });
      for (let at = 0; at < bytes.length; at += size) stream.write(bytes.subarray(at, at + size));
      stream.end();
      expect(stream.first).toEqual([
        { line: 1, offset: bytes.indexOf('al&#46;'), source: 2 },
        { line: 2, offset: bytes.indexOf('D&#39;'), source: 1 },
      ]);
    }
  });

  it('takes a hyphen or dash between the words of a name as a space, either way round', () => {
    const s = new LeakScanner();
    s.add('candidates', { candidate_id: '1', first_name: 'Anne-Marie', last_name: 'Smith Jones' });
    expect(finds(s, 'Hi Anne Marie, ANNE–MARIE anne-marie; Smith-Jones, SMITH–JONES. Marie Jones')).toEqual([
      'first_name:Anne Marie',
      'first_name:ANNE–MARIE',
      'first_name:anne-marie',
      'last_name:Smith-Jones',
      'last_name:SMITH–JONES',
    ]);
    expect(finds(s, 'github.com/anne-marie-smith-jones')).toEqual([
      'first_name:anne-marie',
      'last_name:smith-jones',
    ]);
  });

  it('finds a name hyphenated at a line break, raw or escaped as JSON, and a two-word name broken at its hyphen', () => {
    const s = new LeakScanner();
    s.add('candidates', { candidate_id: '1', first_name: 'Søren', last_name: 'Bjørnstrüp' });
    s.add('candidates', { candidate_id: '2', first_name: 'Ottoline', last_name: 'Smith-Jones' });
    expect(finds(s, 'Bjørn-\nstrüp, BJØRN- \r\n STRÜP\'s; "Bjørn-\\nstrüp"')).toEqual([
      'last_name:Bjørn-\nstrüp',
      'last_name:BJØRN- \r\n STRÜP',
      'last_name:Bjørn-\\nstrüp',
    ]);
    expect(finds(s, 'Smith-\nJones; a well-\nknown fact; Bjørn-strüp-\n')).toEqual([
      'last_name:Smith-\nJones',
    ]);
  });

  it('finds an export.csv Download Url by its signed token, not by its host', () => {
    const s = new LeakScanner();
    const token = 'AQZhceu15nTNaVm5Q7fO3smQdtRa2Q_OZZ8ghI24LRkq7Ps0e5n-7ZBZjk4j1';
    s.addLink('export.csv', 'Download Url', `https://www.linkedin-ei.com/ambry/?x-li-ambry-ep=${token}`);
    expect(
      finds(s, `get it at https://www.linkedin-ei.com/ambry/?x-li-ambry-ep=${token}&x=1 or ${token}`),
    ).toEqual([`Download Url:${token}`, `Download Url:${token}`]);
    expect(finds(s, 'https://www.linkedin-ei.com/ambry/?x-li-ambry-ep=AQother')).toEqual([]);
    expect(s.sources).toEqual([{ table: 'export.csv', column: 'Download Url', pii: 'download_link' }]);
  });

  it('takes the marks typed for an apostrophe (‘ ´) as one, in the text and in the value', () => {
    const s = new LeakScanner();
    s.add('candidates', { candidate_id: '1', first_name: 'Seán', last_name: "O'Brien" });
    s.add('candidates', { candidate_id: '2', first_name: 'Dana', last_name: 'D´Angelo' });
    expect(finds(s, 'Hi O´Brien, O‘BRIEN´s CV; d’angelo and D´Angelo‘s')).toEqual([
      'last_name:O´Brien',
      'last_name:O‘BRIEN',
      'last_name:d’angelo',
      'last_name:D´Angelo',
    ]);
  });

  it('finds names spelled without their marks: apostrophe left out or made a space, ä ö ü ø å written out', () => {
    const s = new LeakScanner();
    s.add('candidates', { candidate_id: '1', first_name: 'Jürgen', last_name: "O'Brien" });
    s.add('candidates', { candidate_id: '2', first_name: "D'Angelo", last_name: 'Ødegård' });
    expect(finds(s, 'Juergen OBrien, O BRIEN; Brien, O, DAngelo Oedegaard, Angelo')).toEqual([
      'first_name:Juergen',
      'last_name:OBrien',
      'last_name:O BRIEN',
      'first_name:DAngelo',
      'last_name:Oedegaard',
    ]);
    s.add('candidates', { candidate_id: '3', first_name: 'Mary Ann', last_name: 'de la Cruz' });
    expect(finds(s, 'CV_MaryAnn_DelaCruz.pdf')).toEqual(['first_name:MaryAnn', 'last_name:DelaCruz']);
  });

  it("finds the first name's initial and the last name run together, as user names and file names write them", () => {
    const s = new LeakScanner();
    s.add('candidates', { candidate_id: '1', first_name: 'José', last_name: 'Núñez' });
    s.add('candidates', { candidate_id: '2', first_name: 'Ann', last_name: 'Lee' });
    expect(finds(s, 'JNunez_CV.pdf, jnúñez, j.nunez, alee, Nunez')).toEqual([
      'last_name:JNunez',
      'last_name:jnúñez',
      'last_name:nunez',
      'last_name:Nunez',
    ]);
  });

  it('finds those glued names with letters written out or folded, and family name first', () => {
    const s = new LeakScanner();
    s.add('candidates', { candidate_id: '1', first_name: 'Jürgen', last_name: 'Müller' });
    s.add('candidates', { candidate_id: '2', first_name: 'Jürgen', last_name: 'Weiß' });
    s.add('candidates', { candidate_id: '3', first_name: 'Xiaoming', last_name: 'Wang' });
    expect(finds(s, 'jmueller@firma.de, juergenmueller, CV_JWeiss.pdf, jweiß, wangxiaoming')).toEqual([
      'last_name:jmueller',
      'last_name:juergenmueller',
      'last_name:JWeiss',
      'last_name:jweiß',
      'last_name:wangxiaoming',
    ]);
  });

  it('finds the name a profile URL of no candidate is made of (a recruiter signing messages)', () => {
    const s = new LeakScanner();
    s.add('messages', { sender_profile_url: 'https://www.linkedin.com/in/priya-sharma-1a2b3c' });
    s.add('notes', { owner_profile_url: 'https://www.linkedin.com/in/acme-careers' });
    expect(finds(s, 'Best, Priya Sharma. Priya alone; Acme careers')).toEqual([
      'sender_profile_url:Priya Sharma',
      'owner_profile_url:Acme careers',
    ]);
    // In an HTML body, each word in a tag of its own.
    expect(finds(s, '<p><b>Priya</b> <span style="x">Sharma</span></p>')).toEqual([
      'sender_profile_url:Priya</b> <span style="x">Sharma',
    ]);
    // As a signature or a list writes it: the first name an initial, the last name first.
    expect(finds(s, 'Cheers, P. Sharma; cc Sharma, Priya; Sharma alone')).toEqual([
      'sender_profile_url:P. Sharma',
      'sender_profile_url:Sharma, Priya',
    ]);
  });

  it('finds each address of an e-mail cell that joins them with commas or spaces', () => {
    const s = new LeakScanner();
    s.add('candidates', {
      candidate_id: '1',
      emails: ['xq7@example.com, zz.top@example.org  w9@example.net'],
    });
    expect(finds(s, 'w9@example.net; XQ7@EXAMPLE.COM and zz.top@example.org')).toEqual([
      'emails:w9@example.net',
      'emails:XQ7@EXAMPLE.COM',
      'emails:zz.top@example.org',
    ]);
    // A cell pasted from a mail program or a link: a display name, angle brackets, a mailto: scheme.
    s.add('candidates', {
      candidate_id: '2',
      emails: ['Quinn Vale <qv.work@example.com>', 'mailto:QV2@Example.com', '"Vale, Q." <qv3@example.org>.'],
    });
    expect(finds(s, 'qv.work@example.com, qv2@example.com or QV3@example.org')).toEqual([
      'emails:qv.work@example.com',
      'emails:qv2@example.com',
      'emails:QV3@example.org',
    ]);
  });

  it("finds the values of the candidates table's columns beyond the schema headed for a name or contact", () => {
    const s = new LeakScanner();
    s.add('candidates', {
      candidate_id: '1',
      first_name: 'Quinn',
      'Mobile 2': '0171 7654321',
      'Preferred Name': 'Kit Marlowe',
      'Personal E-mail': 'N/A',
      Notes: 'Marlowe Street 0171',
    });
    expect(finds(s, 'Kit Marlowe: 0171-765 4321, n/a')).toEqual([
      '(a name column beyond the schema):Kit Marlowe',
      '(a phone column beyond the schema):0171-765 4321',
    ]);
  });

  it('finds the name inside a field that holds a title, suffix, initial or nickname beside it', () => {
    const s = new LeakScanner();
    s.add('candidates', { candidate_id: '1', first_name: 'Dr. Priyanka', last_name: 'Wojciechowski Jr.' });
    s.add('candidates', { candidate_id: '2', first_name: 'Krzysztof (Chris)', last_name: 'Abernathy, PhD' });
    s.add('candidates', { candidate_id: '3', first_name: 'Gwendolyn Q.', last_name: 'Dr. Taylor' });
    expect(
      finds(s, 'Priyanka, Wojciechowski, Chris, Krzysztof, Abernathy, Gwendolyn; Taylor, Dr, Jr'),
    ).toEqual([
      'first_name:Priyanka',
      'last_name:Wojciechowski',
      'first_name:Chris',
      'first_name:Krzysztof',
      'last_name:Abernathy',
      'first_name:Gwendolyn',
    ]);
    // "Taylor" is a name fakes are drawn from: not searched alone, whatever stands beside it.
    expect(s.fakeNames).toBe(1);
  });

  it('folds letters NFKD leaves whole (Ł, Ø, ß, Æ...), either way round', () => {
    const s = new LeakScanner();
    s.add('candidates', { candidate_id: '1', first_name: 'Łukasz', last_name: 'Øberg' });
    s.add('candidates', { candidate_id: '2', first_name: 'Aeron', last_name: 'Strasse' });
    expect(finds(s, 'Hi Lukasz Oberg, LUKASZ, oberg.')).toEqual([
      'first_name:Lukasz',
      'last_name:Oberg',
      'first_name:LUKASZ',
      'last_name:oberg',
    ]);
    expect(finds(s, 'Æron Straße')).toEqual(['first_name:Æron', 'last_name:Straße']);
  });

  it('ends a word at an emoji or other symbol beyond the first plane, not at a letter there', () => {
    const s = new LeakScanner();
    s.add('candidates', { candidate_id: '1', first_name: 'José', last_name: '𠮷田' });
    expect(finds(s, 'Thanks José🙏 see you. Hi 👋josé, 🙏JOSE🙏')).toEqual([
      'first_name:José',
      'first_name:josé',
      'first_name:JOSE',
    ]);
    expect(finds(s, '𠮷田🎉 and 𠮷田さん')).toEqual(['last_name:𠮷田', 'last_name:𠮷田']);
  });

  it('finds names inside words of scripts written without spaces, one character only beside another', () => {
    const s = new LeakScanner();
    s.add('candidates', { candidate_id: '1', first_name: '小明', last_name: '王' });
    s.add('candidates', { candidate_id: '2', first_name: '伟', last_name: '李' });
    expect(finds(s, '您好，王小明：王国很大。李伟和小明，李白')).toEqual([
      'last_name:王',
      'first_name:小明',
      'last_name:李',
      'first_name:伟',
      'first_name:小明',
    ]);
    // Not in binary bytes, where such characters turn up by chance.
    const stream = s.stream(5, {});
    stream.write(Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.from('王国李伟和小明')]));
    expect(stream.end().hits).toBe(0);
  });

  it('finds e-mails and profile URLs in any case, with or without scheme and www', () => {
    const s = scanner();
    expect(finds(s, 'write to al.vanderberg.1@EXAMPLE.COM now')).toEqual([
      'emails:al.vanderberg.1@EXAMPLE.COM',
    ]);
    expect(
      finds(s, 'see linkedin.com/in/AL-VANDERBERG-4711 and http://linkedin.com/in/recruiter-77'),
    ).toEqual([
      'profile_url:linkedin.com/in/AL-VANDERBERG-4711',
      'sender_profile_url:linkedin.com/in/recruiter-77',
    ]);
    expect(finds(s, 'linkedin.com/in/recruiter-770 bob.vanderberg.1@example.com')).toEqual([
      // Only the last name run together (a spelling of "van der Berg"), not the e-mail.
      'last_name:vanderberg',
    ]);
  });

  it('finds a profile by its own part whatever the host and path around it, percent-encoded or not', () => {
    const s = new LeakScanner();
    s.add('candidates', { candidate_id: '1', profile_url: 'uk.linkedin.com/in/sean-obrien-1a2b3c/' });
    s.add('candidates', {
      candidate_id: '2',
      profile_url: 'https://www.linkedin.com/talent/profile/AEMAAABCDEF?project=1',
    });
    s.add('candidates', {
      candidate_id: '3',
      profile_url: 'https://www.linkedin.com/in/%D0%B4%D0%BC%D0%B8%D1%82%D1%80%D0%B8%D0%B9-ivanov',
    });
    s.add('messages', { sender_profile_url: 'https://www.linkedin.com/in/jane' });
    expect(
      finds(
        s,
        'www.linkedin.com/comm/in/sean-obrien-1a2b3c, in/sean-obrien-1a2b3c; linkedin.com/talent/hire/9/discover/applicants/profile/AEMAAABCDEF; linkedin.com/in/дмитрий-ivanov. Jane',
      ),
    ).toEqual([
      'profile_url:sean-obrien-1a2b3c',
      'profile_url:sean-obrien-1a2b3c',
      'profile_url:AEMAAABCDEF',
      'profile_url:дмитрий-ivanov',
    ]);
  });

  it('finds a profile by its own part when the cell holds its path without the host', () => {
    const s = new LeakScanner();
    s.add('scorecards', { interviewer: '/in/pat-kim-9x8y7z/' });
    s.add('messages', { sender_profile_url: 'in/lee-ward-55?trk=x' });
    s.add('notes', { owner_profile_url: 'linkedin.com/in/jo-ray-12' });
    expect(finds(s, 'handles: pat-kim-9x8y7z, @lee-ward-55 and jo-ray-12; in/out')).toEqual([
      'interviewer:pat-kim-9x8y7z',
      'sender_profile_url:lee-ward-55',
      'owner_profile_url:jo-ray-12',
    ]);
  });

  it('finds values of custom fields of special personal data where they can be told from other text', () => {
    const s = new LeakScanner();
    const column = 'custom_field_values[901]';
    for (const value of [
      '12 Rose Street, Leeds',
      '1987-03-04',
      'X1234567',
      '123-45-6789',
      'Rose Cottage, Mill Lane',
      // Words and amounts of many texts: each would be a hit wherever it stands.
      'Female',
      'United Kingdom',
      '85000',
      '€85,000',
      'Prefer not to say',
    ])
      s.addSensitive('custom_field_values', column, value);
    expect(s.sources).toEqual([{ table: 'custom_field_values', column, pii: 'sensitive' }]);
    expect(s.values).toBe(5);
    expect(
      finds(
        s,
        '12 ROSE STREET LEEDS; born 1987-03-04; passport x1234567, ssn 123 45 6789; rose cottage - mill lane. Female, United Kingdom, 85000, prefer not to say',
      ),
    ).toEqual([
      `${column}:12 ROSE STREET LEEDS`,
      `${column}:1987-03-04`,
      `${column}:x1234567`,
      `${column}:123 45 6789`,
      `${column}:rose cottage - mill lane`,
    ]);
  });

  it('finds phone numbers by their digits in any punctuation, never inside a longer number', () => {
    const s = scanner();
    expect(finds(s, 'call (212) 555 0100 or +1 212.555.0100 or 2125550100.')).toEqual([
      'phone_numbers:212) 555 0100',
      'phone_numbers:212.555.0100',
      'phone_numbers:2125550100',
    ]);
    // Written at home: without the country code (behind a trunk 0), or without an extension.
    expect(finds(s, '020 7946 0958 / 442079460958 / 20 7946 0958')).toEqual([
      'phone_numbers:020 7946 0958',
      'phone_numbers:442079460958',
      'phone_numbers:20 7946 0958',
    ]);
    const t = new LeakScanner();
    t.add('candidates', { candidate_id: '1', phone_numbers: ['+48 601 234 567', '(646) 555-0199 x123'] });
    expect(finds(t, 'call 601 234 567 or 646.555.0199; not 601 234 568')).toEqual([
      'phone_numbers:601 234 567',
      'phone_numbers:646.555.0199',
    ]);
    expect(finds(s, '12125550100 21255501000 2024-01-15 212-555-0101')).toEqual([]);
    // Dashes other than the hyphen, as the scrubber takes them (U+2013, U+2011).
    expect(finds(s, '212\u2013555\u20130100 or 212\u2011555\u20110100')).toEqual([
      'phone_numbers:212\u2013555\u20130100',
      'phone_numbers:212\u2011555\u20110100',
    ]);
    // Spaces of other widths, as typesetting puts them between groups (U+202F, U+2009).
    expect(finds(s, '+44\u202f20\u202f7946\u202f0958 or 212\u2009555\u20090100')).toEqual([
      'phone_numbers:44\u202f20\u202f7946\u202f0958',
      'phone_numbers:212\u2009555\u20090100',
    ]);
    // Characters that show nothing between groups.
    expect(finds(s, '212\u200b555\u200b0100 or 212\u00ad555\u20600100')).toEqual([
      'phone_numbers:212\u200b555\u200b0100',
      'phone_numbers:212\u00ad555\u20600100',
    ]);
    expect(finds(s, 'Al: 212 555 0100, Zoe')).toEqual(['phone_numbers:212 555 0100', 'first_name:Zoe']);
  });

  it('finds a name glued to a JSON escape, and skips free text and ids', () => {
    const s = scanner();
    expect(finds(s, '"body":"Thanks,\\nZoe\\tand Bob","candidate_id":"1001"')).toEqual(['first_name:Zoe']);
    // A JSON escape reads as what it stands for: a no-break space parts a phone's groups.
    expect(finds(s, '"body":"call\\n212-555-0100\\u00a0or\\t(212)\\u00a0555\\u00a00100"')).toEqual([
      'phone_numbers:212-555-0100',
      'phone_numbers:212)\\u00a0555\\u00a00100',
    ]);
    expect(finds(s, 'call 212\u00a0555\u00a00100 / x2125550100')).toEqual([
      'phone_numbers:212\u00a0555\u00a00100',
    ]);
    expect(s.sources.map((x) => `${x.table}.${x.column}`).sort()).toEqual([
      'candidates.emails',
      'candidates.first_name',
      'candidates.last_name',
      'candidates.phone_numbers',
      'candidates.profile_url',
      'messages.sender_profile_url',
    ]);
  });

  it('finds the LinkedIn links free text holds, kept by the leak stage where the text itself is emptied', () => {
    const stage = createLeakStage();
    const s = new LeakScanner();
    const rows: [TableName, TypedRecord][] = [
      [
        'notes',
        { content: 'Her page: lnkd.in/abc123, old one https://www.linkedin.com/in/sam-lee-5/?trk=x.' },
      ],
      ['messages', { body: 'Hi, nothing here', subject: 'see uk.linkedin.com/pub/kim-ode/1/2/3 too' }],
      ['projects', { project_description: 'apply at https://LNKD.IN/e-Gx5Zq' }],
    ];
    for (const [table, record] of rows) s.add(table, stage(table, record));
    expect(stage('messages', { body: 'Hi, nothing here' }).body).toBeNull();
    expect(
      finds(
        s,
        'lnkd.in/abc123 https://www.linkedin.com/in/sam-lee-5 sam-lee-5 linkedin.com/pub/kim-ode/1/2/3 lnkd.in/e-Gx5Zq; lnkd.in/abc1234',
      ),
    ).toEqual([
      'content:lnkd.in/abc123',
      'content:linkedin.com/in/sam-lee-5',
      'content:sam-lee-5',
      'subject:linkedin.com/pub/kim-ode/1/2/3',
      'project_description:lnkd.in/e-Gx5Zq',
    ]);
    expect(s.sources.map((x) => x.pii)).toEqual(['profile_url', 'profile_url', 'profile_url']);
  });

  it('reads the LinkedIn links of text holding JSON: escaped slashes, and an escape after the link', () => {
    const stage = createLeakStage();
    const s = new LeakScanner();
    s.add('notes', stage('notes', { content: '{"u":"https:\\/\\/uk.linkedin.com\\/in\\/jdx-4711"}' }));
    s.add('messages', stage('messages', { body: 'profile linkedin.com/in/qrv-8080\\nThanks' }));
    expect(finds(s, 'found jdx-4711 and qrv-8080 here')).toEqual(['content:jdx-4711', 'body:qrv-8080']);
  });

  it("reads XML and HTML as a reader sees them: a Word document's runs joined, its paragraphs and cells apart", () => {
    const s = scanner();
    s.add('candidates', { candidate_id: '1003', first_name: 'Mary Ann', last_name: 'Okafor' });
    const xml = [
      // A word typed in two runs, a name in runs of two formats, a tracked change's author.
      '<w:p><w:r><w:t>O</w:t></w:r><w:r w:rsidR="00A1"><w:t>kafor</w:t></w:r></w:p>',
      '<w:p><w:r><w:rPr><w:rFonts w:ascii="Times New Roman"/></w:rPr><w:t>Mary</w:t></w:r>',
      '<w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve"> Ann</w:t></w:r></w:p>',
      '<w:ins w:id="3" w:author="Al van der Berg" w:date="2024-01-02T00:00:00Z"/>',
      // Two cells are no one word.
      '<w:tc><w:p><w:r><w:t>Zo</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>e</w:t></w:r></w:p></w:tc><!-- Zoe -->',
    ].join('');
    const bytes = Buffer.from(xml);
    const hits = (name: string) => {
      const stream = s.stream(5, { name });
      stream.write(bytes);
      return stream.end().first.map((hit) => xml.slice(hit.offset, hit.offset + 6));
    };
    // Found as written too: the author's name in its tag, the name in the comment.
    expect(hits('word/document.xml')).toEqual(['O</w:t', 'Mary</', 'Al van', 'Zoe --']);
    // Read as written, the words of a name a space apart with tags between are the name too.
    expect(hits('notes.txt')).toEqual(['Mary</', 'Al van', 'Zoe --']);
    expect(hits('letter.html')).toEqual(hits('word/document.xml'));
  });

  it('reads text saved as UTF-16 (with its byte order mark) as text, wherever the chunks are cut', () => {
    const s = scanner();
    const text =
      'Filename,Download Url\r\nnotes,Dear Zoë van der Berg\r\nmail al.vanderberg.1@example.com, (212) 555-0100\r\n';
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const be = Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]);
    for (const bytes of [le, be])
      for (const size of [1, 3, 4, bytes.length]) {
        const stream = s.stream(5, { name: 'export.csv' });
        for (let at = 0; at < bytes.length; at += size) stream.write(bytes.subarray(at, at + size));
        stream.end();
        expect([stream.hits, stream.bytes]).toEqual([4, bytes.length]);
      }
    // A lone byte is a stream too.
    const one = s.stream(5, {});
    one.write(Buffer.from('x'));
    expect([one.end().hits, one.bytes]).toEqual([0, 1]);
  });

  it('reads a text file saved as UTF-16 without a byte order mark (as iconv writes it) as text', () => {
    const s = scanner();
    const text = 'notes,Dear Zoë van der Berg\r\nmail al.vanderberg.1@example.com, (212) 555-0100\r\n';
    const le = Buffer.from(text, 'utf16le');
    for (const bytes of [le, Buffer.from(le).swap16()])
      for (const size of [1, 3, bytes.length]) {
        const stream = s.stream(5, { name: 'notes.csv' });
        for (let at = 0; at < bytes.length; at += size) stream.write(bytes.subarray(at, at + size));
        stream.end();
        expect([stream.hits, stream.bytes]).toEqual([4, bytes.length]);
      }
  });

  it('streams: the same hits, lines and offsets wherever the chunks are cut', () => {
    const s = scanner();
    const line = 'nothing here but words and 2024-01-02 dates,';
    const text = `${`${line}\n`.repeat(3000)}Dear Zoë,\n${line.repeat(2000)} al.vanderberg.1@example.com\n${'x'.repeat(9000)} (212) 555-0100`;
    const bytes = Buffer.from(text);
    const whole = s.stream().end();
    expect(whole.hits).toBe(0);
    const results = [1, 7, 4096, 4097, 65_536, bytes.length].map((size) => {
      const stream = s.stream();
      for (let at = 0; at < bytes.length; at += size) stream.write(bytes.subarray(at, at + size));
      stream.end();
      return { hits: stream.hits, first: stream.first, bytes: stream.bytes };
    });
    const zoe = bytes.indexOf('Zoë');
    const expected = {
      hits: 3,
      bytes: bytes.length,
      first: [
        { line: 3001, offset: zoe, source: 0 },
        { line: 3002, offset: bytes.indexOf('al.vanderberg'), source: 2 },
        { line: 3003, offset: bytes.indexOf('212)'), source: 3 },
      ],
    };
    for (const r of results) expect(r).toEqual(expected);
  });

  it('in binary bytes (a PDF, a NUL byte) counts no one-word name, which turns up there by chance', () => {
    const s = scanner();
    const body = ' x Zoë y van der Berg z al.vanderberg.1@example.com ';
    const count = (bytes: Buffer) => {
      const stream = s.stream();
      stream.write(bytes);
      stream.end();
      return { binary: stream.binary, hits: stream.hits };
    };
    expect(count(Buffer.from(`%PDF-1.7\n${body}`))).toEqual({ binary: true, hits: 2 });
    expect(count(Buffer.from(`text\0${body}`))).toEqual({ binary: true, hits: 2 });
    expect(count(Buffer.from(`text${body}`))).toEqual({ binary: false, hits: 3 });
    // Beside another name, a one-word name is one: a full name in a PDF's text or metadata.
    expect(count(Buffer.from(`%PDF-1.7\n/Author (Zoë D'Angelo) (ZOË) (Al) Tj`))).toEqual({
      binary: true,
      hits: 2,
    });
  });

  it('finds text a binary file holds as UTF-16 (a Word .doc, an Excel .xls), at its place, across pieces', () => {
    const s = scanner();
    const utf16 = (text: string) => Buffer.from(text, 'utf16le');
    const ole = Buffer.from('d0cf11e0a1b11ae1', 'hex');
    const count = (...chunks: Buffer[]) => {
      const stream = s.stream();
      for (const chunk of chunks) stream.write(chunk);
      stream.end();
      return { binary: stream.binary, hits: stream.hits, first: stream.first.map((h) => h.offset) };
    };
    const junk = Buffer.alloc(70_000, 0xa7);
    // Odd: the UTF-16 text may begin at any byte, not only an even one.
    const doc = Buffer.concat([ole, junk, Buffer.from([1]), utf16(' x Zoë y van der Berg z '), junk]);
    const at = ole.length + junk.length + 1 + ' x '.length * 2;
    // Zoë is one word alone (see above): van der Berg is the hit.
    expect(count(doc)).toEqual({ binary: true, hits: 1, first: [at + 'Zoë y '.length * 2] });
    // Cut anywhere, even inside the name, it is found once.
    for (const cut of [at + 13, at + 17, 65_536])
      expect(count(doc.subarray(0, cut), doc.subarray(cut)).hits, `cut at ${cut}`).toBe(1);
    // An e-mail and a phone too; alone in a binary file, a one-word name still counts nothing.
    expect(count(Buffer.concat([ole, utf16('al.vanderberg.1@example.com, Zoë')])).hits).toBe(1);
  });

  it('reads each UTF-16 run of a binary file alone: words far apart make no name, a run is counted once', () => {
    const s = new LeakScanner();
    s.add('candidates', { candidate_id: '1', first_name: 'Mateo', last_name: 'Kowalski' });
    const utf16 = (text: string) => Buffer.from(text, 'utf16le');
    const doc = (...runs: [at: number, text: string][]) => {
      const bytes = Buffer.alloc(140_000, 0xa7);
      Buffer.from('d0cf11e0a1b11ae1', 'hex').copy(bytes);
      for (const [at, text] of runs) {
        // Each run between control characters, as a .doc's text pieces stand between its records.
        bytes.writeUInt16LE(1, at - 2);
        utf16(text).copy(bytes, at);
        bytes.writeUInt16LE(1, at + text.length * 2);
      }
      return bytes;
    };
    const hits = (bytes: Buffer, size = bytes.length) => {
      const stream = s.stream();
      for (let at = 0; at < bytes.length; at += size) stream.write(bytes.subarray(at, at + size));
      return stream.end().hits;
    };
    // A one-word name alone counts nothing in binary bytes, nor does one run ending as the next begins.
    expect(hits(doc([1000, 'to Kowalski'], [50_000, 'Mateo said']))).toBe(0);
    expect(hits(doc([1000, 'Dear Mateo Kowalski, hello']))).toBe(2);
    // Across the cut between two 64 KiB pieces, wherever the chunks end.
    for (let at = 61_400; at < 61_460; at += 2)
      for (const size of [65_536, 4096])
        expect(hits(doc([at, 'Dear Mateo Kowalski, hello']), size), `at ${at}, chunks of ${size}`).toBe(2);
  });

  it('scans a table as text whatever bytes a cell holds: a NUL hides no name there', () => {
    const s = scanner();
    const bytes = Buffer.from(`id,text\n1,note\0\n2, x Zoë y van der Berg z\n`);
    const hits = (as: { name?: string; text?: boolean }) => {
      const stream = s.stream(5, as);
      stream.write(bytes);
      return { binary: stream.end().binary, hits: stream.hits };
    };
    for (const name of ['Projects.csv', 'Contract_1/Messages.CSV', 'projects.ndjson', 'report.json', 'a.txt'])
      expect(hits({ name })).toEqual({ binary: false, hits: 2 });
    expect(hits({ text: true })).toEqual({ binary: false, hits: 2 });
    // Bytes of unknown kind (an attachment) are still sniffed.
    expect(hits({ name: 'Candidate_1/Public/cv.pdf' })).toEqual({ binary: true, hits: 1 });
    expect(hits({})).toEqual({ binary: true, hits: 1 });
  });

  it('does not search for a name the fakes are drawn from (each fake would be a hit), and counts it', () => {
    const s = new LeakScanner();
    s.add('candidates', { candidate_id: '1', first_name: 'Taylor', last_name: 'GREY' });
    s.add('candidates', { candidate_id: '2', first_name: 'Taylor', last_name: 'Greyson' });
    expect(finds(s, 'Taylor Grey, Greyson')).toEqual(['last_name:Greyson']);
    expect([s.fakeNames, s.values]).toEqual([2, 1]);
  });

  it('does not search for a name of one letter (every text holds the word), and counts it', () => {
    const s = new LeakScanner();
    s.add('candidates', { candidate_id: '1', first_name: 'Min', last_name: 'O' });
    s.add('candidates', { candidate_id: '2', first_name: 'Ólafur', last_name: 'Å' });
    expect(finds(s, 'I have a dog, o well, Min and Olafur')).toEqual(['first_name:Min', 'first_name:Olafur']);
    expect(s.fakeNames).toBe(2);
  });

  it('holds a few bytes per value', () => {
    const s = new LeakScanner();
    for (let i = 0; i < 20_000; i++) {
      s.add('candidates', {
        first_name: `first${i}`,
        emails: [`person.${i}@example.com`],
        phone_numbers: [`+1 555 ${String(i).padStart(7, '0')}`],
      });
    }
    expect(s.values).toBe(60_000);
    expect(s.bytes / s.values).toBeLessThan(80);
  });

  it('reads bytes that spell no code point (binary data) as no word, and goes on', () => {
    const s = scanner();
    // F4 90 80 80 and F7 BF BF BF decode past U+10FFFF; found in PDFs, they made the scan throw.
    const bytes = Buffer.concat([
      Buffer.from([0xf4, 0x90, 0x80, 0x80, 0x20, 0xf7, 0xbf, 0xbf, 0xbf]),
      Buffer.from(" Zoe D'Angelo "),
    ]);
    const out: string[] = [];
    s.scanBytes(bytes, (start, end, source) =>
      out.push(`${s.sources[source]!.column}:${bytes.toString('utf8', start, end)}`),
    );
    expect(out).toEqual(['first_name:Zoe', "last_name:D'Angelo"]);
  });
});
