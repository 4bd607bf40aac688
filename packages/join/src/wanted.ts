// The record stage of a bundle of candidates: rows of other candidates are dropped where they are decoded
// (in the worker threads), so that only the wanted candidates' rows are encoded and handed over.
import { isEntityType, type TableName, type TypedRecord } from '@talent-export/schema';

export interface WantedOptions {
  ids: string[];
}

/**
 * An id without spaces around it, without zeros before its digits, without the `.0` a spreadsheet gives
 * a number it saved (`123.0`) and out of the text formula a tool wraps it in (`="123"`). Ids are matched
 * exactly; a row whose id is a wanted one's only in this loose sense (`"123 "`, `"0123"`, `"123.0"`,
 * `="123"` for 123) is kept too, for the bundle to count it rather than leave a person's row out without
 * a word.
 */
export function looseId(id: string): string {
  let loose = id.trim();
  // A formula some tools write for a spreadsheet to keep an id as text: `="0123"`.
  const formula = TEXT_FORMULA.exec(loose);
  if (formula) loose = formula[1]!.trim();
  if (SAVED_NUMBER.test(loose)) loose = loose.replace(/\.0+$/, '');
  return loose.charCodeAt(0) === 0x30 ? loose.replace(/^0+(?=\d)/, '') : loose;
}

/** Digits with a fraction of zeros only: a spreadsheet's way of writing an id it read as a number. */
const SAVED_NUMBER = /^\d+\.0+$/;
const TEXT_FORMULA = /^="(.*)"$/;

/** Whether an id might be another's written otherwise: spaces around it, a leading zero, a `.0`, or `="…"`. */
const mayVary = (id: string) => {
  const first = id.charCodeAt(0);
  const last = id.charCodeAt(id.length - 1);
  return (
    first === 0x30 ||
    first <= 0x20 ||
    first === 0x3d ||
    last <= 0x20 ||
    (last === 0x30 && SAVED_NUMBER.test(id.trim()))
  );
};

/** Whether `id` is wanted, exactly or loosely (see `looseId`). */
export function wantedIds(ids: readonly string[]): (id: unknown) => boolean {
  const exact = new Set(ids);
  const loose = new Set(ids.map(looseId));
  // An id asked for with a leading zero or spaces matches rows written without: any row may then vary.
  const anyVaries = ids.some((id) => looseId(id) !== id);
  return (id) =>
    typeof id === 'string' && (exact.has(id) || ((anyVaries || mayVary(id)) && loose.has(looseId(id))));
}

export function createStage(
  options: WantedOptions,
): (table: TableName, record: TypedRecord) => TypedRecord | null {
  const wanted = wantedIds(options.ids);
  return (table, record) => {
    if (table === 'custom_field_values') {
      // A project's values are embedded in the project of every document that names it.
      if (isEntityType(record.entity_type, 'project')) return record;
      return isEntityType(record.entity_type, 'candidate') && wanted(record.entity_id) ? record : null;
    }
    return wanted(record.candidate_id) ? record : null;
  };
}
