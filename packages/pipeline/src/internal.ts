// What benchmarks and tests of the engine reach past its public API for: a slice decoded as a worker
// decodes it, and a stage loaded as a worker loads it. Not part of the public API: it changes with the engine.
export { decodeSlice } from './slices/decode.js';
export { loadStage } from './stage.js';
