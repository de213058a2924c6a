import { describe, expect, it } from 'vitest';
import {
  compileRuleset,
  decideWithJsonRulesEngine,
  type Ruleset,
  withDefaults,
} from '../../src/policy/index.ts';
import { baseRuleset, expectRefused, sendRaw, usageRule } from '../policy/ruleset-helpers.ts';
import { addPlan, addSession, buy, newStudio, reserve } from '../support/fixtures.ts';

/**
 * Names that every plain object answers through its prototype. A rule set that
 * names one as an operator, a fact, a path segment or a test fact is refused at
 * save with the pointer of the name; evaluation reads own properties only.
 */
const names = ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf', 'isPrototypeOf'];

/** A PUT body as JSON text, with NAME substituted where the rule set names it. */
const body = (template: string, name: string) =>
  `{"ruleset": {"id": "custom", "name": "Custom",
    "settings": {"zeroPriceUsesCredits": false, "unlimitedLabelThreshold": 100},
    ${template.replaceAll('NAME', name)}}}`;
const rule = (condition: string) =>
  `"rules": [{"name": "r", "decision": "usage", "priority": 10, "conditions": {"all": [${condition}]}, "event": {"type": "use"}}]`;

const cases: [string, string, string, RegExp][] = [
  [
    'an operator',
    rule('{"fact": "trigger", "operator": "NAME", "value": "booked"}'),
    '/operator',
    /unknown operator/,
  ],
  ['a fact', rule('{"fact": "NAME", "operator": "equal", "value": 1}'), '/fact', /unknown fact/],
  [
    'a path',
    rule('{"fact": "reservation", "path": "NAME", "operator": "equal", "value": 1}'),
    '/path',
    /has no field/,
  ],
  [
    'a nested path',
    rule('{"fact": "reservation", "path": "status.NAME", "operator": "equal", "value": 1}'),
    '/path',
    /has no field/,
  ],
  [
    'a compared fact',
    rule('{"fact": "price", "operator": "equal", "value": {"fact": "NAME"}}'),
    '/value/fact',
    /unknown fact/,
  ],
  [
    'a compared path',
    rule('{"fact": "price", "operator": "equal", "value": {"fact": "item", "path": "NAME"}}'),
    '/value/path',
    /has no field/,
  ],
];

describe('names of Object.prototype members in a rule set', () => {
  it('as an operator, fact, path or compared fact: refused at save with the pointer, and bookings keep working', async () => {
    const t = await newStudio('mytime');
    const admin = t.as('admin');
    for (const name of names) {
      for (const [, template, pointer, message] of cases) {
        await expectRefused(
          admin,
          () => sendRaw('PUT', '/v1/policy', t.admin, body(template, name)),
          `/ruleset/rules/0/conditions/all/0${pointer}`,
          message,
        );
      }
    }
    await buy(t, await addPlan(t, { name: '5', credits: 5 }));
    const booked = await reserve(
      t,
      await addSession(t, { startsAt: '2026-03-03T10:00:00-05:00', endsAt: '2026-03-03T11:00:00-05:00' }),
    );
    expect(booked.explain.usage[0]).toMatchObject({ trigger: 'booked', event: 'hold' });
  });

  it('as a test fact or a field of one: refused at the pointer', async () => {
    const t = await newStudio('mytime');
    const admin = t.as('admin');
    const withTest = (facts: string) =>
      `${rule('{"fact": "trigger", "operator": "equal", "value": "booked"}')},
       "tests": [{"name": "t", "decision": "usage", "facts": ${facts}, "expect": {"type": "use"}}]`;
    for (const name of names) {
      await expectRefused(
        admin,
        () => sendRaw('PUT', '/v1/policy', t.admin, body(withTest('{"NAME": 1}'), name)),
        `/ruleset/tests/0/facts/${name}`,
        /not given to usage decisions/,
      );
      await expectRefused(
        admin,
        () => sendRaw('PUT', '/v1/policy', t.admin, body(withTest('{"reservation": {"NAME": 1}}'), name)),
        `/ruleset/tests/0/facts/reservation/${name}`,
        /'reservation' has no field/,
      );
    }
  });

  it('evaluation reads own properties only: decide, explain and json-rules-engine agree', async () => {
    // Bypasses lint on purpose: the evaluator itself must not read a prototype.
    // reservation.toString equals reservation.nothing only when neither is read through a prototype.
    const ruleset = {
      ...baseRuleset(),
      rules: [
        usageRule({
          all: [
            {
              fact: 'reservation',
              path: 'toString',
              operator: 'equal',
              value: { fact: 'reservation', path: 'nothing' },
            },
          ],
        }),
      ],
    } as Ruleset;
    const policy = compileRuleset(ruleset, 'h');
    const plain = withDefaults('usage', {});
    const own = withDefaults('usage', JSON.parse('{"reservation": {"toString": "x", "constructor": 1}}'));
    for (const [facts, rule] of [
      [plain, 'r'],
      [own, null],
    ] as const) {
      expect(policy.decide('usage', facts).rule).toBe(rule);
      expect(policy.explain('usage', facts).rule).toBe(rule);
      expect((await decideWithJsonRulesEngine(ruleset, 'usage', facts)).rule).toBe(rule);
    }
  });

  it('an operator named like a prototype member is never looked up through the prototype', () => {
    for (const name of names) {
      const ruleset = {
        ...baseRuleset(),
        rules: [usageRule({ all: [{ fact: 'trigger', operator: name, value: 'booked' }] })],
      } as Ruleset;
      expect(() => compileRuleset(ruleset, 'h')).toThrow(`unknown operator '${name}'`);
    }
  });
});
