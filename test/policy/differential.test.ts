import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compileRuleset,
  decideWithJsonRulesEngine,
  decisionFacts,
  type Explanation,
  factCatalogue,
  listPresets,
  loadPreset,
  operators,
  type Ruleset,
  withDefaults,
} from '../../src/policy/index.ts';

/**
 * One evaluator, one reference: for random rule sets and random facts, the compiled
 * decision, the compiled explanation and json-rules-engine (a fresh Engine) agree
 * on the deciding rule and on every rule that matched — including rule sets lint
 * would refuse, facts and path segments named like Object.prototype members, and
 * facts that are missing (an error in all three).
 */
const usageFacts = decisionFacts.usage;
const prototypeNames = ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf'];
const catalogueFields = [...new Set(usageFacts.flatMap((f) => Object.keys(factCatalogue[f].fields ?? {})))];
const fieldNames = [...catalogueFields, ...prototypeNames, 'length'];
const strings = ['booked', 'no_show', 'in_store', 'online', 'class', 'product', 'x', '', '10'];

const scalar = fc.oneof(
  fc.constantFrom(...strings),
  fc.integer({ min: -5, max: 30 }),
  fc.boolean(),
  fc.constant(null),
);
/** Built from entries so that a key named `__proto__` is an own property, as JSON.parse makes it. */
const objectOf = (entries: fc.Arbitrary<[string, unknown][]>) => entries.map((e) => Object.fromEntries(e));
const extraFields = fc.array(fc.tuple(fc.constantFrom(...prototypeNames), scalar), { maxLength: 2 });

const catalogueValue = (fact: string) => {
  const spec = factCatalogue[fact];
  if (!spec.fields) return scalar;
  const fields = Object.keys(spec.fields).map((f) => fc.tuple(fc.constant(f), scalar));
  const obj = objectOf(
    fc
      .tuple(fc.tuple(...fields), extraFields)
      .map(([own, extra]) => [...own, ...extra] as [string, unknown][]),
  );
  return spec.nullable ? fc.option(obj, { nil: null, freq: 4 }) : obj;
};
const prototypeValue = fc.oneof(
  scalar,
  objectOf(fc.array(fc.tuple(fc.constantFrom(...fieldNames), scalar), { maxLength: 4 })),
);

// Every catalogue fact is given; a fact named like a prototype member is given or missing.
const facts = fc
  .tuple(
    fc.tuple(...usageFacts.map((f) => catalogueValue(f).map((v) => [f, v] as [string, unknown]))),
    fc.tuple(
      ...prototypeNames.map((f) =>
        fc.option(
          prototypeValue.map((v) => [f, v] as [string, unknown]),
          { nil: undefined, freq: 5 },
        ),
      ),
    ),
  )
  .map(([given, maybe]) =>
    Object.fromEntries([...given, ...maybe.filter((e): e is [string, unknown] => e !== undefined)]),
  );

const reference = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.constantFrom(...usageFacts).chain((fact) =>
      fc.record({
        fact: fc.constant(fact),
        path: fc.option(fc.constantFrom(...Object.keys(factCatalogue[fact].fields ?? { x: 0 })), {
          nil: undefined,
        }),
      }),
    ),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      fact: fc.constantFrom(...usageFacts),
      path: fc.constantFrom(...prototypeNames, 'length'),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      fact: fc.constantFrom(...prototypeNames),
      path: fc.option(fc.constantFrom(...fieldNames), { nil: undefined }),
    }),
  },
);
const withPath = (r: { fact: string; path: string | undefined }) => ({
  fact: r.fact,
  ...(r.path !== undefined ? { path: r.path } : {}),
});

const leaf = fc
  .record({
    ref: reference,
    operator: fc.constantFrom(...operators),
    literal: scalar,
    list: fc.array(scalar, { minLength: 1, maxLength: 3 }),
    other: reference,
    useFact: fc.boolean(),
  })
  .map(({ ref, operator, literal, list, other, useFact }) => {
    // Numeric operators read through a path: a whole object fact compared as a number
    // is coerced, and an object with its own `toString` throws there in both engines.
    const numeric = operator.includes('Than');
    const left = numeric ? { ...ref, path: ref.path ?? 'price' } : ref;
    const right = numeric ? { ...other, path: other.path ?? 'price' } : other;
    return {
      ...withPath(left),
      operator,
      // in/notIn always get a list (json-rules-engine throws on anything else).
      value: operator === 'in' || operator === 'notIn' ? list : useFact ? withPath(right) : literal,
    };
  });

const condition: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.record({ all: fc.array(tie('node'), { minLength: 1, maxLength: 3 }) }),
    fc.record({ any: fc.array(tie('node'), { minLength: 1, maxLength: 3 }) }),
    fc.record({ not: tie('node') }),
  ),
})).node;
const root = fc.oneof(
  fc.array(condition, { minLength: 1, maxLength: 3 }).map((all) => ({ all })),
  fc.array(condition, { minLength: 1, maxLength: 3 }).map((any) => ({ any })),
  condition.map((not) => ({ not })),
);

const ruleset = fc
  .array(
    fc.record({
      priority: fc.integer({ min: 1, max: 3 }),
      conditions: root,
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
        conditions: r.conditions as never,
        event: { type: r.type, params: { n: i } },
      })),
    }),
  );

const outcome = async <T>(run: () => T | Promise<T>) => {
  try {
    return { value: await run() };
  } catch (error) {
    return { error: (error as Error).message };
  }
};

describe('decide, explain and json-rules-engine agree', () => {
  it('on random rule sets and random facts, prototype-named facts and paths included (property)', async () => {
    let decided = 0;
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(ruleset, facts, async (rs, f) => {
        const policy = compileRuleset(rs, 'h');
        const reference = await outcome(() => decideWithJsonRulesEngine(rs, 'usage', f));
        const decision = await outcome(() => policy.decide('usage', f));
        const explanation = await outcome(() => policy.explain('usage', f));
        if ('error' in reference) {
          // Only a missing fact can fail here, and it fails all three alike.
          expect(reference.error).toMatch(/^Undefined fact: /);
          expect(decision).toEqual({ error: expect.stringMatching(/^Undefined fact: /) });
          expect(explanation).toEqual({ error: expect.stringMatching(/^Undefined fact: /) });
          refused += 1;
          return;
        }
        const expected = reference.value;
        expect(decision.value).toEqual({ type: expected.type, params: expected.params, rule: expected.rule });
        const explained = explanation.value as Explanation;
        expect(explained.rule).toBe(expected.rule);
        expect({ type: explained.type, params: explained.params }).toEqual({
          type: expected.type,
          params: expected.params,
        });
        expect(explained.matched.map((m) => m.rule)).toEqual(expected.matched);
        for (const e of explained.evaluated) {
          const index = rs.rules.findIndex((r) => r.name === e.rule);
          if (e.matched) expect(e.failedAt).toBeUndefined();
          else expect(e.failedAt).toMatch(new RegExp(`^/rules/${index}/conditions(/|$)`));
        }
        decided += 1;
      }),
      { numRuns: 300 },
    );
    // Neither kind of case is vacuous.
    expect(decided).toBeGreaterThan(150);
    expect(refused).toBeGreaterThan(5);
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
