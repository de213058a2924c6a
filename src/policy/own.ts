/**
 * Rule sets name things — facts, fields, operators — that are looked up in tables.
 * A plain object answers `constructor`, `toString` or `__proto__` through its
 * prototype, so every table here has none and every lookup asks for an own key.
 */
export function table<T>(entries: Record<string, T>): Readonly<Record<string, T>> {
  const own = Object.create(null) as Record<string, T>;
  for (const [key, value] of Object.entries(entries)) own[key] = value;
  return Object.freeze(own);
}

/** True only for a key the object itself holds, never an inherited one. */
export const has = (value: object, key: string): boolean => Object.hasOwn(value, key);

/** One JSON pointer segment (RFC 6901: `~` and `/` escaped). */
export const segment = (key: string | number): string =>
  typeof key === 'number' ? String(key) : key.replaceAll('~', '~0').replaceAll('/', '~1');
