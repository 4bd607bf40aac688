export { createCounters, KNOWN, type Known, type RedactionReport, readReport } from './counters.js';
export {
  DICTIONARY_COLUMNS,
  Dictionary,
  DictionaryBuilder,
  loadDictionary,
  PEOPLE_COLUMNS,
} from './dictionary.js';
export { RedactError, type RedactErrorCode } from './errors.js';
export { KEY_ENV, type Key, keyFromText, readKeyFile, resolveKey } from './key.js';
export { labelClass, looksLike, namesIn, sensitiveField } from './labels.js';
export { withoutControls } from './normalize.js';
export {
  type AttachmentKind,
  CLASS_DEFAULTS,
  DEFAULT_POLICY,
  DETECTORS,
  type Detector,
  loadPolicy,
  OPERATORS,
  type Operator,
  type Policy,
  type PolicyInput,
  printPolicy,
  type Rule,
  type RuleInput,
} from './policy.js';
export { mask, type PersonClass, Pseudonymizer } from './pseudonym.js';
export { createRedactor, type Redactor, type RedactorOptions } from './redactor.js';
export { rejectedRecord, rowCells } from './rejected.js';
export { Scrubber } from './scrub.js';
export { shareCandidateList, shareKey } from './shared.js';
export { createStage, passThroughColumns, readCandidateList, type StageOptions } from './stage.js';
export { addProfilesIn, profileFieldsIn, UrlFields } from './url-fields.js';

/** The stage module to name in `readTables`/`readBatches` options: `{ module: STAGE_MODULE, options }`. */
export const STAGE_MODULE = new URL('./stage.js', import.meta.url).href;
export {
  LEAK_CLASSES,
  type LeakClass,
  type LeakHit,
  LeakScanner,
  type LeakSource,
  LeakStream,
} from './leaks.js';

/** The stage that empties every column the leak scan does not search, so workers send back only values. */
export const LEAK_STAGE_MODULE = new URL('./leak-stage.js', import.meta.url).href;
