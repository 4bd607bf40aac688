// The record stage of `report --policy`: run where rows are decoded (worker threads included), it passes
// every record through that redaction for its counts only and keeps nothing; what the page counts comes
// from the engine's tallies of the input (ReadOptions `count`).
import { createStage as redactStage, type StageOptions } from '@talent-export/redact';
import type { TableName, TypedRecord } from '@talent-export/schema';

export function createStage(options: { redact: StageOptions }) {
  const redact = redactStage(options.redact).transform;
  return (table: TableName, record: TypedRecord): TypedRecord | null => {
    // The redactor makes a new record and counts what it changed; the export is counted as it is.
    redact(table, record);
    return null;
  };
}
