export {
  type ByteSource,
  type DecodeStream,
  decodeStream,
  decodeTable,
  type TableGenerator,
} from './adapters.js';
export { CONTROL_CHARS, withoutControls } from './controls.js';
export {
  CELL_CHARS,
  createTableDecoder,
  type Decoded,
  type Reject,
  SHEET_ROWS,
  type TableDecoder,
  type TableStats,
  type TypedRecord,
  windows1252,
  zeroTailRounded,
} from './decoder.js';
export { REJECT_FIELDS, toJsonSchema, toTableSchema } from './describe.js';
export { type RejectCode, SchemaError, type SchemaErrorCode } from './errors.js';
export {
  columnKey,
  extraColumns,
  foldHeader,
  headerNames,
  looksLikeData,
  placeName,
  plausibleColumnName,
  shownColumn,
} from './header.js';
export { type ListedId, listedIdFault, parseIdList } from './id-list.js';
export { type IdLookup, IdMap, IdSet, looseId, numericId, wholeId } from './ids.js';
export { DEFAULT_MAX_RECORD_BYTES, type DecodeOptions, type LineStage } from './options.js';
export {
  createReferenceChecker,
  IDS_NOT_SHOWN,
  isEntityType,
  REFERENCE_CHECKS,
  REFERENCE_ORDER,
  type ReferenceCheck,
  type ReferenceChecker,
  type ReferenceReport,
  type RepeatedKeys,
  referenceColumns,
  showableId,
  UNIQUE_KEYS,
} from './references.js';
export * from './tables.js';
export { isMissingMarker, isoTime, type Value } from './values.js';
