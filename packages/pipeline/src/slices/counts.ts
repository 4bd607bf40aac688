// The counts of a decoder's stats that a table read in slices adds up, named once: the slice sends them
// back (`sliceCounts`), the reader sums them (`addCounts`), and a new count is added to these lists alone.
import type { TableStats } from '@talent-export/schema';

/** Counts summed over slices. */
const SUMMED = [
  'rowsRead',
  'rowsDecoded',
  'rowsRejected',
  'rowsLenientQuotes',
  'roundedIds',
  'decimalIds',
  'timesCut',
  'numbersRounded',
  'roundedPhones',
  'lostNames',
  'garbledNames',
  'controlNames',
  'epochTimes',
  'wideIds',
  'zeroTailIds',
  'zeroTailDigits',
  'blankRows',
  'placeholderTimes',
  'sheetTimes',
] as const;

/** Lists joined over slices without repeats, and how many items each keeps. */
const ALL = Number.POSITIVE_INFINITY;
const JOINED = {
  roundedIdExamples: 3,
  decimalIdExamples: 3,
  epochTimeColumns: ALL,
  roundedIdColumns: ALL,
  decimalIdColumns: ALL,
  zeroTailIdExamples: 3,
  zeroTailIdColumns: ALL,
  placeholderTimeColumns: ALL,
  sheetTimeColumns: ALL,
};

/** Counts by column, summed over slices column by column. */
const BY_COLUMN = ['cutCells', 'errorCells'] as const;

type Summed = (typeof SUMMED)[number];
type Joined = keyof typeof JOINED;
type ByColumn = (typeof BY_COLUMN)[number];

/** What a slice sends back of its decoder's stats. */
export type SliceCounts = Pick<TableStats, Summed | Joined | ByColumn | 'emptyColumns'>;

/** Counts summed so far; `emptyColumns` is what no decoder saw a value in (undefined: none yet). */
export type Counts = Pick<TableStats, Summed | Joined | ByColumn> & { emptyColumns?: string[] };

export function sliceCounts(stats: TableStats): SliceCounts {
  const counts = { emptyColumns: stats.emptyColumns } as SliceCounts;
  for (const key of SUMMED) counts[key] = stats[key];
  for (const key of Object.keys(JOINED) as Joined[]) counts[key] = stats[key];
  for (const key of BY_COLUMN) counts[key] = stats[key];
  return counts;
}

export function emptyCounts(): Counts {
  const counts = {} as Counts;
  for (const key of SUMMED) counts[key] = 0;
  for (const key of Object.keys(JOINED) as Joined[]) counts[key] = [];
  for (const key of BY_COLUMN) counts[key] = {};
  return counts;
}

/** `counts` with lists of its own, to add to without changing these. */
export function copyCounts(counts: Counts): Counts {
  const copy = { ...counts };
  for (const key of Object.keys(JOINED) as Joined[]) copy[key] = [...counts[key]];
  for (const key of BY_COLUMN) copy[key] = { ...counts[key] };
  return copy;
}

export function addCounts(into: Counts, from: SliceCounts): void {
  for (const key of SUMMED) into[key] += from[key];
  for (const key of BY_COLUMN) {
    const tally = into[key];
    for (const [name, n] of Object.entries(from[key]))
      tally[name] = (Object.hasOwn(tally, name) ? tally[name]! : 0) + n;
  }
  for (const key of Object.keys(JOINED) as Joined[]) {
    const list = into[key];
    for (const item of from[key]) if (list.length < JOINED[key] && !list.includes(item)) list.push(item);
  }
  // A decoder that read no row yet has every column empty, and so changes nothing.
  // A set: a header of 16,000 empty columns took 2 s a slice compared name by name with a list.
  if (into.emptyColumns === undefined) into.emptyColumns = [...from.emptyColumns];
  else {
    const empty = new Set(from.emptyColumns);
    into.emptyColumns = into.emptyColumns.filter((name) => empty.has(name));
  }
}
