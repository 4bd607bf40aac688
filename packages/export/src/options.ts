import { WindowBuffers, type ZipOptions } from '@talent-export/zip';

export interface OpenExportOptions {
  /** Passed to every zip that is opened; refused entries are skipped and reported unless `onRefused` says otherwise. */
  zip?: ZipOptions;
  /** Cancels opening, and every later read that is not given a signal of its own. */
  signal?: AbortSignal;
}

export interface NormalizedOptions {
  zip: Omit<ZipOptions, 'signal'>;
  signal: AbortSignal | undefined;
}

/** The one place options get their defaults. */
export function normalizeOptions(options: OpenExportOptions = {}): NormalizedOptions {
  const { signal: zipSignal, ...zip } = options.zip ?? {};
  // The parts are read one after another: their read-ahead windows pass two buffers on, owned by this export.
  return {
    zip: { onRefused: 'skip', windowBuffers: new WindowBuffers(), ...zip },
    signal: options.signal ?? zipSignal,
  };
}

/**
 * The options an attachment part is opened with: its file names (`Jane_Doe_CV.pdf`) are personal data, so
 * errors and notices about its entries give the export's folders, then length and extension only (see
 * `hiddenFileName`). Names that differ only in letter case or Unicode form are two attachments (uploads
 * named `CV.pdf` and `cv.pdf`), not an ambiguous archive: whatever writes them into one folder (extract,
 * bundle, redact) gives the second a suffix, as it does any name taken already.
 */
export const partZip = <T extends Omit<ZipOptions, 'signal'>>(zip: T): T & { hideFileNames: true } => ({
  duplicateNames: 'exact',
  ...zip,
  hideFileNames: true,
});

/**
 * The options an attachment part's files are listed and read with: as `partZip`, and a part cut short (a
 * download that stopped) is read as far as its entries are whole, found by their local headers, which
 * `archiveProblems` tells as PART_TRUNCATED; refused, it gave none of its attachments.
 */
export const attachmentPartZip = <T extends Omit<ZipOptions, 'signal'>>(
  zip: T,
): T & { hideFileNames: true; truncated: 'salvage' } => ({ ...partZip(zip), truncated: 'salvage' });
