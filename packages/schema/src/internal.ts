// What only the reading engine (@talent-export/pipeline) uses, for speed: cutting a table into slices that
// are decoded apart and put back in order; the one NDJSON encoder (JSON lines straight from the CSV bytes
// or from records: @talent-export/writers writes and re-exports it); and the seeded randomness tests build
// inputs with (@talent-export/sample hands it on). Not part of the public API: it changes with the engine.
// The lines a row took in, counted as the decoder counts them, for the engine's summary of a table.
export { lineBreaks, shiftReject } from './decoder.js';
export { csvCells } from './header.js';
export { IdView, type SharedIds } from './ids.js';
export { encodeNdjsonLine, extraKeys, inSchemaOrder, type JsonLineSink, writeNdjsonLine } from './json.js';
export type { Resume } from './options.js';
export { prng, type Rng } from './prng.js';
export { MissingReferences, type MissingRows, type SharedCheck } from './references.js';
export { lastRecordEnd, RecordSplitter, type Slice } from './splitter.js';
