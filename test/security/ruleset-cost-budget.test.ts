import { beforeAll, describe, expect, it } from 'vitest';
import { decisionCosts, limits, listPresets, loadPreset } from '../../src/policy/index.ts';
import {
  baseRuleset,
  expectRefused,
  faultsOf,
  leaf,
  openPlugin,
  openPluginTimeout,
  usageRule,
} from '../policy/ruleset-helpers.ts';
import { addPlan, addSession, buy, newStudio, reserve } from '../support/fixtures.ts';

/** Worst-case comparisons per decision: each rule 1, each condition 1, an in-list 1 per entry. */
const ruleOf = (conditions: number, i: number) =>
  usageRule({ all: Array.from({ length: conditions }, () => leaf) }, `r${i}`);
const rulesOf = (n: number, conditions: number) => Array.from({ length: n }, (_, i) => ruleOf(conditions, i));
const inRule = (entries: number, i: number) =>
  usageRule(
    {
      all: [
        {
          fact: 'item',
          path: 'id',
          operator: 'in',
          value: Array.from({ length: entries }, (_, j) => `i${j}`),
        },
      ],
    },
    `r${i}`,
  );

describe('the evaluation cost budget, checked at save', () => {
  beforeAll(openPlugin, openPluginTimeout);

  it(`every preset passes with room: each decision costs at most a fiftieth of ${limits.cost}`, () => {
    for (const { id } of listPresets()) {
      for (const cost of Object.values(decisionCosts(loadPreset(id))))
        expect(cost).toBeLessThan(limits.cost / 50);
    }
    expect(decisionCosts(loadPreset('mytime'))).toEqual({
      eligibility: 0,
      assignment: 1,
      allocation: 1,
      usage: 29,
    });
  });

  it('conditions count: over the budget is refused at the rule that takes a decision over it', () => {
    // 19 rules of 100 conditions: 19 × 101 = 1 919 comparisons.
    expect(decisionCosts({ ...baseRuleset(), rules: rulesOf(19, 100) } as never).usage).toBe(1_919);
    expect(faultsOf({ ...baseRuleset(), rules: rulesOf(19, 100) })).toEqual([]);
    // A 20th takes it to 2 020.
    expect(faultsOf({ ...baseRuleset(), rules: rulesOf(21, 100) })).toEqual([
      {
        path: '/rules/19',
        message:
          'the usage rules may make 2121 comparisons per decision, over the budget of 2000; this rule takes them over (shorten lists, merge or drop rules)',
      },
    ]);
  });

  it('in-lists count once per entry', () => {
    // 9 rules with a 200-entry list: 9 × 201 = 1 809; a 10th: 2 010.
    expect(
      faultsOf({ ...baseRuleset(), rules: Array.from({ length: 9 }, (_, i) => inRule(200, i)) }),
    ).toEqual([]);
    expect(
      faultsOf({ ...baseRuleset(), rules: Array.from({ length: 10 }, (_, i) => inRule(200, i)) }),
    ).toEqual([
      expect.objectContaining({ path: '/rules/9', message: expect.stringContaining('2010 comparisons') }),
    ]);
  });

  it('over HTTP: refused with 422 at the rule, nothing saved, bookings go on under the old rule set', async () => {
    const t = await newStudio('mytime');
    const admin = t.as('admin');
    await expectRefused(
      admin,
      () => admin.put('/v1/policy', { ruleset: { ...baseRuleset(), rules: rulesOf(25, 100) } }),
      '/ruleset/rules/19',
      /2525 comparisons per decision, over the budget of 2000/,
    );
    // The report's 488 rules × 100 conditions is over the size limit before its cost is counted.
    expect(faultsOf({ ...baseRuleset(), rules: rulesOf(488, 100) })).toEqual([
      { path: '', message: 'is larger than 524288 characters of JSON' },
    ]);
    await buy(t, await addPlan(t, { name: '5', credits: 5 }));
    const booked = await reserve(
      t,
      await addSession(t, { startsAt: '2026-03-03T10:00:00-05:00', endsAt: '2026-03-03T11:00:00-05:00' }),
    );
    expect(booked.explain.usage[0].rule).toBe('booking-holds-a-credit');
  });
});
