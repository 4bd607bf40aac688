export {
  ATTACHMENT_FIELDS,
  type AttachmentRecord,
  type AttachmentSummary,
  AttachmentTally,
  type EntryMeta,
  LISTED_IDS,
  type PartSummary,
} from './attachments.js';
export {
  askedIds,
  ExportError,
  type ExportErrorCode,
  isRefusal,
  type Problem,
  type ProblemCode,
  problem,
  type Severity,
  severityOf,
} from './errors.js';
export {
  type AttachmentOptions,
  type OpenTableOptions,
  openExport,
  type TalentExport,
  type VerifyProgress,
} from './export.js';
export {
  type ExtractOptions,
  type ExtractProgress,
  type ExtractRename,
  type ExtractResult,
  extractExport,
} from './extract.js';
export type { Layout, PartInfo } from './find.js';
export { readTableHeader } from './header.js';
export {
  checkManifestFiles,
  type FileCounts,
  formatManifest,
  type Manifest,
  type ManifestFile,
  parseManifest,
  reconcileStatistics,
} from './manifest.js';
export {
  type AttachmentKind,
  type AttachmentPath,
  classifyDownloadName,
  compareIds,
  type DownloadName,
  isJunk,
  parseAttachmentPath,
} from './names.js';
export type { OpenExportOptions } from './options.js';
export {
  fitName,
  foldName,
  portableName,
  SuffixCursor,
  suffixedName,
  suffixedPath,
  unturnedName,
} from './suffixes.js';
export { locateTables, type TableSource } from './tables.js';
