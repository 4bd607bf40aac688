// The hand-made HMAC against Node's: the same 32 bytes for keys and messages of every length that matters.
import { createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Hmac256 } from './hmac.js';

const reference = (key: Buffer, domain: string, value: string) =>
  createHmac('sha256', key).update(domain).update('\0').update(value).digest();

describe('Hmac256', () => {
  it('gives the bytes of createHmac for messages across block boundaries, in any script', () => {
    const key = randomBytes(32);
    const mac = new Hmac256(key);
    const texts = ['', 'a', '1000000012', 'José Ñúñez', '山田太郎', '\u{1f600}x', 'lone \ud800 surrogate'];
    for (let n = 0; n < 200; n++) texts.push('x'.repeat(n), 'é'.repeat(n));
    for (const domain of ['id', 'id10.3', 'profile_url', '', 'dömain'])
      for (const value of texts) expect(mac.digest(domain, value)).toEqual(reference(key, domain, value));
  });

  it('takes keys shorter, as long as and longer than a block', () => {
    for (const size of [1, 16, 32, 63, 64, 65, 200]) {
      const key = randomBytes(size);
      const mac = new Hmac256(key);
      expect(mac.digest('name', 'Mary Ann')).toEqual(reference(key, 'name', 'Mary Ann'));
    }
  });

  it('gives from `digitWords` the MAC of a number written with its leading zeros', () => {
    const key = randomBytes(32);
    const mac = new Hmac256(key);
    for (const [domain, width, value] of [
      ['id10.3', 5, 42],
      ['id2.0', 1, 0],
      ['id30.7', 15, 999_999_999_999_999],
      ['id31.1', 15, 123_456_789],
      ['x', 1, 7],
    ] as const) {
      const block = mac.digitBlock(domain, width);
      const expected = reference(key, domain, String(value).padStart(width, '0'));
      const words = mac.digitWords(block, value, width);
      expect(
        Buffer.from(Array.from(words, (w) => [w >>> 24, (w >>> 16) & 255, (w >>> 8) & 255, w & 255]).flat()),
      ).toEqual(expected);
    }
    expect(() => mac.digitBlock('dömain', 5)).toThrow(RangeError);
    expect(() => mac.digitBlock('d'.repeat(50), 5)).toThrow(RangeError);
  });

  it('gives the first words of the digest from `words`', () => {
    const key = randomBytes(32);
    const words = new Hmac256(key).words('id10.0', '00042');
    expect(words[0]! >>> 0).toBe(reference(key, 'id10.0', '00042').readUInt32BE(0));
  });
});
