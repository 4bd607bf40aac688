// What only the reading engine (@talent-export/pipeline) uses, for speed: a table read into the buffers
// its worker threads give back. Not part of the public API: it changes with the engine.

// A problem of one attachment entry, its name hidden as every command hides it (redact leaves damaged files out).
export { entryProblem } from './errors.js';
export { openTableInto, type ReadIntoOptions } from './export.js';
// Shared with the CLI's redact, which writes a folder as extract does: the same refusals of an output folder.
export { checkOutFolder, outError, prepare as prepareOutFolder } from './extract-staging.js';
// export.csv with pandas' row numbers in a first column, told alike where it is read and where redact writes it.
export { indexHeader } from './manifest.js';
// A part zipped again, told alike by every command that reads parts.
export { isDownloadZip, zippedAgain } from './names.js';
// How an attachment part is opened wherever it is read (file names hidden, names compared exactly).
export { attachmentPartZip, partZip } from './options.js';
// The files of a part extracted to a folder, listed as the attachment index lists them (redact copies them).
export { partFolderEntries } from './parts.js';
// A table's byte order mark and line ends, kept by whoever writes it again (redact's copy, bundle's CSVs).
export { LineEnds, shapePrefix, sourceShape, type TextShape } from './text-shape.js';
// Where the copies of a table read as one are in its stream: a row named by its own copy and line.
export { type CopyPlace, type CopyPlaces, copyPlaces } from './united.js';
// Whether attachments are verified on a worker thread (not when running from the TypeScript sources).
export { canVerifyInThread, type VerifyBatch, VerifyThread } from './verify-thread.js';
// Whether an entry is in a folder a part holds twice (`PartInfo.copies`), left out as the index leaves it.
export { inCopy } from './zipped-copies.js';
