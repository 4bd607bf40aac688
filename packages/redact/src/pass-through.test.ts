// The columns a policy keeps, passed through the reading engine as bytes: on an export whose messages
// table is cut into slices for the worker threads, every table comes out byte for byte as without, with
// the same counts.
import { TABLE_NAMES } from '@talent-export/schema';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Fixture, fixture, keyFile, redactAll } from './test-export.js';

let f: Fixture;

beforeAll(async () => {
  // 1500 candidates x 30 messages: a Messages.csv of ~12 MB, read in slices.
  f = await fixture(1500, 30);
});

describe('passThroughColumns', () => {
  it('names the kept columns but those saying the row’s candidate', () => {
    const { passThroughColumns, loadPolicy } = f.redact;
    const columns = passThroughColumns(loadPolicy('default'));
    expect(columns.messages).toEqual(['message_id', 'type']);
    expect(Object.values(columns).flat()).not.toContain('candidate_id');
    const kept = passThroughColumns(
      loadPolicy({
        tables: {
          messages: { candidate_id: 'keep', body: 'keep' },
          custom_field_values: { entity_id: 'keep' },
        },
        extra_columns: { messages: { channel: 'keep' } },
      }),
    );
    expect(kept.messages).toEqual(['message_id', 'project_id', 'body', 'type', 'channel']);
    expect(kept.custom_field_values).not.toContain('entity_id');
    expect(kept.custom_field_values).not.toContain('entity_type');
  });

  it('gives the same bytes and counts as whole records, whatever the threads', async () => {
    const key = keyFile(f.work, 'key');
    const options = { policy: 'default', keyFile: key.path };
    const passThrough = f.redact.passThroughColumns(f.redact.loadPolicy('default'));
    const whole = await redactAll(f, options, 3);
    const policy = f.redact.loadPolicy('default');
    for (const threads of [1, 3]) {
      const spliced = await redactAll(f, options, threads, passThrough);
      for (const table of TABLE_NAMES)
        expect(spliced.text[table], `${table}, ${threads} threads`).toBe(whole.text[table]);
      expect(f.redact.readReport(spliced.counters, policy, 'file')).toEqual(
        f.redact.readReport(whole.counters, policy, 'file'),
      );
    }
    expect(whole.text.messages.split('\n').length).toBeGreaterThan(40_000);
  });
});
