import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { schemaFile, schemaText } from '../../scripts/write-ruleset-schema.ts';
import {
  compilePolicy,
  listPresets,
  loadPreset,
  rulesetHash,
  runRulesetTests,
  validateRuleset,
  withDefaults,
} from '../../src/policy/index.ts';

describe('presets', () => {
  it('ship gymgo, mytime, abc-scheduler and soonest-expiring, each described', () => {
    expect(listPresets().map((p) => p.id)).toEqual(['abc-scheduler', 'gymgo', 'mytime', 'soonest-expiring']);
    for (const p of listPresets()) expect(p.description.length).toBeGreaterThan(80);
  });

  for (const { id } of listPresets()) {
    it(`${id}: validates, and its own tests run and pass`, () => {
      const ruleset = loadPreset(id);
      expect(validateRuleset(ruleset)).toMatchObject({ ok: true });
      expect((ruleset.tests ?? []).length).toBeGreaterThanOrEqual(6);
      expect(runRulesetTests(ruleset)).toEqual([]);
    });
  }

  it('the committed schema file equals the one generated from the TypeBox definition', () => {
    expect(JSON.parse(readFileSync(schemaFile, 'utf8'))).toEqual(JSON.parse(schemaText()));
  });
});

describe('hashes and explain', () => {
  it('the hash ignores key order and changes when a rule changes', () => {
    const a = loadPreset('mytime');
    const reverseKeys = (v: unknown): unknown =>
      Array.isArray(v)
        ? v.map(reverseKeys)
        : v && typeof v === 'object'
          ? Object.fromEntries(
              Object.entries(v)
                .reverse()
                .map(([k, x]) => [k, reverseKeys(x)]),
            )
          : v;
    const reordered = reverseKeys(a);
    expect(JSON.stringify(reordered)).not.toBe(JSON.stringify(a));
    expect(rulesetHash(reordered)).toBe(rulesetHash(a));
    const b = loadPreset('mytime');
    b.rules[0].priority = 101;
    expect(rulesetHash(b)).not.toBe(rulesetHash(a));
  });

  it('explain names every rule evaluated, the matches in priority order, and the one that decided', () => {
    const policy = compilePolicy(loadPreset('mytime'));
    const facts = withDefaults('usage', { trigger: 'session_ended', reservation: { status: 'no_show' } });
    const explained = policy.explain('usage', facts);
    expect(explained.rule).toBe('no-shows-and-cancellations-are-never-charged');
    expect(explained.type).toBe('keep');
    expect(explained.matched).toEqual([
      { rule: 'no-shows-and-cancellations-are-never-charged', priority: 90 },
      { rule: 'after-class-sweep-uses-the-credit', priority: 40 },
    ]);
    expect(explained.evaluated).toHaveLength(11);
    expect(explained.evaluated[0]).toEqual({
      rule: 'cancel-returns-the-credit',
      priority: 100,
      matched: false,
      failedAt: '/rules/0/conditions/all/0',
    });
    expect(explained.reason).toBe(
      "Rule 'no-shows-and-cancellations-are-never-charged' (priority 90) decided keep",
    );
    expect(policy.decide('usage', facts).rule).toBe(explained.rule);
  });

  it('with no rule matching, explain says the default applied', () => {
    const explained = compilePolicy(loadPreset('gymgo')).explain(
      'usage',
      withDefaults('usage', { trigger: 'booked' }),
    );
    expect(explained).toMatchObject({
      type: 'keep',
      rule: null,
      matched: [],
      reason: 'No rule matched; the usage default applies: keep',
    });
  });

  it('decisions are frozen: a caller cannot corrupt the compiled policy', () => {
    const policy = compilePolicy(loadPreset('mytime'));
    const result = policy.decide('assignment', withDefaults('assignment', {}));
    expect(() => {
      (result.params.by as unknown[]).push({ key: 'remaining', direction: 'asc' });
    }).toThrow(TypeError);
  });
});
