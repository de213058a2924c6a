import Type from 'typebox';
import { creditStates } from '../../domain/enums.ts';
import type { Ruleset as RulesetType } from '../../policy/ruleset-schema.ts';
import { component } from '../openapi.ts';
import { at, closed, count, enumOf, nullable } from './common.ts';

/** The rule set in an answer: a `$ref` to the rule-set JSON Schema component. */
export const Ruleset = Type.Unsafe<RulesetType>({ $ref: '#/components/schemas/Ruleset' });

export const PolicyVersion = component(
  'PolicyVersion',
  Type.Object(
    { version: count, hash: Type.String({ description: 'SHA-256 of the canonical JSON' }), ruleset: Ruleset },
    closed,
  ),
);

export const PolicyVersions = component(
  'PolicyVersions',
  Type.Object(
    {
      active: count,
      versions: Type.Array(
        Type.Object(
          {
            version: count,
            hash: Type.String(),
            actor: Type.String(),
            note: nullable(Type.String()),
            createdAt: at,
          },
          closed,
        ),
      ),
    },
    closed,
  ),
);

const outcome = Type.Object({ purchaseId: nullable(Type.String()), state: enumOf(creditStates) }, closed);
const perState = Type.Object(
  Object.fromEntries(creditStates.map((s) => [s, Type.Optional(count)])) as {
    [K in (typeof creditStates)[number]]: Type.TOptional<typeof count>;
  },
  { ...closed, description: 'Reservations per credit state' },
);

export const Simulation = component(
  'Simulation',
  Type.Object(
    {
      changes: Type.Array(
        Type.Object({ reservationId: Type.String(), before: outcome, after: outcome }, closed),
        { description: 'The first 1000 changes by session start; totals count every one' },
      ),
      totals: Type.Object({ reservations: count, changed: count, before: perState, after: perState }, closed),
    },
    closed,
  ),
);

export const PresetList = component(
  'PresetList',
  Type.Object(
    {
      presets: Type.Array(
        Type.Object({ id: Type.String(), name: Type.String(), description: Type.String() }, closed),
      ),
    },
    closed,
  ),
);

export const CreatedTenant = component(
  'CreatedTenant',
  Type.Object(
    {
      id: Type.String(),
      name: Type.String(),
      preset: Type.String(),
      keys: Type.Object(
        { admin: Type.String(), staff: Type.String() },
        { ...closed, description: 'Shown once; stored as SHA-256' },
      ),
    },
    closed,
  ),
);
