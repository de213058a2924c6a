import Type, { type Static } from 'typebox';

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
] as const;

export type Decision = (typeof decisions)[number];
export type Operator = (typeof operators)[number];
export type Trigger = (typeof triggers)[number];

const name = Type.String({ minLength: 1, maxLength: 100 });

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

const conditionRef = Type.Unsafe<Condition>({ $ref: '#/$defs/condition' });
const conditionDefs = {
  condition: {
    anyOf: [
      {
        type: 'object',
        required: ['fact', 'operator', 'value'],
        properties: {
          fact: { type: 'string', minLength: 1 },
          path: { type: 'string', minLength: 1 },
          operator: { type: 'string', minLength: 1 },
          value: {},
          params: { type: 'object' },
        },
        additionalProperties: false,
      },
      {
        type: 'object',
        required: ['all'],
        properties: { all: { type: 'array', items: { $ref: '#/$defs/condition' } } },
        additionalProperties: false,
      },
      {
        type: 'object',
        required: ['any'],
        properties: { any: { type: 'array', items: { $ref: '#/$defs/condition' } } },
        additionalProperties: false,
      },
      {
        type: 'object',
        required: ['not'],
        properties: { not: { $ref: '#/$defs/condition' } },
        additionalProperties: false,
      },
      {
        type: 'object',
        required: ['condition'],
        properties: { condition: { type: 'string' } },
        additionalProperties: false,
      },
    ],
  },
};

export const RulesetSettingsSchema = Type.Object(
  {
    zeroPriceUsesCredits: Type.Boolean(),
    unlimitedLabelThreshold: Type.Integer({ minimum: 1 }),
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
        type: Type.String({ minLength: 1 }),
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
        type: Type.String({ minLength: 1 }),
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
    rules: Type.Array(RuleSchema, { maxItems: 500 }),
    tests: Type.Optional(Type.Array(RulesetTestSchema, { maxItems: 200 })),
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
