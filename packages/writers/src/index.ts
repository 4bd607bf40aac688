// The one NDJSON encoder lives with the decoder whose JSON lines it must match byte for byte.
export { encodeNdjsonLine } from '@talent-export/schema/internal';
export { csvCell, csvHeader, encodeCsvRow } from './csv.js';
export { WriterError, type WriterErrorCode } from './errors.js';
export {
  type ExportColumn,
  encodeExportRow,
  exportCell,
  exportColumns,
  exportHeaderLine,
  type SourceRow,
} from './export-csv.js';
export type { ManifestFile, ManifestTable, OutputManifest } from './manifest.js';
export type { OutputOptions } from './options.js';
export {
  type CloseOptions,
  type FinishExtra,
  type Output,
  openOutput,
  type TableOptions,
  type TableWriter,
} from './output.js';
export { PARQUET_CREATED_BY, parquetSchema } from './parquet.js';
export type { EncodedRows } from './rows.js';
export { csvStream, ndjsonStream, tableWritable, writeAll } from './streams.js';
export type { FieldSchema, Format, TypedRecord, Value } from './types.js';
export { checkValue } from './values.js';
