import { Hono } from 'hono';
import Type from 'typebox';
import { PunchcardError } from '../errors.ts';
import { type Fault, type Ruleset, runRulesetTests, validateRuleset } from '../policy/index.ts';
import { requireRole } from './auth.ts';
import type { AppEnv } from './env.ts';
import { component, describeOperation, documentedAs, ok } from './openapi.ts';
import { closed, count, nullable } from './responses/common.ts';
import { readBody } from './validate.ts';

/** As PUT /v1/policy takes it: any object here, checked in full by validateRuleset (pointers under /ruleset). */
export const TestPolicy = Type.Object(
  { ruleset: documentedAs('Ruleset', Type.Object({})) },
  { additionalProperties: false },
);

const decisionEvent = Type.Object(
  { type: Type.String(), params: Type.Optional(Type.Record(Type.String(), Type.Unknown())) },
  closed,
);
export const RulesetTestRun = component(
  'RulesetTestRun',
  Type.Object(
    {
      passed: count,
      failed: count,
      tests: Type.Array(
        Type.Object(
          {
            index: count,
            name: Type.String(),
            decision: Type.String(),
            passed: Type.Boolean(),
            expected: decisionEvent,
            actual: nullable(
              Type.Object(
                {
                  type: Type.String(),
                  params: Type.Record(Type.String(), Type.Unknown()),
                  rule: nullable(Type.String()),
                },
                { ...closed, description: 'What the rules decided (failed tests only)' },
              ),
            ),
          },
          closed,
        ),
      ),
    },
    closed,
  ),
);

describeOperation({
  method: 'post',
  path: '/v1/policy/test',
  operationId: 'testPolicy',
  tag: 'Policy',
  summary: "Run a draft rule set's own tests without saving it: pass or fail per test",
  access: 'admin',
  body: TestPolicy,
  success: ok(RulesetTestRun, 'Each test, passed or failed'),
});

const invalidDraft = (faults: Fault[]) =>
  new PunchcardError(
    'invalid',
    'the rule set is not valid',
    faults.map((f) => ({ path: `/ruleset${f.path}`, message: f.message })),
  );

/** A fault from a test that ran and decided otherwise (validateRuleset's last step), not from the test's shape. */
const isTestFailure = (f: Fault) => /^\/tests\/\d+$/.test(f.path) && f.message.startsWith('test ');

/**
 * The console's "run the tests" button: the same checks as a save (schema, lint
 * against the fact catalogue, then the rule set's own tests), but a failing test is
 * a result to show rather than a refusal, and nothing is stored.
 */
export const policyTestRoutes = new Hono<AppEnv>().post('/test', requireRole('admin'), async (c) => {
  const body = await readBody(c, TestPolicy);
  const draft = body.ruleset as Record<string, unknown>;
  const rules = validateRuleset({ ...draft, tests: [] });
  if (!rules.ok) throw invalidDraft(rules.errors);
  const whole = validateRuleset(draft);
  if (!whole.ok && !whole.errors.every(isTestFailure))
    throw invalidDraft(whole.errors.filter((f) => !isTestFailure(f)));
  const ruleset = draft as unknown as Ruleset;
  const failures = new Map(runRulesetTests(ruleset).map((f) => [f.index, f]));
  const tests = (ruleset.tests ?? []).map((test, index) => {
    const failure = failures.get(index);
    return {
      index,
      name: test.name,
      decision: test.decision,
      passed: !failure,
      expected: test.expect,
      actual: failure ? failure.actual : null,
    };
  });
  return c.json({ passed: tests.filter((t) => t.passed).length, failed: failures.size, tests });
});
