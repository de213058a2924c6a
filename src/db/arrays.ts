/**
 * Many rows in one statement (a commit's change set, a transaction's events) travel as
 * one array literal per column, unpacked by `unnest($a::text[], $b::int[], …)`: no key
 * names repeated in every row, and PostgreSQL parses 20 000 rows of arrays 5–7× faster
 * than the same rows as JSON objects. Built by hand (a join) rather than through the
 * driver's per-element array serialiser: a sweep batch is 20 000 rows.
 */

/** A `text[]` literal; null stays NULL, every other value is quoted and escaped. */
export function textArray(values: readonly (string | null | undefined)[]): string {
  let out = '{';
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (i > 0) out += ',';
    if (v === null || v === undefined) out += 'NULL';
    else out += `"${/["\\]/.test(v) ? v.replace(/["\\]/g, '\\$&') : v}"`;
  }
  return `${out}}`;
}

/** An `int[]`/`bigint[]` literal (integers only). */
export const intArray = (values: readonly (number | null | undefined)[]): string =>
  `{${values.map((v) => (v === null || v === undefined ? 'NULL' : String(Math.trunc(v)))).join(',')}}`;

/** A `boolean[]` literal. */
export const boolArray = (values: readonly (boolean | null | undefined)[]): string =>
  `{${values.map((v) => (v === null || v === undefined ? 'NULL' : v ? 't' : 'f')).join(',')}}`;

/** A `timestamptz[]` literal of instants (ISO 8601, UTC). */
export const timeArray = (values: readonly (Date | null | undefined)[]): string =>
  `{${values.map((v) => (v ? v.toISOString() : 'NULL')).join(',')}}`;

/** A `text[]` of JSON documents (cast `::jsonb` per element): the rare jsonb columns. */
export const jsonArray = (values: readonly unknown[]): string =>
  textArray(values.map((v) => (v === null || v === undefined ? null : JSON.stringify(v))));
