import { describe, expect, it } from 'vitest';
import { parseCandidateIds } from './candidates.js';

describe('parseCandidateIds', () => {
  it('reads ids separated by commas, semicolons, spaces or lines', () => {
    expect(parseCandidateIds('1,2; 3\n4\r\n\r\n5')).toEqual(['1', '2', '3', '4', '5']);
  });

  it('reads a list saved from a spreadsheet: BOM, a header of any spelling, quoted ids', () => {
    expect(parseCandidateIds('\ufeffCandidate ID\r\n"0042"\r\n7\r\n')).toEqual(['0042', '7']);
    expect(parseCandidateIds('"candidate_id"\n"1","2"\n')).toEqual(['1', '2']);
    expect(parseCandidateIds('candidate_id\n8\n')).toEqual(['8']);
    // A column a spreadsheet took for numbers: its ids with decimals; other text is left as written.
    expect(parseCandidateIds('1000000003.0\n"1000000004.00"\n12.5\nA.0')).toEqual([
      '1000000003',
      '1000000004',
      '12.5',
      'A.0',
    ]);
  });
});
