export { buildDocument, type DocumentSink, type Lookups, type Orphan } from './documents.js';
export { JoinError, type JoinErrorCode } from './errors.js';
export { DOCUMENT_FIELDS, documentSchema, ORPHAN_FIELDS, PROJECT_FIELDS } from './fields.js';
export { compareIds } from './ids.js';
export { type JoinResult, joinExport, type TableAccount } from './join.js';
export type { JoinOptions, JoinProgress } from './options.js';
export {
  bundleCandidates,
  type SubjectBundle,
  type SubjectsOptions,
  type SubjectsProgress,
  type SubjectsResult,
} from './subjects.js';
