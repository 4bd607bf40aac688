// The file macOS keeps a folder's custom icon in (`Icon\r`), in a part zipped again in Finder.
import { describe, expect, it } from 'vitest';
import { rawZip, save, tempDir } from './craft.test-helpers.js';
import { openZip } from './index.js';

const item = (name: string, data = 'x') => ({ name: Buffer.from(name, 'utf8'), data: Buffer.from(data) });

async function listed(bytes: Buffer) {
  const archive = await openZip(save(tempDir(), 'part.zip', bytes), { onRefused: 'skip' });
  const names: string[] = [];
  for await (const entry of archive.entries()) names.push(entry.name);
  await archive.close();
  return { names, refused: archive.refused, notices: archive.notices };
}

describe('a folder icon macOS wrote (Icon and a carriage return)', () => {
  it('is skipped with a notice, as is its AppleDouble copy, and the other entries are read', async () => {
    const { names, refused, notices } = await listed(
      rawZip([
        item('Attachments_1-2/Icon\r', ''),
        item('Attachments_1-2/Candidate_1/Public/cv.pdf'),
        item('__MACOSX/Attachments_1-2/._Icon\r', 'apple double'),
      ]),
    );
    expect(names).toEqual(['Attachments_1-2/Candidate_1/Public/cv.pdf']);
    expect(refused).toEqual([]);
    expect(notices.map((n) => n.code)).toEqual(['ZIP_SYSTEM_FILE_SKIPPED', 'ZIP_SYSTEM_FILE_SKIPPED']);
    // The carriage return escaped: a name's control characters never reach a message as they are.
    expect(notices[0]!.entry).toBe('Attachments_1-2/Icon\\u000D');
  });

  it('is the only name with a control character skipped: any other is refused, saying what it risks', async () => {
    const { names, refused } = await listed(
      rawZip([item('Candidate_1/Public/Icon\r.pdf'), item('Candidate_1/Public/a\rb.pdf')]),
    );
    expect(names).toEqual([]);
    expect(refused.map((e) => e.code)).toEqual(['ZIP_UNSAFE_NAME', 'ZIP_UNSAFE_NAME']);
    expect(refused[0]!.message).toMatch(/control character.*drive the terminal/s);
    expect(refused[0]!.message).not.toMatch(/outside the extraction folder/);
  });
});
