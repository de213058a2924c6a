import Type, { type TSchema } from 'typebox';
import { component } from '../openapi.ts';

/** Building blocks of the response schemas; every object is closed, so a stray field fails the contract. */
export const closed = { additionalProperties: false } as const;
export const at = Type.String({ format: 'date-time', description: 'ISO-8601, UTC' });
export const count = Type.Integer();
export const amount = Type.Integer({ description: 'Minor units (cents)' });
export const nullable = <S extends TSchema>(schema: S) => Type.Union([schema, Type.Null()]);
export const enumOf = <const T extends readonly string[]>(values: T) => Type.Enum([...values] as T[number][]);

export const Problem = component(
  'Problem',
  Type.Object(
    {
      type: Type.String(),
      title: Type.String(),
      status: Type.Integer({ minimum: 400, maximum: 599 }),
      detail: Type.String(),
      errors: Type.Optional(
        Type.Array(
          Type.Object(
            {
              path: Type.String({ description: 'JSON pointer into the request (body or query)' }),
              message: Type.String(),
            },
            closed,
          ),
        ),
      ),
    },
    { ...closed, description: 'RFC 9457 problem details' },
  ),
);

export const Health = component('Health', Type.Object({ status: Type.Literal('ok') }, closed));

/** A body that is not JSON (the reference page, its script, the CSV report). */
export const text = Type.String();
/** This document itself, described only as an object: OpenAPI's own schema says the rest. */
export const OpenApiDocument = Type.Object({ openapi: Type.String() }, { description: 'OpenAPI 3.1' });

export const Counts = component(
  'Counts',
  Type.Object(
    {
      used: Type.Integer({ description: 'Credits of the paying purchase used so far' }),
      remaining: nullable(Type.Integer({ description: 'Credits left; null for an unlimited purchase' })),
      total: nullable(Type.Integer({ description: "The bucket's size; null for an unlimited purchase" })),
    },
    { ...closed, description: 'The paying purchase as the package icon shows it (used, remaining / total)' },
  ),
);

export const ClaimShare = component(
  'ClaimShare',
  Type.Object(
    {
      purchaseId: Type.String(),
      units: Type.Integer({ minimum: 0, description: 'Units (nights, sessions) this purchase covers' }),
      label: Type.Optional(nullable(Type.String({ description: "This purchase's label (B20)" }))),
    },
    {
      ...closed,
      description:
        "One purchase's share of a claim: a stay longer than one purchase has credits draws from the next eligible purchase in the assignment order (B10)",
    },
  ),
);
