import { Engine } from 'json-rules-engine';
import { describe, expect, it } from 'vitest';
import { baseRuleset, faultsOf, leaf, usageRule } from './ruleset-helpers.ts';

describe("the root of a rule's conditions", () => {
  it('a bare condition is refused at save, as json-rules-engine refuses it', () => {
    expect(faultsOf({ ...baseRuleset(), rules: [usageRule(leaf)] })).toEqual([
      {
        path: '/rules/0/conditions',
        message: expect.stringMatching(
          /^must be \{all: \[\.\.\.\]\}, \{any: \[\.\.\.\]\} or \{not: \{\.\.\.\}\}/,
        ),
      },
    ]);
    expect(() => new Engine().addRule({ conditions: leaf as never, event: { type: 'use' } })).toThrow(
      /"conditions" root must contain a single instance of "all", "any", "not", or "condition"/,
    );
  });

  it('all, any and not are accepted at the root; a root with two of them or an unknown key is refused', () => {
    for (const conditions of [{ all: [leaf] }, { any: [leaf] }, { not: leaf }]) {
      expect(faultsOf({ ...baseRuleset(), rules: [usageRule(conditions)] })).toEqual([]);
    }
    expect(faultsOf({ ...baseRuleset(), rules: [usageRule({ all: [leaf], any: [leaf] })] })).toEqual([
      { path: '/rules/0/conditions/any', message: 'is not a known field' },
    ]);
    expect(faultsOf({ ...baseRuleset(), rules: [usageRule({ every: [leaf] })] })[0].path).toBe(
      '/rules/0/conditions',
    );
  });

  it('inside all/any/not a condition may be bare; something else is refused at its pointer', () => {
    expect(
      faultsOf({ ...baseRuleset(), rules: [usageRule({ all: [{ not: leaf }, { any: [leaf] }] })] }),
    ).toEqual([]);
    expect(faultsOf({ ...baseRuleset(), rules: [usageRule({ all: [leaf, 'booked'] })] })).toEqual([
      {
        path: '/rules/0/conditions/all/1',
        message:
          'must be a condition: {fact, operator, value, path?}, {all: [...]}, {any: [...]} or {not: {...}}',
      },
    ]);
    expect(
      faultsOf({ ...baseRuleset(), rules: [usageRule({ all: [{ fact: 'trigger', value: 1 }] })] }),
    ).toEqual([{ path: '/rules/0/conditions/all/0/operator', message: 'is required' }]);
  });
});
