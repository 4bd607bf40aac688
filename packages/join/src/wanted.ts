// The record stage of a bundle of candidates: rows of other candidates are dropped where they are decoded
// (in the worker threads), so that only the wanted candidates' rows are encoded and handed over.
import { isEntityType, type TableName, type TypedRecord } from '@talent-export/schema';

export interface WantedOptions {
  ids: string[];
}

export function createStage(
  options: WantedOptions,
): (table: TableName, record: TypedRecord) => TypedRecord | null {
  const wanted = new Set(options.ids);
  return (table, record) => {
    if (table === 'custom_field_values') {
      // A project's values are embedded in the project of every document that names it.
      if (isEntityType(record.entity_type, 'project')) return record;
      return isEntityType(record.entity_type, 'candidate') && wanted.has(record.entity_id as string)
        ? record
        : null;
    }
    return wanted.has(record.candidate_id as string) ? record : null;
  };
}
