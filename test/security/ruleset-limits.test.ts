import { describe, expect, it } from 'vitest';
import { documentFaults, limits } from '../../src/policy/index.ts';
import { baseRuleset, expectRefused, faultsOf, leaf, usageRule } from '../policy/ruleset-helpers.ts';
import { newStudio } from '../support/fixtures.ts';

const rules = (n: number) => Array.from({ length: n }, (_, i) => usageRule({ all: [leaf] }, `r${i}`));
const leaves = (n: number) => Array.from({ length: n }, () => leaf);
const inList = (n: number) => ({
  fact: 'item',
  path: 'id',
  operator: 'in',
  value: Array.from({ length: n }, (_, i) => `item-${i}`),
});

describe('limits of a rule set', () => {
  it(`at most ${limits.rules} rules`, () => {
    expect(faultsOf({ ...baseRuleset(), rules: rules(limits.rules) })).toEqual([]);
    expect(faultsOf({ ...baseRuleset(), rules: rules(limits.rules + 1) })).toEqual([
      { path: '/rules', message: 'must NOT have more than 500 items' },
    ]);
  });

  it(`at most ${limits.conditionsPerRule} conditions in a rule`, () => {
    const rule = (n: number) => ({ ...baseRuleset(), rules: [usageRule({ all: leaves(n) })] });
    expect(faultsOf(rule(limits.conditionsPerRule))).toEqual([]);
    expect(faultsOf(rule(limits.conditionsPerRule + 1))).toEqual([
      { path: '/rules/0/conditions', message: 'more than 100 conditions' },
    ]);
  });

  it(`conditions nested at most ${limits.depth} deep`, () => {
    const nested = (depth: number) => {
      let c: unknown = leaf;
      for (let i = 1; i < depth; i++) c = { not: c };
      return { ...baseRuleset(), rules: [usageRule({ all: [c] })] };
    };
    expect(faultsOf(nested(limits.depth - 1))).toEqual([]);
    expect(faultsOf(nested(limits.depth))).toEqual([
      {
        path: `/rules/0/conditions/all/0${'/not'.repeat(limits.depth - 1)}`,
        message: 'conditions nest deeper than 8',
      },
    ]);
  });

  it(`an in/notIn list of at most ${limits.listLength} entries`, () => {
    const rule = (n: number) => ({ ...baseRuleset(), rules: [usageRule({ all: [inList(n)] })] });
    expect(faultsOf(rule(limits.listLength))).toEqual([]);
    expect(faultsOf(rule(limits.listLength + 1))).toEqual([
      { path: '/rules/0/conditions/all/0/value', message: 'a list of 201 entries; at most 200' },
    ]);
  });

  it(`any JSON value nested at most ${limits.jsonDepth} deep, checked without recursion`, () => {
    const deep = (depth: number) => {
      let value: unknown = 1;
      for (let i = 0; i < depth; i++) value = [value];
      return value;
    };
    // The rule set's root, rules, the rule, event, params: 5 levels before the value.
    const withParams = (depth: number) => ({
      ...baseRuleset(),
      rules: [usageRule({ all: [leaf] }, 'r', { type: 'use', params: { deep: deep(depth) } })],
    });
    expect(faultsOf(withParams(limits.jsonDepth - 5))).toEqual([]);
    expect(faultsOf(withParams(limits.jsonDepth - 4))[0]).toEqual({
      path: `/rules/0/event/params/deep${'/0'.repeat(limits.jsonDepth - 5)}`,
      message: 'nests deeper than 32 levels',
    });
    expect(documentFaults(deep(1_000_000))).toEqual([
      { path: '/0'.repeat(limits.jsonDepth), message: 'nests deeper than 32 levels' },
    ]);
  });

  it(`a rule set of at most ${limits.size} characters of JSON, refused over HTTP with 422`, async () => {
    const big = (descriptionLength: number) => ({
      ...baseRuleset(),
      rules: [
        usageRule({ all: [leaf] }, 'r', { type: 'use', params: { note: 'x'.repeat(descriptionLength) } }),
      ],
    });
    expect(faultsOf(big(limits.size - 1_000))).toEqual([]);
    expect(faultsOf(big(limits.size))).toEqual([
      { path: '', message: 'is larger than 524288 characters of JSON' },
    ]);
    const t = await newStudio('mytime');
    await expectRefused(
      t.as('admin'),
      () => t.as('admin').put('/v1/policy', { ruleset: big(limits.size) }),
      '/ruleset',
      /is larger than 524288 characters of JSON/,
    );
  });

  it(`at most ${limits.tests} tests`, () => {
    const tests = (n: number) =>
      Array.from({ length: n }, (_, i) => ({
        name: `t${i}`,
        decision: 'usage',
        facts: { trigger: 'booked' },
        expect: { type: 'use' },
      }));
    const ruleset = (n: number) => ({
      ...baseRuleset(),
      rules: [usageRule({ all: [leaf] })],
      tests: tests(n),
    });
    expect(faultsOf(ruleset(limits.tests))).toEqual([]);
    expect(faultsOf(ruleset(limits.tests + 1))).toEqual([
      { path: '/tests', message: 'must NOT have more than 200 items' },
    ]);
  });
});
