import { describe, expect, it } from 'vitest';
import { limits } from '../../src/policy/index.ts';
import { baseRuleset, expectRefused, faultsOf, sendRaw, usageRule } from '../policy/ruleset-helpers.ts';
import { newStudio } from '../support/fixtures.ts';

/** Rule sets that used to answer 500 at PUT /v1/policy: each is a 422 at its pointer. */
const put = (ruleset: unknown) => JSON.stringify({ ruleset });
const nested = (depth: number, open: string, inner: string, close: string) =>
  open.repeat(depth) + inner + close.repeat(depth);
const ruleText = (conditions: string, event = '{"type": "use"}') =>
  `{"name": "r", "decision": "usage", "priority": 10, "conditions": ${conditions}, "event": ${event}}`;
const rulesetText = (rules: string, tests = '[]') =>
  `{"ruleset": {"id": "custom", "name": "Custom", "settings": {"zeroPriceUsesCredits": false, "unlimitedLabelThreshold": 100}, "rules": [${rules}], "tests": ${tests}}}`;
const leafText = '{"fact": "trigger", "operator": "equal", "value": "booked"}';

describe('malformed rule sets are refused with a pointer, never a 500', () => {
  it('a fact reference whose path is not text', async () => {
    const t = await newStudio('mytime');
    for (const path of [5, null, [], {}, true]) {
      const ruleset = {
        ...baseRuleset(),
        rules: [usageRule({ all: [{ fact: 'price', operator: 'equal', value: { fact: 'price', path } }] })],
      };
      await expectRefused(
        t.as('admin'),
        () => sendRaw('PUT', '/v1/policy', t.admin, put(ruleset)),
        '/ruleset/rules/0/conditions/all/0/value/path',
        /must be string/,
      );
    }
    // A reference with a field it cannot have, and a valid one.
    expect(
      faultsOf({
        ...baseRuleset(),
        rules: [
          usageRule({ all: [{ fact: 'price', operator: 'equal', value: { fact: 'price', size: 1 } }] }),
        ],
      }),
    ).toEqual([{ path: '/rules/0/conditions/all/0/value/size', message: 'is not a known field' }]);
    expect(
      faultsOf({
        ...baseRuleset(),
        rules: [
          usageRule({ all: [{ fact: 'price', operator: 'equal', value: { fact: 'item', path: 'price' } }] }),
        ],
      }),
    ).toEqual([]);
  });

  it('a test fact of the wrong type where a number is compared', async () => {
    const t = await newStudio('mytime');
    const rules = [usageRule({ all: [{ fact: 'price', operator: 'lessThan', value: 10 }] })];
    const test = (facts: unknown) => ({
      ...baseRuleset(),
      rules,
      tests: [{ name: 't', decision: 'usage', facts, expect: { type: 'use' } }],
    });
    // An object whose own toString is not a function makes any numeric comparison throw.
    for (const [facts, pointer, message] of [
      [{ price: { toString: 1, valueOf: 1 } }, '/ruleset/tests/0/facts/price', /must be a finite number/],
      [{ price: '5' }, '/ruleset/tests/0/facts/price', /must be a finite number/],
      [{ item: { price: [1] } }, '/ruleset/tests/0/facts/item/price', /must be a finite number/],
      [{ item: 7 }, '/ruleset/tests/0/facts/item', /must be an object/],
      [{ reservation: { status: 'noshow' } }, '/ruleset/tests/0/facts/reservation/status', /must be one of/],
      [{ client: null }, '/ruleset/tests/0/facts/client', /never null/],
    ] as const) {
      await expectRefused(
        t.as('admin'),
        () => sendRaw('PUT', '/v1/policy', t.admin, put(test(facts))),
        pointer,
        message,
      );
    }
    expect(faultsOf(test({ price: 5 }))).toEqual([]);
  });

  it('conditions, event params and test facts nested 10,000 deep (and 1,000 deep)', async () => {
    const t = await newStudio('mytime');
    const admin = t.as('admin');
    for (const depth of [10_000, 1_000]) {
      const conditions = nested(depth, '{"all": [', leafText, ']}');
      const params = nested(depth, '{"a": ', '1', '}');
      const facts = nested(depth, '{"item": ', '1', '}');
      const bodies = [
        rulesetText(ruleText(conditions)),
        rulesetText(ruleText(`{"all": [${leafText}]}`, `{"type": "use", "params": ${params}}`)),
        rulesetText(
          ruleText(`{"all": [${leafText}]}`),
          `[{"name": "t", "decision": "usage", "facts": ${facts}, "expect": {"type": "use"}}]`,
        ),
      ];
      for (const raw of bodies) {
        await expectRefused(
          admin,
          () => sendRaw('PUT', '/v1/policy', t.admin, raw),
          /^\/ruleset\/(rules|tests)\/0\//,
          // The request reader's own depth guard may refuse it first; either names the place.
          /(nests|is nested) deeper than \d+ levels/,
        );
      }
    }
  });
});
