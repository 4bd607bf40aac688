import { SCHEMAS } from '@talent-export/schema';
import { exportColumns } from '@talent-export/writers';
import { describe, expect, it } from 'vitest';
import { renameDropped } from './tables.js';

describe('renameDropped', () => {
  it('renames the headers of dropped extra columns, keeps blank ones blank and the others as they are', () => {
    const header = [...SCHEMAS.notes.fields.map((f) => f.name), 'Jane Doe', '', 'kept_notes'];
    const columns = renameDropped(
      exportColumns(header, SCHEMAS.notes.fields, ['kept_notes']),
      (_, index) => `column ${index + 1}`,
    );
    const n = SCHEMAS.notes.fields.length;
    expect(columns.map((c) => c.header)).toEqual([
      ...header.slice(0, n),
      `column ${n + 1}`,
      '',
      'kept_notes',
    ]);
  });
});
