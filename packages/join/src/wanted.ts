// The record stage of a bundle of candidates: rows of other candidates are dropped where they are decoded
// (in the worker threads), so that only the wanted candidates' rows are encoded and handed over.
import { isEntityType, looseId, type TableName, type TypedRecord } from '@talent-export/schema';

export interface WantedOptions {
  ids: string[];
}

/** Digits with a fraction of zeros only: a spreadsheet's way of writing an id it read as a number. */
const SAVED_NUMBER = /^\d+\.0+$/;

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
