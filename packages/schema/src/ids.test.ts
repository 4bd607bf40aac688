import { describe, expect, it } from 'vitest';
import { IdMap, IdSet, IdView, numericId, wholeId } from './ids.js';

// Ids that look like numbers but are not spelled as one: each must stay distinct from its number.
const AWKWARD = ['007', '0', '00', '-1', '1e3', ' 12', '12 ', '+5', '1.0', '', 'abc', 'Candidate_1'];
const HUGE = [
  '9007199254740991',
  '9007199254740992',
  '9007199254740993',
  '12345678901234567',
  '99999999999999999999',
];

function lcg(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state;
  };
}

describe('IdMap', () => {
  it('agrees with a Map on numeric, awkward and huge ids through many growths', () => {
    const next = lcg(7);
    const ids = new IdMap();
    const model = new Map<string, number>();
    for (let i = 0; i < 50_000; i++) {
      const r = next();
      const id =
        i % 97 === 0
          ? AWKWARD[r % AWKWARD.length]!
          : i % 89 === 0
            ? HUGE[r % HUGE.length]!
            : String(1_000_000_000 + (r % 40_000) * 37);
      const value = r % 5 === 0 ? 0 : r % 100_000;
      ids.set(id, value);
      model.set(id, value);
    }
    expect(ids.size).toBe(model.size);
    for (const [id, value] of model) expect(ids.get(id)).toBe(value);
    expect(new Map(ids.entries())).toEqual(model);
    for (const id of ['1', '999', '1000000001', '0x10', '0007', '9007199254740994']) {
      expect(ids.has(id)).toBe(model.has(id));
    }
  });

  it('lists the ids that spell no plain number apart (texts)', () => {
    const set = new IdSet();
    for (const id of ['7', '007', '9.00719925474099E+15', '1000000012', 'abc']) set.add(id);
    expect([...set.texts()].sort()).toEqual(['007', '9.00719925474099E+15', 'abc']);
  });

  it('keeps "7" and "007" apart and spells ids back as they came', () => {
    const ids = new IdSet().add('7').add('007').add('0').add('7');
    expect(ids.size).toBe(3);
    expect([...ids].sort()).toEqual(['0', '007', '7']);
    expect(ids.has('07')).toBe(false);
    expect(ids.get('7')).toBe(0);
  });

  it('takes an id as its numericId: the same entry as its decimal spelling, never as "007"', () => {
    const ids = new IdSet()
      .add('42')
      .add(1000000012)
      .add('007')
      .add(2 ** 40);
    expect(numericId('1000000012')).toBe(1000000012);
    expect(['007', '-1', '1.5', '', '9007199254740992'].map(numericId)).toEqual(Array(5).fill(undefined));
    expect([42, '1000000012', 7, String(2 ** 40), -1, 0.5].map((id) => ids.has(id))).toEqual([
      true,
      true,
      false,
      true,
      false,
      false,
    ]);
    expect([...ids].sort()).toEqual(['007', '1000000012', String(2 ** 40), '42']);
  });

  it('a set keeps no values until one is not zero', () => {
    const ids = new IdMap();
    for (let i = 0; i < 5000; i++) ids.set(String(i), 0);
    ids.set('4999', 3);
    for (let i = 5000; i < 9000; i++) ids.set(String(i), i);
    expect(ids.get('10')).toBe(0);
    expect(ids.get('4999')).toBe(3);
    expect(ids.get('8999')).toBe(8999);
    expect(ids.get('9000')).toBeUndefined();
  });
});

describe('IdMap keys past 32 bits', () => {
  it('keeps every id and value when the first id of 2^32 - 1 or more arrives after many small ones', () => {
    const ids = new IdMap();
    const model = new Map<string, number>();
    const put = (id: string, value: number) => {
      ids.set(id, value);
      model.set(id, value);
    };
    for (let i = 0; i < 20_000; i++) put(String(4_294_967_294 - i * 3), i % 7);
    // Not there yet, and not mistaken for an empty slot of a 32-bit table.
    expect(ids.has('4294967295')).toBe(false);
    expect(ids.get('4294967296')).toBeUndefined();
    put('4294967295', 11);
    put('4294967296', 12);
    for (let i = 0; i < 20_000; i++) put(String(9_000_000_000 + i), i % 5);
    expect(ids.size).toBe(model.size);
    expect(new Map(ids.entries())).toEqual(model);
    for (const [id, value] of model) expect(ids.get(id)).toBe(value);
    expect(ids.has('4294967297')).toBe(false);
  });
});

describe('IdMap.share and IdView', () => {
  it('answers has() as the map does, for narrow, wide and text ids, present or not', () => {
    for (const wide of [false, true]) {
      const map = new IdSet();
      const ids = Array.from({ length: 5000 }, (_, i) => String(1_000_000 + i * 7));
      ids.push('0042', 'abc-1', ' 5');
      if (wide) ids.push('9007199254740991', '4294967295');
      for (const id of ids) map.add(id);
      const view = new IdView(structuredClone(map.share()));
      const absent = ['1000001', '42', 'abc-2', '5', '4294967296', '', '9007199254740990'];
      for (const id of [...ids, ...absent]) expect(view.has(id), id).toBe(map.has(id));
      expect(view.has(1_000_007)).toBe(true);
      expect(view.has(1_000_008)).toBe(false);
    }
  });
});

describe('wholeId', () => {
  it('reads a whole number saved with decimals as the number, and leaves any other text as it is', () => {
    expect(['1000000003.0', '42.000', '007.0'].map(wholeId)).toEqual(['1000000003', '42', '007']);
    const kept = ['12.5', '12.', '.0', '1e3', 'A.0', '12.0 ', '', '1000000003'];
    expect(kept.map(wholeId)).toEqual(kept);
  });
});
