import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compileRuleset,
  decideWithJsonRulesEngine,
  decisionFacts,
  factCatalogue,
  listPresets,
  loadPreset,
  operators,
  type Ruleset,
  withDefaults,
} from '../../src/policy/index.ts';

/**
 * The compiled evaluator must decide exactly as json-rules-engine does, on any rule
 * set and any facts — including rule sets lint would refuse (the semantics must
 * agree even where a tenant could never save them).
 */
const usageFacts = decisionFacts.usage;
const strings = ['booked', 'no_show', 'in_store', 'online', 'class', 'product', 'x', '', '10'];

const fieldRef = fc.constantFrom(
  ...usageFacts.flatMap((fact): { fact: string; path: string | undefined }[] => {
    const spec = factCatalogue[fact];
    return spec.fields
      ? Object.keys(spec.fields).map((path) => ({ fact, path }))
      : [{ fact, path: undefined }];
  }),
);

const scalar = fc.oneof(
  fc.constantFrom(...strings),
  fc.integer({ min: -5, max: 30 }),
  fc.boolean(),
  fc.constant(null),
);

const leaf = fc
  .record({
    ref: fieldRef,
    operator: fc.constantFrom(...operators),
    literal: scalar,
    list: fc.array(scalar, { minLength: 1, maxLength: 3 }),
    other: fieldRef,
    useFact: fc.boolean(),
  })
  .map(({ ref, operator, literal, list, other, useFact }) => ({
    fact: ref.fact,
    ...(ref.path ? { path: ref.path } : {}),
    operator,
    // in/notIn always get a list (json-rules-engine throws on anything else).
    value:
      operator === 'in' || operator === 'notIn'
        ? list
        : useFact
          ? { fact: other.fact, ...(other.path ? { path: other.path } : {}) }
          : literal,
  }));

const condition: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.record({ all: fc.array(tie('node'), { minLength: 1, maxLength: 3 }) }),
    fc.record({ any: fc.array(tie('node'), { minLength: 1, maxLength: 3 }) }),
    fc.record({ not: tie('node') }),
  ),
})).node;

const ruleset = fc
  .array(
    fc.record({
      priority: fc.integer({ min: 1, max: 3 }),
      conditions: condition,
      type: fc.constantFrom('hold', 'use', 'release', 'keep'),
    }),
    { minLength: 1, maxLength: 6 },
  )
  .map(
    (rules): Ruleset => ({
      id: 'random',
      name: 'random',
      settings: { zeroPriceUsesCredits: false, unlimitedLabelThreshold: 100 },
      rules: rules.map((r, i) => ({
        name: `rule-${i}`,
        decision: 'usage',
        priority: r.priority,
        conditions: { all: [r.conditions] } as never,
        event: { type: r.type, params: { n: i } },
      })),
    }),
  );

const nullableObject = (fact: string) => {
  const spec = factCatalogue[fact];
  const fields = Object.fromEntries(Object.keys(spec.fields ?? {}).map((f) => [f, scalar]));
  const obj = fc.record(fields);
  return spec.nullable ? fc.option(obj, { nil: null }) : obj;
};

const facts = fc.record(
  Object.fromEntries(
    usageFacts.map((fact) => [fact, factCatalogue[fact].fields ? nullableObject(fact) : scalar]),
  ),
) as fc.Arbitrary<Record<string, unknown>>;

describe('compiled evaluator agrees with json-rules-engine', () => {
  it('on random rule sets and random facts (property)', async () => {
    await fc.assert(
      fc.asyncProperty(ruleset, facts, async (rs, f) => {
        const compiled = compileRuleset(rs, 'h').decide('usage', f);
        const reference = await decideWithJsonRulesEngine(rs, 'usage', f);
        expect({ type: compiled.type, params: compiled.params, rule: compiled.rule }).toEqual({
          type: reference.type,
          params: reference.params,
          rule: reference.rule,
        });
      }),
      { numRuns: 400 },
    );
  });

  it('500 concurrent json-rules-engine evaluations across presets equal the same run one by one, and the compiled ones', async () => {
    const presets = listPresets().map((p) => loadPreset(p.id));
    const triggers = [
      'booked',
      'checked_in',
      'no_show',
      'canceled',
      'ticket_generated',
      'ticket_closed',
      'ticket_refunded',
      'session_started',
      'session_ended',
    ];
    const jobs = Array.from({ length: 500 }, (_, i) => ({
      ruleset: presets[i % presets.length],
      facts: withDefaults('usage', {
        trigger: triggers[i % triggers.length],
        channel: i % 2 ? 'online' : 'in_store',
        reservation: {
          status: ['booked', 'no_show', 'canceled', 'checked_in'][(i >> 1) % 4],
          checkedOutManually: i % 5 === 0,
        },
      }),
    }));
    const concurrent = await Promise.all(
      jobs.map((j) => decideWithJsonRulesEngine(j.ruleset, 'usage', j.facts)),
    );
    const sequential = [];
    for (const j of jobs) sequential.push(await decideWithJsonRulesEngine(j.ruleset, 'usage', j.facts));
    expect(concurrent.map((r) => r.rule)).toEqual(sequential.map((r) => r.rule));
    const compiled = jobs.map((j) => compileRuleset(j.ruleset, j.ruleset.id).decide('usage', j.facts).rule);
    expect(compiled).toEqual(sequential.map((r) => r.rule));
    // Every preset rule that can fire fired somewhere: the comparison is not vacuous.
    expect(new Set(compiled).size).toBeGreaterThan(12);
  });
});
