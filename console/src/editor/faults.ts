import { documentFaults } from '../../../src/policy/limits.ts';
import { lintRuleset } from '../../../src/policy/lint.ts';
import { schemaFaults } from '../../../src/policy/schema-faults.ts';
import { isRuleset, validateShape } from '../ruleset.ts';

export interface Fault {
  path: string;
  message: string;
}

/**
 * The faults a save would report, as the admin types: the document's bounds (size,
 * nesting, text; src/policy/limits.ts, as the server checks them first), the rule-set schema
 * (precompiled from the same TypeBox schema the server validates with), then the
 * server's own lint against the fact catalogue (src/policy/lint.ts, bundled). The
 * rule set's tests run on the server (POST /v1/policy/test). Schema faults are
 * worded by the server's own src/policy/schema-faults.ts.
 */
export function ruleSetFaults(input: unknown): Fault[] {
  // Size, nesting and text first, as the server checks them before anything else.
  const document = documentFaults(input);
  if (document.length > 0) return document;
  if (isRuleset(input)) return lintRuleset(input);
  return schemaFaults(validateShape.errors);
}
