import Type from 'typebox';

/** Building blocks shared by the request schemas. */
export const callerId = Type.String({
  pattern: '^[A-Za-z0-9_.:-]{1,64}$',
  description: 'Caller-chosen id, unique within the tenant',
});
export const refId = Type.String({ minLength: 1, maxLength: 64 });
export const money = Type.Integer({
  minimum: 0,
  maximum: 100_000_000_00,
  description: 'Minor units (cents)',
});
export const instant = Type.String({ format: 'date-time', description: 'ISO-8601 with offset' });
export const name = Type.String({ minLength: 1, maxLength: 200 });
export const stringEnum = <const T extends readonly string[]>(values: T) =>
  Type.Enum([...values] as T[number][]);
export const nothing = Type.Object({}, { additionalProperties: false });
