export { prng, type Rng as Prng } from '@talent-export/schema/internal';
export { SampleError, type SampleErrorCode } from './errors.js';
export { generateExport, TABLE_FILES } from './generate.js';
export type { SampleOptions, SampleProgress } from './options.js';
export { shippedExportPath, shippedTruthPath } from './shipped.js';
export type { GroundTruth, PartTruth } from './truth.js';
