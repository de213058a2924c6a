import { createHash } from 'node:crypto';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { compileRuleset } from './compile.ts';
import { withDefaults } from './facts.ts';
import type { Fault } from './fault.ts';
import { documentFaults } from './limits.ts';
import { lintRuleset } from './lint.ts';
import { type Ruleset, RulesetSchema } from './ruleset-schema.ts';
import { schemaFaults } from './schema-faults.ts';

const ajv = new Ajv2020({ allErrors: true, strict: false });
const validateShape = ajv.compile(RulesetSchema);

export type ValidationResult = { ok: true; ruleset: Ruleset; hash: string } | { ok: false; errors: Fault[] };

/** Key-sorted JSON: the same rule set always hashes the same, whatever its key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export const rulesetHash = (ruleset: unknown) =>
  createHash('sha256').update(canonicalJson(ruleset)).digest('hex');

export interface TestFailure {
  index: number;
  name: string;
  expected: { type: string; params?: Record<string, unknown> };
  actual: { type: string; params: Record<string, unknown>; rule: string | null };
}

/** Runs the rule set's own examples; a failure names what was expected and what happened. */
export function runRulesetTests(ruleset: Ruleset, hash = rulesetHash(ruleset)): TestFailure[] {
  const policy = compileRuleset(ruleset, hash);
  const failures: TestFailure[] = [];
  (ruleset.tests ?? []).forEach((test, index) => {
    const facts = withDefaults(test.decision, { settings: ruleset.settings, ...test.facts });
    const actual = policy.decide(test.decision, facts);
    const paramsMatch =
      !test.expect.params ||
      Object.entries(test.expect.params).every(
        ([k, v]) => canonicalJson(actual.params[k]) === canonicalJson(v),
      );
    if (actual.type !== test.expect.type || !paramsMatch) {
      failures.push({ index, name: test.name, expected: test.expect, actual });
    }
  });
  return failures;
}

/**
 * Wherever a rule set enters (preset load, PUT /v1/policy, the CLI): its size and
 * nesting first (before anything that recurses), then the schema, then lint
 * against the fact catalogue and the cost budget, then the rule set's own tests.
 */
export function validateRuleset(input: unknown): ValidationResult {
  const oversized = documentFaults(input);
  if (oversized.length > 0) return { ok: false, errors: oversized };
  if (!validateShape(input)) return { ok: false, errors: schemaFaults(validateShape.errors) };
  const ruleset = input as Ruleset;
  const faults = lintRuleset(ruleset);
  if (faults.length > 0) return { ok: false, errors: faults };
  const hash = rulesetHash(ruleset);
  let failures: TestFailure[];
  try {
    failures = runRulesetTests(ruleset, hash);
  } catch (error) {
    // Lint types every test fact, so this is a bug of ours; still the caller's 422, not a 500.
    return {
      ok: false,
      errors: [{ path: '/tests', message: `the tests could not run: ${(error as Error).message}` }],
    };
  }
  if (failures.length > 0) {
    return {
      ok: false,
      errors: failures.map((f) => ({
        path: `/tests/${f.index}`,
        message: `test '${f.name}' expected ${f.expected.type} but the rule set decided ${f.actual.type}${f.actual.rule ? ` (rule '${f.actual.rule}')` : ' (default)'}`,
      })),
    };
  }
  return { ok: true, ruleset, hash };
}
