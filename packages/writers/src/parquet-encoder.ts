// The Parquet encoder, in a module of its own: hyparquet-writer (50 modules) is loaded only by an output
// that writes Parquet, not by every command that starts.
import type { FieldSchema } from '@talent-export/schema';
import { SCHEMA_VERSION } from '@talent-export/schema';
import { ByteWriter, ParquetWriter } from 'hyparquet-writer';
import { PARQUET_CREATED_BY, parquetSchema } from './parquet.js';
import type { FileSink } from './sink.js';
import type { TypedRecord } from './types.js';

type ColumnValue = string | number | bigint | boolean | string[] | null;

/** Converts a checked value to what the Parquet column holds. */
function toColumnValue(type: FieldSchema['type'], value: TypedRecord[string] | undefined): ColumnValue {
  if (value === null || value === undefined) return null;
  if (type === 'integer') return BigInt(value as number);
  if (type === 'timestamp') return micros(value as string);
  // NDJSON and CSV write -0 as 0; DOUBLE would keep the sign, and readers show -0.0.
  if (value === 0) return 0;
  return value;
}

/** `2021-03-04T05:06:07.1234567Z`: digits past the sixth of the fraction, not all zeros. */
const FINER_THAN_MICROS = /\.\d{6}\d*[1-9]\d*Z$/;

/** Whether a time's fraction has digits a microsecond cannot hold (.NET writes 7, Java up to 9). */
export const finerThanMicros = (iso: string): boolean => iso.length > 27 && FINER_THAN_MICROS.test(iso);

/**
 * Microseconds since 1970 of a checked ISO UTC text: a Date's milliseconds, then the fraction's next three
 * digits (Date.parse reads three and drops the rest). Digits past the sixth do not fit and are cut (the
 * encoder counts those times, `timesCut`).
 */
function micros(iso: string): bigint {
  const dot = iso.indexOf('.');
  const finer =
    dot < 0
      ? 0
      : Number(
          iso
            .slice(dot + 4, -1)
            .slice(0, 3)
            .padEnd(3, '0'),
        );
  return BigInt(Date.parse(iso)) * 1000n + BigInt(finer);
}

export interface ParquetLimits {
  readonly rowGroupRows: number;
  readonly rowGroupBytes: number;
}

/**
 * Gathers rows column by column and writes a row group whenever it reaches `rowGroupRows` rows or
 * about `rowGroupBytes` of data, so a table of huge text bodies holds one bounded group at a time.
 * Encoded bytes spill to the sink every megabyte, never as a whole file.
 */
export class ParquetTableEncoder {
  private readonly fields: readonly FieldSchema[];
  private readonly limits: ParquetLimits;
  private readonly writer: ParquetWriter;
  private columns: ColumnValue[][];
  private rows = 0;
  private bytes = 0;
  /** Times written with digits past the microsecond cut (see `finerThanMicros`). */
  timesCut = 0;

  constructor(sink: FileSink, table: string, fields: readonly FieldSchema[], limits: ParquetLimits) {
    this.fields = fields;
    this.limits = limits;
    this.columns = fields.map(() => []);
    this.writer = new ParquetWriter({
      writer: new SpillingWriter(sink),
      schema: parquetSchema(fields),
      createdBy: PARQUET_CREATED_BY,
      kvMetadata: [
        { key: 'talent-export.table', value: table },
        { key: 'talent-export.schema_version', value: SCHEMA_VERSION },
      ],
    });
  }

  write(record: TypedRecord): void | Promise<void> {
    for (let i = 0; i < this.fields.length; i++) {
      const { name, type } = this.fields[i]!;
      const given = record[name];
      if (type === 'timestamp' && typeof given === 'string' && finerThanMicros(given)) this.timesCut++;
      const value = toColumnValue(type, given);
      this.columns[i]!.push(value);
      this.bytes += sizeOf(value);
    }
    this.rows++;
    if (this.rows >= this.limits.rowGroupRows || this.bytes >= this.limits.rowGroupBytes)
      return this.writeGroup();
  }

  /** Writes the last group and the footer. */
  async finish(): Promise<void> {
    await this.writeGroup();
    await this.writer.finish();
  }

  private writeGroup(): void | Promise<void> {
    if (this.rows === 0) return;
    const columnData = this.fields.map(({ name }, i) => ({ name, data: this.columns[i]! }));
    const rows = this.rows;
    this.columns = this.fields.map(() => []);
    this.rows = 0;
    this.bytes = 0;
    return this.writer.write({ columnData, rowGroupSize: rows });
  }
}

function sizeOf(value: ColumnValue): number {
  if (typeof value === 'string') return value.length + 4;
  if (Array.isArray(value)) {
    let size = 4;
    for (const item of value) size += item.length + 4;
    return size;
  }
  return 8;
}

const SPILL = 1024 * 1024;

/** A hyparquet ByteWriter that hands every megabyte to the sink instead of growing. */
class SpillingWriter extends ByteWriter {
  private readonly sink: FileSink;

  constructor(sink: FileSink) {
    super(2 * SPILL);
    this.sink = sink;
  }

  override ensure(size: number): void {
    if (this.index > SPILL) this.spill();
    super.ensure(size);
  }

  /** Called after each row group; the promise makes the next group wait for the disk. */
  flush(): void | Promise<void> {
    this.spill();
    return this.sink.ready();
  }

  override finish(): void {
    this.spill();
  }

  private spill(): void {
    if (this.index === 0) return;
    // Copied: the buffer is reused for the next megabyte while this one waits for the disk.
    this.sink.enqueue(new Uint8Array(this.buffer.slice(0, this.index)));
    this.index = 0;
  }
}
