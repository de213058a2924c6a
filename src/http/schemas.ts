import Type from 'typebox';
import { PunchcardError } from '../errors.ts';
import { parseInstant } from './instant.ts';

/**
 * Building blocks shared by the request schemas. Every integer's bounds fit its
 * column: money columns are bigint (minor units can pass 2³¹), counts are int.
 */
export const callerId = Type.String({
  pattern: '^[A-Za-z0-9_.:-]{1,64}$',
  description: 'Caller-chosen id, unique within the tenant',
});
export const refId = Type.String({ minLength: 1, maxLength: 64 });
/** 10¹⁰ minor units; a ticket line's amount (× 366 units) and a ticket's total (× 200 lines) stay exact in a double and a bigint. */
export const maxMoney = 100_000_000_00;
export const money = Type.Integer({
  minimum: 0,
  maximum: maxMoney,
  description: 'Minor units (cents)',
});
/** Checked by `parseInstant` (the validator's `date-time` format is that function). */
export const instant = Type.String({
  format: 'date-time',
  description: 'RFC 3339 date-time with an offset; years 1900 to 8999',
});
export const name = Type.String({ minLength: 1, maxLength: 200 });
export const stringEnum = <const T extends readonly string[]>(values: T) =>
  Type.Enum([...values] as T[number][]);
/** Integration flags of a plan or an item, e.g. `{ "clubOs": true }`. */
export const integrationFlags = Type.Record(
  Type.String({ pattern: '^[A-Za-z][A-Za-z0-9_]{0,39}$' }),
  Type.Boolean(),
  {
    maxProperties: 40,
  },
);
export const nothing = Type.Object({}, { additionalProperties: false });

/** A string the `instant` schema accepted, as the Date it names. */
export function instantOf(text: string): Date {
  const at = parseInstant(text);
  if (!at) throw new PunchcardError('invalid', `'${text}' is not an instant`);
  return at;
}
