import { decisionFacts, type FieldType, factCatalogue } from './facts.ts';
import type { Fault } from './fault.ts';
import { has, segment } from './own.ts';
import type { RulesetTest } from './ruleset-schema.ts';

/** Why a value does not fit a field's type, or null when it fits. */
function misfit(type: FieldType, value: unknown): string | null {
  if (value === null) return 'nullable' in type && type.nullable ? null : `must be a ${type.kind}, not null`;
  if (type.kind === 'number')
    return typeof value === 'number' && Number.isFinite(value) ? null : 'must be a finite number';
  if (type.kind === 'boolean') return typeof value === 'boolean' ? null : 'must be true or false';
  if (typeof value !== 'string') return 'must be text';
  return !type.values || type.values.includes(value) ? null : `must be one of ${type.values.join(', ')}`;
}

/**
 * A rule-set test's facts are checked against the catalogue like the rules are: a
 * test can only give facts its decision gets, each of the catalogue's type (an
 * object fact as a partial object of its fields), so evaluating it can neither
 * fail nor see a value production never passes.
 */
export function testFactFaults(test: RulesetTest, at: string): Fault[] {
  const faults: Fault[] = [];
  for (const [fact, value] of Object.entries(test.facts)) {
    const here = `${at}/facts/${segment(fact)}`;
    if (!decisionFacts[test.decision].includes(fact) || !has(factCatalogue, fact)) {
      faults.push({ path: here, message: `fact '${fact}' is not given to ${test.decision} decisions` });
      continue;
    }
    const spec = factCatalogue[fact];
    if (!spec.fields) {
      const wrong = misfit(spec.type as FieldType, value);
      if (wrong) faults.push({ path: here, message: wrong });
      continue;
    }
    if (value === null) {
      if (!spec.nullable) faults.push({ path: here, message: `'${fact}' is never null` });
      continue;
    }
    if (typeof value !== 'object' || Array.isArray(value)) {
      faults.push({ path: here, message: `must be an object of the fields of '${fact}'` });
      continue;
    }
    for (const [field, fieldValue] of Object.entries(value)) {
      const there = `${here}/${segment(field)}`;
      if (!has(spec.fields, field)) {
        faults.push({
          path: there,
          message: `'${fact}' has no field '${field}' (fields: ${Object.keys(spec.fields).join(', ')})`,
        });
        continue;
      }
      const wrong = misfit(spec.fields[field], fieldValue);
      if (wrong) faults.push({ path: there, message: wrong });
    }
  }
  return faults;
}
