import { describe, expect, it } from 'vitest';
import { rejectedRecord, rowCells } from './rejected.js';

describe('rejectedRecord', () => {
  it('reads cells by their header places, quoted or not, lists cut at ";"', () => {
    const header = ['Candidate ID', 'first_name', 'last_name', 'emails', 'phone_numbers', 'nick'];
    const raw = '102,"Seán ""Shay""",O\'Brien, a@example.org ; b@example.org ,"+353 1\n234 5678",x,y,z';
    expect(rowCells(raw)).toEqual([
      '102',
      'Seán "Shay"',
      "O'Brien",
      ' a@example.org ; b@example.org ',
      '+353 1\n234 5678',
      'x',
      'y',
      'z',
    ]);
    expect(rejectedRecord('candidates', header, raw)).toEqual({
      candidate_id: '102',
      first_name: 'Seán "Shay"',
      last_name: "O'Brien",
      emails: ['a@example.org', 'b@example.org'],
      phone_numbers: ['+353 1\n234 5678'],
    });
  });

  it('reads the cells a short row has', () => {
    expect(rejectedRecord('candidates', ['candidate_id', 'first_name', 'last_name'], '103,Ingrid')).toEqual({
      candidate_id: '103',
      first_name: 'Ingrid',
    });
  });
});
