export interface OrderBy<K extends string = string> {
  key: K;
  direction: 'asc' | 'desc';
}

/**
 * Sorts by the keys in turn, stably; a missing value (null: a purchase that never
 * expires, a product line with no start) sorts after every present one in either
 * direction.
 */
export function orderBy<T>(
  list: readonly T[],
  by: readonly OrderBy[],
  keyOf: (item: T, key: string) => number | null,
): T[] {
  return list
    .map((item, index) => ({ item, index }))
    .sort((x, y) => {
      for (const { key, direction } of by) {
        const a = keyOf(x.item, key);
        const b = keyOf(y.item, key);
        if (a === b) continue;
        if (a === null) return 1;
        if (b === null) return -1;
        return direction === 'asc' ? a - b : b - a;
      }
      return x.index - y.index;
    })
    .map((entry) => entry.item);
}
