export {
  type Bundle,
  createBundle,
  createZip,
  type PartWritten,
  type ZipOptions,
  type ZipWriter,
} from './bundle.js';
export type { BundleEntry, Method, RawData } from './entry.js';
export { BundleError, type BundleErrorCode, isBundleError } from './errors.js';
export { type BundleOptions, DEFAULT_MAX_PART_BYTES, DEFAULT_MTIME, type PartNamer } from './options.js';
export { PartPlanner, type PlannedEntry, type PlannedPart, type PlanOptions } from './plan.js';
