import { lintRuleset } from '../../../src/policy/lint.ts';
import type { Ruleset } from '../../../src/policy/ruleset-schema.ts';
import validateShape from '../../generated/validate-ruleset.js';

export interface Fault {
  path: string;
  message: string;
}

/**
 * The faults a save would report, as the admin types: the rule-set schema
 * (precompiled from the same TypeBox schema the server validates with), then the
 * server's own lint against the fact catalogue (src/policy/lint.ts, bundled). The
 * rule set's tests run on the server (POST /v1/policy/test). Schema faults are
 * worded as src/policy/validate.ts words them.
 */
export function ruleSetFaults(input: unknown): Fault[] {
  if (validateShape(input)) return lintRuleset(input as Ruleset);
  const seen = new Set<string>();
  const faults: Fault[] = [];
  for (const e of validateShape.errors ?? []) {
    if (e.keyword === 'anyOf' || e.keyword === 'oneOf') continue;
    let path = e.instancePath;
    let message = e.message ?? 'is invalid';
    if (e.keyword === 'required') {
      path += `/${(e.params as { missingProperty: string }).missingProperty}`;
      message = 'is required';
    } else if (e.keyword === 'additionalProperties') {
      path += `/${(e.params as { additionalProperty: string }).additionalProperty}`;
      message = 'is not a known field';
    } else if (e.keyword === 'enum') {
      message = `must be one of ${((e.params as { allowedValues?: unknown[] }).allowedValues ?? []).join(', ')}`;
    }
    // Inside a condition the schema reports every branch; keep one fault per place.
    if (e.schemaPath.includes('$defs/condition')) {
      if (seen.has(e.instancePath)) continue;
      seen.add(e.instancePath);
      path = e.instancePath;
      message =
        'must be a condition: {fact, operator, value, path?}, {all: [...]}, {any: [...]} or {not: {...}}';
    }
    faults.push({ path, message });
  }
  return faults;
}
