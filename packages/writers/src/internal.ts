// What only the reading engine (@talent-export/pipeline) uses, for speed: rows checked and encoded in
// worker threads into pieces that are handed over and reused. Not part of the public API: it changes with
// the engine. `TableWriter.writeEncoded` takes what `RowEncoder.finish` gives.

// Shared with sibling packages that write: the atomic file sink, and whether a temp's writer still runs.
export { alive } from '@talent-export/errors';
// Folders a run made, removed again where it left them empty (a failed or interrupted run).
export { removeMadeFolders } from './output.js';
export { PIECE_BYTES, PiecePool, RowEncoder, type RowEncoderOptions, TextBytes } from './rows.js';
export { FileSink, removeDeadTemps } from './sink.js';
// Values a record stage gives for the lines the schema decoder writes (see `DecodeOptions.lineStage`).
export { checkValue } from './values.js';
