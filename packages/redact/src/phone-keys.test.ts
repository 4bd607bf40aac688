import { describe, expect, it } from 'vitest';
import { countryCodeLength, phoneKeys } from './phone-keys.js';

const digits = (value: string) => phoneKeys(value).map((k) => String(k).slice(1));

describe('phoneKeys', () => {
  it('keys a number as written, and without its country code, alone and behind a trunk 0', () => {
    expect(digits('+48 601 234 567')).toEqual(['48601234567', '601234567', '0601234567']);
    expect(digits('+44 (0)20 7946 0958')).toEqual([
      '4402079460958',
      '2079460958',
      '02079460958',
      '442079460958',
    ]);
    expect(digits('0049-30-1234567')).toEqual(['0049301234567', '301234567', '0301234567', '49301234567']);
    expect(digits('+1 (212) 555-0100')).toEqual(['12125550100', '2125550100', '02125550100']);
    // As dialled from abroad too where written with a trunk 0 or 00 (`+442079460958`, `+49301234567`).
    // A label or scheme before the + (a tel: link, `Mobile: +44 ...`).
    expect(digits('tel:+1-212-555-0100')).toEqual(['12125550100', '2125550100', '02125550100']);
    expect(digits('Mobile: +48 601 234 567')).toEqual(['48601234567', '601234567', '0601234567']);
  });

  it('keys it without its extension too, and a national number only as written', () => {
    expect(digits('(212) 555-0100 ext. 42')).toEqual(['212555010042', '2125550100']);
    expect(digits('+1 646 555 0199 x123')).toEqual([
      '16465550199123',
      '6465550199123',
      '06465550199123',
      '16465550199',
      '6465550199',
      '06465550199',
    ]);
    expect(digits('020 7946 0958')).toEqual(['02079460958']);
  });

  it('keeps no national form under 7 digits and no key under 6 or over 15', () => {
    expect(digits('+354 12 345')).toEqual(['35412345']);
    expect(digits('12345')).toEqual([]);
    expect(digits('1234567890123456')).toEqual([]);
    expect(digits('n/a')).toEqual([]);
    // A national form that reads as a date (yyyymmdd) would be found in timestamps.
    expect(digits('+45 20 20 08 02')).toEqual(['4520200802', '020200802']);
  });

  it('keys each number of a cell that joins several with a comma, or a slash or "or" between spaces', () => {
    expect(digits('+44 20 7946 0958, 212-555-0100')).toEqual([
      '442079460958',
      '2079460958',
      '02079460958',
      '2125550100',
    ]);
    expect(digits('0171 1234567 / 030 7654321 or 030/1234568')).toEqual([
      '01711234567',
      '0307654321',
      '0301234568',
    ]);
  });

  it('knows the country codes of one, two and three digits', () => {
    expect(['1212', '7495', '4420', '8613', '35387', '97150', '2348'].map(countryCodeLength)).toEqual([
      1, 1, 2, 2, 3, 3, 3,
    ]);
  });
});
