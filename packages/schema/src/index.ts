export {
  type ByteSource,
  type DecodeStream,
  decodeStream,
  decodeTable,
  type TableGenerator,
} from './adapters.js';
export {
  createTableDecoder,
  type Decoded,
  type Reject,
  shiftReject,
  type TableDecoder,
  type TableStats,
  type TypedRecord,
} from './decoder.js';
export { toJsonSchema, toTableSchema } from './describe.js';
export { type NoticeCode, type RejectCode, SchemaError, type SchemaErrorCode } from './errors.js';
export { type IdLookup, IdMap, IdSet } from './ids.js';
export type { JsonLineSink } from './json.js';
export { DEFAULT_MAX_RECORD_BYTES, type DecodeOptions, type Resume } from './options.js';
export {
  createReferenceChecker,
  REFERENCE_CHECKS,
  REFERENCE_ORDER,
  type ReferenceCheck,
  type ReferenceChecker,
  type ReferenceReport,
  referenceColumns,
} from './references.js';
export { lastRecordEnd, RecordSplitter, type Slice } from './splitter.js';
export * from './tables.js';
export type { Value } from './values.js';
