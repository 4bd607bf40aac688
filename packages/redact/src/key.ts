// The key: from a file or an environment variable, never from the command line (it would stay in the
// shell's history), never written anywhere. Without one, a random key serves one run.
import { randomBytes } from 'node:crypto';
import { RedactError } from './errors.js';
import { pathWords, readAtMost, unreadableFix, utf16Text } from './file-text.js';

/** The environment variable a key may come from (hex, or any text of 16 bytes or more). */
export const KEY_ENV = 'TALENT_EXPORT_REDACT_KEY';
const MIN_BYTES = 16;
/**
 * More is no key file but another file named by mistake (`--key-file export.zip`): taken as
 * a key it would work, and no later run would give the same pseudonyms without that very file.
 */
const MAX_FILE_BYTES = 64 * 1024;

export interface Key {
  readonly bytes: Buffer;
  /** Where it came from, for the report (never the key itself). */
  readonly source: 'file' | 'env' | 'random';
}

/** Key bytes from text: 32+ hex digits are decoded, anything else is used as written (trimmed). */
export function keyFromText(text: string, where: string): Buffer {
  const trimmed = text.trim();
  const bytes = /^(?:[0-9a-fA-F]{2}){16,}$/.test(trimmed)
    ? Buffer.from(trimmed, 'hex')
    : Buffer.from(trimmed, 'utf8');
  if (bytes.length < MIN_BYTES) {
    throw new RedactError(
      'REDACT_BAD_KEY',
      `${where} holds a key of ${bytes.length} byte(s); a key needs at least ${MIN_BYTES} (e.g. \`openssl rand -hex 32 > key\`)`,
    );
  }
  return bytes;
}

/**
 * Reads a key file (hex or raw bytes of 16 or more; text in UTF-16 as its UTF-8 would be); `-` reads standard
 * input (`vault read -field=key ... | talent-export redact --key-file -`).
 */
export function readKeyFile(path: string): Buffer {
  const where = pathWords(path, 'the key file');
  let raw: Buffer | undefined;
  try {
    raw = readAtMost(path, MAX_FILE_BYTES);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    const fix = unreadableFix(code, '--key-file', 'the file that holds the key');
    throw new RedactError('REDACT_BAD_KEY', `${where} cannot be read (${code}); ${fix}`, {
      cause: error,
    });
  }
  if (raw === undefined) {
    throw new RedactError(
      'REDACT_BAD_KEY',
      `${where} holds more than a key file does (${MAX_FILE_BYTES} bytes at most); check that --key-file names the file that holds the key`,
    );
  }
  // The same hex or passphrase saved as UTF-16 (PowerShell's `>`) is the same key, not other bytes: else
  // pseudonyms would differ from a run given the key by $TALENT_EXPORT_REDACT_KEY or another copy.
  const wide = utf16Text(raw);
  // Only text below U+3000 (the alphabets, punctuation and signs): random key bytes that begin as a BOM do
  // (one key in 32,768) decode as well-formed UTF-16 too, nearly all of CJK and private use, and stay the
  // bytes they were (15 random units all below U+3000: one key in 10^11).
  if (wide !== undefined && ALPHABETIC.test(wide)) return keyFromText(wide, where);
  const text = raw.toString('utf8');
  return Buffer.from(text, 'utf8').equals(raw) ? keyFromText(text, where) : keyOfBytes(raw, where);
}

/** Text a key saved as UTF-16 may hold (see `readKeyFile`). */
const ALPHABETIC = /^[\u0000-\u2fff]*$/;

/** Raw key bytes, at least 16 of them. */
export function keyOfBytes(raw: Buffer, where: string): Buffer {
  if (raw.length < MIN_BYTES) {
    throw new RedactError(
      'REDACT_BAD_KEY',
      `${where} holds ${raw.length} byte(s); a key needs at least ${MIN_BYTES}`,
    );
  }
  return raw;
}

/** The run's key: the file if given, else the environment variable, else a random one (reported as such). */
export function resolveKey(options: { keyFile?: string; env?: NodeJS.ProcessEnv } = {}): Key {
  if (options.keyFile !== undefined) return { bytes: readKeyFile(options.keyFile), source: 'file' };
  const env = (options.env ?? process.env)[KEY_ENV];
  if (env === undefined) return { bytes: randomBytes(32), source: 'random' };
  // Set but empty is a key that went missing (`KEY=$(cat secret.key)` of a file not there), not a wish
  // for a random one: pseudonyms no later run could give again.
  if (env.trim() === '') {
    throw new RedactError(
      'REDACT_BAD_KEY',
      `$${KEY_ENV} is set but empty; set it to the key (e.g. \`openssl rand -hex 32\`), or unset it for a random key that serves this run only`,
    );
  }
  return { bytes: keyFromText(env, `$${KEY_ENV}`), source: 'env' };
}
