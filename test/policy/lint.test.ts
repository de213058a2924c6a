import { describe, expect, it } from 'vitest';
import { validateRuleset } from '../../src/policy/index.ts';

const base = () => ({
  id: 'custom',
  name: 'Custom',
  settings: { zeroPriceUsesCredits: false, unlimitedLabelThreshold: 100 },
  rules: [] as unknown[],
});
const usageRule = (condition: unknown, event: unknown = { type: 'use' }) => ({
  name: 'r',
  decision: 'usage',
  priority: 10,
  conditions: { all: [condition] },
  event,
});
const errorsOf = (ruleset: unknown) => {
  const result = validateRuleset(ruleset);
  return result.ok ? [] : result.errors;
};
const withRule = (rule: unknown) => ({ ...base(), rules: [rule] });

describe('lint: each fault at its JSON pointer, and the passing form', () => {
  const cases: [string, unknown, unknown, string, RegExp][] = [
    [
      'unknown fact',
      usageRule({ fact: 'weather', operator: 'equal', value: 'rain' }),
      usageRule({ fact: 'trigger', operator: 'equal', value: 'booked' }),
      '/rules/0/conditions/all/0/fact',
      /unknown fact 'weather'/,
    ],
    [
      'fact not given to the decision',
      {
        ...usageRule({ fact: 'trigger', operator: 'equal', value: 'booked' }),
        decision: 'allocation',
        event: { type: 'order', params: { by: [{ key: 'price', direction: 'asc' }] } },
      },
      {
        ...usageRule({ fact: 'ticket', path: 'manual', operator: 'equal', value: true }),
        decision: 'allocation',
        event: { type: 'order', params: { by: [{ key: 'price', direction: 'asc' }] } },
      },
      '/rules/0/conditions/all/0/fact',
      /not available to allocation rules/,
    ],
    [
      'unknown path',
      usageRule({ fact: 'reservation', path: 'colour', operator: 'equal', value: 'red' }),
      usageRule({ fact: 'reservation', path: 'status', operator: 'equal', value: 'booked' }),
      '/rules/0/conditions/all/0/path',
      /has no field 'colour'/,
    ],
    [
      'JSONPath syntax',
      usageRule({ fact: 'reservation', path: '$.items[?(@.x)]', operator: 'equal', value: 'booked' }),
      usageRule({ fact: 'reservation', path: '$.status', operator: 'equal', value: 'booked' }),
      '/rules/0/conditions/all/0/path',
      /not a plain dot path/,
    ],
    [
      'unknown operator',
      usageRule({ fact: 'trigger', operator: 'startsWith', value: 'ticket' }),
      usageRule({ fact: 'trigger', operator: 'notEqual', value: 'booked' }),
      '/rules/0/conditions/all/0/operator',
      /unknown operator 'startsWith'/,
    ],
    [
      'numeric operator with a string value',
      usageRule({ fact: 'hoursUntilStart', operator: 'lessThan', value: '24' }),
      usageRule({ fact: 'hoursUntilStart', operator: 'lessThan', value: 24 }),
      '/rules/0/conditions/all/0/value',
      /needs a number/,
    ],
    [
      'numeric operator on a string fact',
      usageRule({ fact: 'trigger', operator: 'greaterThan', value: 3 }),
      usageRule({ fact: 'price', operator: 'greaterThan', value: 3 }),
      '/rules/0/conditions/all/0/operator',
      /compares numbers, but trigger is string/,
    ],
    [
      'in with a string value (substring matching)',
      usageRule({ fact: 'trigger', operator: 'in', value: 'ticket_saved,ticket_closed' }),
      usageRule({ fact: 'trigger', operator: 'in', value: ['ticket_saved', 'ticket_closed'] }),
      '/rules/0/conditions/all/0/value',
      /needs a list value/,
    ],
    [
      'notIn with a string value',
      usageRule({ fact: 'channel', operator: 'notIn', value: 'online' }),
      usageRule({ fact: 'channel', operator: 'notIn', value: ['online'] }),
      '/rules/0/conditions/all/0/value',
      /needs a list value/,
    ],
    [
      'contains on a non-list fact',
      usageRule({ fact: 'trigger', operator: 'contains', value: 'ticket' }),
      usageRule({ fact: 'trigger', operator: 'in', value: ['ticket_saved'] }),
      '/rules/0/conditions/all/0/operator',
      /needs a list fact/,
    ],
    [
      'a value outside the field vocabulary',
      usageRule({ fact: 'reservation', path: 'status', operator: 'equal', value: 'noshow' }),
      usageRule({ fact: 'reservation', path: 'status', operator: 'equal', value: 'no_show' }),
      '/rules/0/conditions/all/0/value',
      /"noshow" is not one of booked, checked_in, no_show, canceled/,
    ],
    [
      'event type not valid for the decision',
      usageRule({ fact: 'trigger', operator: 'equal', value: 'booked' }, { type: 'deny' }),
      usageRule({ fact: 'trigger', operator: 'equal', value: 'booked' }, { type: 'hold' }),
      '/rules/0/event/type',
      /'deny' is not a usage event/,
    ],
    [
      'unknown order key',
      {
        name: 'o',
        decision: 'assignment',
        priority: 1,
        conditions: { all: [] },
        event: { type: 'order', params: { by: [{ key: 'colour', direction: 'asc' }] } },
      },
      {
        name: 'o',
        decision: 'assignment',
        priority: 1,
        conditions: { all: [] },
        event: { type: 'order', params: { by: [{ key: 'expiresAt', direction: 'asc' }] } },
      },
      '/rules/0/event/params/by/0/key',
      /order key must be one of purchasedAt, expiresAt, priority, remaining/,
    ],
    [
      'an empty any',
      { ...usageRule(null), conditions: { all: [{ any: [] }] } },
      { ...usageRule(null), conditions: { all: [] } },
      '/rules/0/conditions/all/0/any',
      /empty 'any' is not allowed/,
    ],
    [
      'shared condition reference',
      { ...usageRule(null), conditions: { all: [{ condition: 'isBooked' }] } },
      { ...usageRule(null), conditions: { not: { fact: 'trigger', operator: 'equal', value: 'booked' } } },
      '/rules/0/conditions/all/0/condition',
      /shared condition references are not supported/,
    ],
    [
      'a deny without a reason',
      { name: 'd', decision: 'eligibility', priority: 1, conditions: { all: [] }, event: { type: 'deny' } },
      {
        name: 'd',
        decision: 'eligibility',
        priority: 1,
        conditions: { all: [] },
        event: { type: 'deny', params: { reason: 'closed' } },
      },
      '/rules/0/event/params/reason',
      /needs params.reason/,
    ],
  ];

  for (const [what, failing, passing, pointer, message] of cases) {
    it(what, () => {
      const errors = errorsOf(withRule(failing));
      expect(errors).toEqual([{ path: pointer, message: expect.stringMatching(message) }]);
      expect(errorsOf(withRule(passing))).toEqual([]);
    });
  }

  it('missing conditions and unknown decisions are schema faults with pointers', () => {
    const errors = errorsOf(withRule({ name: 'x', decision: 'refund', priority: 1, event: { type: 'use' } }));
    expect(errors).toEqual(
      expect.arrayContaining([
        { path: '/rules/0/conditions', message: 'is required' },
        {
          path: '/rules/0/decision',
          message: expect.stringContaining('must be equal to one of the allowed values'),
        },
      ]),
    );
  });

  it('depth and duplicate names are bounded', () => {
    let deep: unknown = { fact: 'trigger', operator: 'equal', value: 'booked' };
    for (let i = 0; i < 9; i++) deep = { not: deep };
    expect(errorsOf(withRule({ ...usageRule(null), conditions: { all: [deep] } }))[0].message).toMatch(
      /nest deeper than 8/,
    );
    const rule = usageRule({ fact: 'trigger', operator: 'equal', value: 'booked' });
    expect(errorsOf({ ...base(), rules: [rule, rule] })).toEqual([
      { path: '/rules/1/name', message: 'duplicate rule name (also /rules/0)' },
    ]);
  });

  it('a rule set whose own tests fail is rejected, naming the test', () => {
    const ruleset = {
      ...withRule(usageRule({ fact: 'trigger', operator: 'equal', value: 'booked' }, { type: 'hold' })),
      tests: [
        { name: 'booking holds', decision: 'usage', facts: { trigger: 'booked' }, expect: { type: 'hold' } },
        {
          name: 'check-in uses',
          decision: 'usage',
          facts: { trigger: 'checked_in' },
          expect: { type: 'use' },
        },
      ],
    };
    expect(errorsOf(ruleset)).toEqual([
      {
        path: '/tests/1',
        message: "test 'check-in uses' expected use but the rule set decided keep (default)",
      },
    ]);
  });

  it('a fact reference value is checked too', () => {
    const bad = {
      ...usageRule({
        fact: 'plan',
        path: 'bucketType',
        operator: 'equal',
        value: { fact: 'item', path: 'size' },
      }),
    };
    expect(errorsOf(withRule(bad))).toEqual([
      {
        path: '/rules/0/conditions/all/0/value/path',
        message: expect.stringContaining("has no field 'size'"),
      },
    ]);
  });
});
