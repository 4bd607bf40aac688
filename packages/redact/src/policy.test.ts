import { describe, expect, it } from 'vitest';
import { resolveKey } from './key.js';
import { CLASS_DEFAULTS, DEFAULT_POLICY, loadPolicy, printPolicy } from './policy.js';

const fails = (input: Parameters<typeof loadPolicy>[0]) => {
  try {
    loadPolicy(input);
  } catch (error) {
    return error as { code: string; kind: string; message: string; table?: string; column?: string };
  }
  throw new Error('the policy was accepted');
};

describe('loadPolicy: the ids that join the tables', () => {
  it('gives the id columns a file does not name the operator of those it names', () => {
    const p = loadPolicy({ tables: { candidates: { candidate_id: 'pseudonym' } } });
    for (const [table, column] of [
      ['messages', 'candidate_id'],
      ['notes', 'candidate_id'],
      ['feedbacks', 'candidate_id'],
      ['scorecards', 'candidate_id'],
      ['custom_field_values', 'entity_id'],
      ['projects', 'project_id'],
      ['candidates', 'project_id'],
    ] as const)
      expect(p.tables[table][column], `${table}.${column}`).toEqual({ op: 'pseudonym' });
    // Other ids are no join of candidates and projects.
    expect(p.tables.messages.message_id).toEqual({ op: 'keep' });
    // Dropped where the file says so.
    const dropped = loadPolicy({
      tables: { projects: { project_id: 'keep' }, notes: { candidate_id: 'drop' } },
    });
    expect([dropped.tables.messages.candidate_id, dropped.tables.notes.candidate_id]).toEqual([
      { op: 'keep' },
      { op: 'drop' },
    ]);
  });

  it('refuses two of them named with different operators, naming both', () => {
    const error = fails({
      tables: { candidates: { candidate_id: 'pseudonym' }, messages: { candidate_id: 'keep' } },
    });
    expect(error).toMatchObject({ code: 'REDACT_BAD_POLICY', table: 'messages', column: 'candidate_id' });
    expect(error.message).toMatch(
      /messages\.candidate_id is keep and tables\.candidates\.candidate_id is pseudonym/,
    );
  });
});

describe('loadPolicy', () => {
  it('gives every schema column a rule, from its PII class when the policy does not name it', () => {
    const policy = loadPolicy({ tables: { notes: { content: 'drop' } } });
    expect(policy.tables.notes.content).toEqual({ op: 'drop' });
    expect(policy.tables.candidates.first_name).toEqual({ op: CLASS_DEFAULTS.name });
    expect(policy.tables.messages.body).toEqual({ op: 'scrub' });
    expect(policy.tables.messages.type).toEqual({ op: 'keep' });
    expect(policy.attachments).toEqual({ public: 'drop', private: 'drop', miscellaneous: 'drop' });
  });

  it('reads YAML and JSON alike, with operator options and defaults', () => {
    const yaml = loadPolicy(`
tables:
  interview_modules:
    start_time: { op: shift, days: 10 }
    end_time: generalize
extra_columns:
  candidates: { nickname: keep }
attachments: { public: keep }
`);
    const json = loadPolicy(
      JSON.stringify({
        tables: { interview_modules: { start_time: { op: 'shift', days: 10 }, end_time: 'generalize' } },
        extra_columns: { candidates: { nickname: 'keep' } },
        attachments: { public: 'keep' },
      }),
    );
    expect(json).toEqual(yaml);
    expect(yaml.tables.interview_modules.end_time).toEqual({ op: 'generalize', to: 'month' });
    expect(yaml.extraColumns.candidates).toEqual({ nickname: { op: 'keep' } });
    expect(yaml.attachments.public).toBe('keep');
  });

  it('the printed default policy loads back to the default', () => {
    expect(printPolicy()).toMatch(/^# talent-export redaction policy/);
    expect(loadPolicy(printPolicy())).toEqual(loadPolicy('default'));
    expect(loadPolicy(DEFAULT_POLICY)).toEqual(loadPolicy('default'));
    const normalized = loadPolicy('default');
    expect(loadPolicy(normalized)).toEqual(normalized);
    expect(normalized.tables.custom_field_values.entity_id).toEqual({ op: 'pseudonym' });
  });

  it('names an unknown table, column or operator in a usage-kind REDACT_BAD_POLICY', () => {
    expect(fails({ tables: { candidate: {} } })).toMatchObject({
      code: 'REDACT_BAD_POLICY',
      kind: 'usage',
      table: 'candidate',
      message: expect.stringContaining('unknown table "candidate"'),
    });
    expect(fails({ tables: { messages: { sender: 'drop' } } })).toMatchObject({
      column: 'sender',
      message: expect.stringMatching(/unknown column "sender" in tables\.messages.*sender_profile_url/),
    });
    expect(fails('tables:\n  messages:\n    body: blur\n')).toMatchObject({
      table: 'messages',
      column: 'body',
      message: expect.stringContaining('unknown operator "blur"'),
    });
    expect(fails({ classes: { name: 'hide' as 'keep' } }).message).toContain('unknown operator "hide"');
    expect(fails({ extra_columns: { nope: { x: 'keep' } } }).message).toContain('unknown table "nope"');
    expect(fails({ attachments: { public: 'shred' as 'keep' } }).message).toContain(
      'unknown operator "shred"',
    );
    expect(fails({ scrub: { detectors: ['ssn' as 'email'] } }).message).toContain('unknown detector "ssn"');
    expect(fails({ version: 2 as 1 }).message).toContain('version 2');
    expect(fails('tables: [').message).toMatch(/neither JSON nor YAML/);
    // One line, saying where, then what to do: the parser's quote of the text is left out.
    expect(fails('tables: { candidates: { first_name: [ } }').message).toMatch(
      /^the policy is neither JSON nor YAML \([^\n]*at line 1, column \d+\); fix its syntax$/,
    );
  });

  it('a name one or two letters off one of its kind gets a did-you-mean', () => {
    expect(fails({ tables: { candidate: {} } }).message).toContain(
      'unknown table "candidate" in tables; did you mean candidates? tables are: ',
    );
    expect(fails({ tables: { candidates: { frist_name: 'keep' } } }).message).toContain(
      'unknown column "frist_name" in tables.candidates; did you mean first_name? its columns are: ',
    );
    expect(fails('tables:\n  candidates:\n    first_name: kep\n').message).toContain(
      'unknown operator "kep"; did you mean keep? operators are: ',
    );
    expect(fails({ clases: {} } as object).message).toContain(
      'policy: unknown key "clases"; did you mean classes? allowed: ',
    );
    expect(fails({ attachments: { pubic: 'keep' } } as object).message).toContain(
      'unknown key "pubic"; did you mean public? allowed: ',
    );
    expect(fails({ attachments: { public: 'kep' as 'keep' } }).message).toContain(
      'unknown operator "kep"; did you mean keep? use keep or drop',
    );
    expect(fails({ scrub: { detectors: ['emial' as 'email'] } }).message).toContain(
      'unknown detector "emial"; did you mean email? detectors are: ',
    );
    // Another case is no typo: the name itself.
    expect(fails({ tables: { Candidates: {} } } as object).message).toContain('did you mean candidates? ');
    expect(fails({ tables: { candidates: { First_Name: 'keep' } } } as object).message).toContain(
      'did you mean first_name? ',
    );
    // Nothing near: no guess.
    expect(fails({ tables: { candidates: { salary: 'keep' } } }).message).not.toContain('did you mean');
  });

  it('refuses an operator that does not fit the column, saying why', () => {
    expect(fails({ tables: { feedbacks: { recommendation_score: 'pseudonym' } } }).message).toContain(
      'pseudonym applies to text, list or id columns, and recommendation_score is number',
    );
    expect(fails({ tables: { messages: { body: 'shift' } } }).message).toContain(
      'shift applies to timestamp columns only',
    );
    expect(fails({ tables: { messages: { body: 'fake' } } }).message).toContain('fake makes a name');
    expect(fails({ tables: { messages: { message_id: 'scrub' } } }).message).toContain(
      'scrub applies to text',
    );
    expect(
      fails({ tables: { notes: { content: { op: 'drop', days: 3 } as unknown as 'drop' } } }).message,
    ).toContain('unknown key "days"');
    expect(
      fails({ tables: { projects: { job_post_created_at: { op: 'shift', days: 0 } } } }).message,
    ).toContain('1 to 3650');
  });
});

describe('the key', () => {
  it('comes from the environment when no file is given, else is random and said to be', () => {
    const hex = 'ab'.repeat(32);
    expect(resolveKey({ env: { TALENT_EXPORT_REDACT_KEY: hex } })).toEqual({
      bytes: Buffer.from(hex, 'hex'),
      source: 'env',
    });
    const random = resolveKey({ env: {} });
    expect(random.source).toBe('random');
    expect(random.bytes).toHaveLength(32);
  });

  it('an environment variable set but empty is REDACT_BAD_KEY, not a random key: `$(cat missing.key)` gives one', () => {
    for (const empty of ['', '\n', '  ']) {
      expect(() => resolveKey({ env: { TALENT_EXPORT_REDACT_KEY: empty } })).toThrow(
        expect.objectContaining({
          code: 'REDACT_BAD_KEY',
          message: expect.stringMatching(/\$TALENT_EXPORT_REDACT_KEY is set but empty.*unset it/),
        }),
      );
    }
  });

  it('a short key or a missing key file is REDACT_BAD_KEY, without the key in the message', () => {
    expect(() => resolveKey({ env: { TALENT_EXPORT_REDACT_KEY: 'secret' } })).toThrow(
      expect.objectContaining({ code: 'REDACT_BAD_KEY', message: expect.not.stringContaining('secret') }),
    );
    expect(() => resolveKey({ keyFile: '/nonexistent/key' })).toThrow(
      expect.objectContaining({ code: 'REDACT_BAD_KEY', message: expect.stringContaining('ENOENT') }),
    );
  });
});
