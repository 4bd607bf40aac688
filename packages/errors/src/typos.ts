// "Did you mean ...?" for a name typed by hand: an option's value, a policy's table, column or operator.

/**
 * The one of `names` a mistyped `word` most likely meant: at most two edits off (a letter added, dropped or
 * changed, or two neighbours swapped), one for names of three to five letters, none under three; undefined
 * when none or several are.
 */
export function closestName(word: string, names: readonly string[]): string | undefined {
  const near = names.filter(
    (name) => name !== word && distance(word, name) <= Math.min(2, Math.floor(name.length / 3)),
  );
  return near.length === 1 ? near[0] : undefined;
}

/** Edit distance with a swap of neighbours counted as one edit (optimal string alignment); 3 for "far". */
function distance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  const rows = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = best;
    }
  }
  return rows[a.length]![b.length]!;
}
