import { describe, expect, it } from 'vitest';
import { addProfilesIn, UrlFields } from './url-fields.js';

const TABLE = [
  'message_id,project_id,candidate_id,sender_profile_url,subject,body,type',
  '1,5,10,https://www.linkedin.com/in/priya-raman-a1b2c3,Hello,"See https://www.linkedin.com/in/not-a-field-9 and more",InMail',
  '2,5,10,"https://www.linkedin.com/in/j%C3%BCrgen-m%C3%BCller-7",Re,"quoted ""linkedin.com/in/in-quotes-1"" inside",reply',
  '3,5,10,https://www.linkedin.com/in/priya-raman-a1b2c3,Re,body,InMail',
  '4,5,10,www.linkedin.com/in/last-one-2,Re,"x,linkedin.com/in/comma-before-3 y",reply',
].join('\r\n');

/** The URLs found when the table's bytes come in pieces of `size` bytes. */
function urlsIn(text: string, size: number): string[] {
  const found: string[] = [];
  const fields = new UrlFields((url) => found.push(url));
  const bytes = Buffer.from(text);
  for (let i = 0; i < bytes.length; i += size) fields.push(bytes.subarray(i, i + size));
  fields.end();
  return found;
}

describe('UrlFields', () => {
  it('finds the URLs that are fields of their own, quoted or not, a repeat on the next row once', () => {
    expect(urlsIn(TABLE, 1 << 20)).toEqual([
      'https://www.linkedin.com/in/priya-raman-a1b2c3',
      'https://www.linkedin.com/in/j%C3%BCrgen-m%C3%BCller-7',
      'https://www.linkedin.com/in/priya-raman-a1b2c3',
      'www.linkedin.com/in/last-one-2',
    ]);
  });

  it('finds the same whatever the size of the pieces the bytes come in', () => {
    const whole = urlsIn(TABLE, 1 << 20);
    for (const size of [1, 2, 3, 7, 13, 64, 100]) expect(urlsIn(TABLE, size)).toEqual(whole);
  });

  it('takes a field at the very start and the very end of the bytes, with no line end after', () => {
    expect(urlsIn('https://linkedin.com/in/first-1,x\nlinkedin.com/in/last-2', 5)).toEqual([
      'https://linkedin.com/in/first-1',
      'linkedin.com/in/last-2',
    ]);
  });

  it('gives addProfile every sender of a table read in chunks, once', async () => {
    const urls: string[] = [];
    async function* chunks() {
      yield Buffer.from(TABLE.slice(0, 100));
      yield Buffer.from(TABLE.slice(100));
    }
    await addProfilesIn(chunks(), { addProfile: (url) => urls.push(url) });
    expect(urls).toEqual([
      'https://www.linkedin.com/in/priya-raman-a1b2c3',
      'https://www.linkedin.com/in/j%C3%BCrgen-m%C3%BCller-7',
      'www.linkedin.com/in/last-one-2',
    ]);
  });
});
