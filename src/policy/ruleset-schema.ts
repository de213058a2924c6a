// biome-ignore-all lint/suspicious/noThenProperty: JSON Schema's if/then/else keywords, not promises
import Type, { type Static } from 'typebox';
import { limits } from './limits.ts';
import { penaltySettings } from './penalty-settings.ts';

/**
 * The rule-set format (SPEC §3) as one TypeBox schema: ajv validates with it, the
 * TypeScript types derive from it, and rules/schema/ruleset.schema.json is written
 * from it (scripts/write-ruleset-schema.ts). Conditions are recursive, so they are
 * described under $defs; lint then checks what a schema cannot (facts, paths,
 * operators against the fact catalogue).
 */
export const decisions = ['eligibility', 'assignment', 'allocation', 'usage'] as const;
export const operators = [
  'equal',
  'notEqual',
  'lessThan',
  'lessThanInclusive',
  'greaterThan',
  'greaterThanInclusive',
  'in',
  'notIn',
  'contains',
  'doesNotContain',
] as const;
export const triggers = [
  'booked',
  'checked_in',
  'no_show',
  'canceled',
  'ticket_generated',
  'ticket_saved',
  'ticket_closed',
  'ticket_voided',
  'ticket_refunded',
  'session_started',
  'session_ended',
  'session_canceled',
] as const;

export type Decision = (typeof decisions)[number];
export type Operator = (typeof operators)[number];
export type Trigger = (typeof triggers)[number];

const name = Type.String({ minLength: 1, maxLength: 100 });
const identifier = { type: 'string', minLength: 1, maxLength: 100 } as const;
const path = { type: 'string', minLength: 1, maxLength: 200 } as const;

/** `value: {fact, path?}` compares with another fact (json-rules-engine's fact reference). */
export const FactReferenceSchema = Type.Object(
  {
    fact: Type.String(identifier),
    path: Type.Optional(Type.String(path)),
    params: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  },
  { additionalProperties: false },
);
export type FactReference = Static<typeof FactReferenceSchema>;

export interface LeafCondition {
  fact: string;
  path?: string;
  operator: string;
  value: unknown;
}
export type Condition =
  | LeafCondition
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition }
  | { condition: string };

const conditionRef = Type.Unsafe<Condition>({ $ref: '#/$defs/rootCondition' });
const withKey = (key: string) => ({ type: 'object', required: [key] });

/**
 * Conditions are told apart by their key, one `if` after another, so a fault is
 * reported inside the branch that was meant rather than once per branch. The root
 * of a rule's conditions must be all/any/not (json-rules-engine refuses a bare
 * condition there); the last `else` is the "none of these" fault.
 */
const conditionDefs = {
  factReference: FactReferenceSchema,
  leaf: {
    type: 'object',
    required: ['fact', 'operator', 'value'],
    properties: {
      fact: identifier,
      path,
      operator: identifier,
      value: { if: withKey('fact'), then: { $ref: '#/$defs/factReference' } },
      params: { type: 'object' },
    },
    additionalProperties: false,
  },
  condition: {
    if: withKey('fact'),
    then: { $ref: '#/$defs/leaf' },
    else: { $ref: '#/$defs/rootCondition' },
  },
  rootCondition: {
    if: withKey('all'),
    then: {
      properties: { all: { type: 'array', items: { $ref: '#/$defs/condition' } } },
      additionalProperties: false,
    },
    else: {
      if: withKey('any'),
      then: {
        properties: { any: { type: 'array', items: { $ref: '#/$defs/condition' } } },
        additionalProperties: false,
      },
      else: {
        if: withKey('not'),
        then: { properties: { not: { $ref: '#/$defs/condition' } }, additionalProperties: false },
        else: {
          if: withKey('condition'),
          then: { properties: { condition: { type: 'string' } }, additionalProperties: false },
          else: { not: {} },
        },
      },
    },
  },
};

export const RulesetSettingsSchema = Type.Object(
  {
    zeroPriceUsesCredits: Type.Boolean(),
    unlimitedLabelThreshold: Type.Integer({ minimum: 1, maximum: limits.unlimitedLabelThreshold }),
    staffMayWaive: Type.Optional(
      Type.Boolean({
        description: 'Staff (not only admins) may waive a counted no-show; absent means true',
      }),
    ),
    ...penaltySettings,
    waitlistHoldsCredit: Type.Optional(
      Type.Boolean({
        description:
          "Joining a full session's waitlist holds the credits the booking would take (leaving gives them back); absent means false",
      }),
    ),
  },
  { additionalProperties: false },
);

export const RuleSchema = Type.Object(
  {
    name,
    decision: Type.Enum([...decisions]),
    priority: Type.Integer({ minimum: 1, maximum: 10_000 }),
    description: Type.Optional(Type.String({ maxLength: 1000 })),
    conditions: conditionRef,
    event: Type.Object(
      {
        type: Type.String(identifier),
        params: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

export const RulesetTestSchema = Type.Object(
  {
    name,
    decision: Type.Enum([...decisions]),
    facts: Type.Record(Type.String(), Type.Unknown()),
    expect: Type.Object(
      {
        type: Type.String(identifier),
        params: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

export const RulesetSchema = Type.Object(
  {
    $schema: Type.Optional(Type.String()),
    id: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,63}$' }),
    name,
    description: Type.Optional(Type.String({ maxLength: 4000 })),
    settings: RulesetSettingsSchema,
    rules: Type.Array(RuleSchema, { maxItems: limits.rules }),
    tests: Type.Optional(Type.Array(RulesetTestSchema, { maxItems: limits.tests })),
  },
  {
    additionalProperties: false,
    $defs: conditionDefs,
    $id: 'https://punchcard.dev/schema/ruleset.schema.json',
  },
);

export type Ruleset = Static<typeof RulesetSchema>;
export type Rule = Static<typeof RuleSchema>;
export type RulesetTest = Static<typeof RulesetTestSchema>;
export type RulesetSettings = Static<typeof RulesetSettingsSchema>;
