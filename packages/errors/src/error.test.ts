import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { ERROR_KINDS, kindOf, TalentExportError } from './index.js';

class DemoError extends TalentExportError<'DEMO_BROKEN'> {
  override readonly name = 'DemoError';
}

describe('kindOf', () => {
  it('gives the kind an error of this model carries, through subclasses', () => {
    for (const kind of ERROR_KINDS) {
      const error = new DemoError('DEMO_BROKEN', kind, 'broken');
      expect(kindOf(error)).toBe(kind);
      expect(error).toBeInstanceOf(Error);
      expect(error.name).toBe('DemoError');
      expect(error.code).toBe('DEMO_BROKEN');
    }
  });

  it('keeps the cause', () => {
    const cause = new Error('under');
    expect(new TalentExportError('X', 'input', 'over', { cause }).cause).toBe(cause);
    expect('cause' in new TalentExportError('X', 'input', 'over')).toBe(false);
  });

  it('reads a coded error from another copy of the package by its fields', () => {
    const foreign = Object.assign(new Error('elsewhere'), { code: 'ZIP_CORRUPT', kind: 'input' });
    expect(kindOf(foreign)).toBe('input');
    const unknownKind = Object.assign(new Error('elsewhere'), { code: 'ZIP_CORRUPT', kind: 'weird' });
    expect(kindOf(unknownKind)).toBe('internal');
  });

  it('takes a cancelled operation for an interruption', () => {
    const controller = new AbortController();
    controller.abort();
    let thrown: unknown;
    try {
      controller.signal.throwIfAborted();
    } catch (error) {
      thrown = error;
    }
    expect(kindOf(thrown)).toBe('interrupted');
    expect(kindOf(Object.assign(new Error('aborted'), { code: 'ABORT_ERR' }))).toBe('interrupted');
  });

  it("takes Node's system errors for unreadable input", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'errors-'));
    onTestFinished(() => rm(dir, { recursive: true, force: true }));
    const missing = await readFile(join(dir, 'missing')).catch((error: unknown) => error);
    expect(kindOf(missing)).toBe('input');
    const folder = await readFile(dir).catch((error: unknown) => error);
    expect(kindOf(folder)).toBe('input');
  });

  it('takes anything else for a bug', () => {
    expect(kindOf(new TypeError('x is undefined'))).toBe('internal');
    expect(kindOf(Object.assign(new TypeError('bad'), { code: 'ERR_INVALID_ARG_TYPE' }))).toBe('internal');
    expect(kindOf('a string')).toBe('internal');
    expect(kindOf(undefined)).toBe('internal');
    expect(kindOf(null)).toBe('internal');
  });
});
