export { hiddenFileName } from '@talent-export/errors';
export {
  MAX_REFUSED_KEPT,
  type OpenStreamOptions,
  openZip,
  type ZipArchive,
  type ZipTruncation,
} from './archive.js';
export type { ZipCutEntry } from './cut.js';
export type { ZipEntry } from './entry.js';
export { isZipError, ZipError, type ZipErrorCode } from './errors.js';
export { entryChunks, readEntries } from './iterate.js';
export { visibleName } from './names.js';
export { MAX_NOTICES_KEPT, type ZipNotice, type ZipNoticeCode } from './notices.js';
export { DEFAULT_LIMITS, type ZipLimits, type ZipOptions } from './options.js';
export { WindowBuffers } from './window.js';
