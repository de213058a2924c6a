import { costFaults } from './cost.ts';
import { decisionFacts, eventTypes, type FieldType, factCatalogue, orderKeys } from './facts.ts';
import type { Fault } from './fault.ts';
import { limits } from './limits.ts';
import { containsOperators, listOperators, numericOperators, operatorTable } from './operators.ts';
import { has } from './own.ts';
import { parsePath } from './path.ts';
import type { Condition, Decision, LeafCondition, Ruleset } from './ruleset-schema.ts';
import { testFactFaults } from './test-facts.ts';

export type { Fault } from './fault.ts';

type Resolved = { type: FieldType | 'object' } | { fault: string; field: 'fact' | 'path' };

/** The type at fact(.path), or the fault and which field it lies in. */
function typeAt(decision: Decision, fact: string, path: string | undefined): Resolved {
  if (!has(factCatalogue, fact)) return { fault: `unknown fact '${fact}'`, field: 'fact' };
  if (!decisionFacts[decision].includes(fact)) {
    return {
      fault: `fact '${fact}' is not available to ${decision} rules (${decisionFacts[decision].join(', ')})`,
      field: 'fact',
    };
  }
  const spec = factCatalogue[fact];
  if (path === undefined) return { type: spec.fields ? 'object' : (spec.type as FieldType) };
  const parts = parsePath(path);
  if (!parts) {
    return {
      fault: `path '${path}' is not a plain dot path (JSONPath filters, wildcards, '..' and brackets are not allowed)`,
      field: 'path',
    };
  }
  if (!spec.fields) return { fault: `fact '${fact}' has no fields; drop the path`, field: 'path' };
  if (parts.length !== 1 || !has(spec.fields, parts[0])) {
    return {
      fault: `'${fact}' has no field '${parts.join('.')}' (fields: ${Object.keys(spec.fields).join(', ')})`,
      field: 'path',
    };
  }
  return { type: spec.fields[parts[0]] };
}

const isFactReference = (v: unknown): v is { fact: string; path?: string } =>
  v !== null && typeof v === 'object' && !Array.isArray(v) && Object.hasOwn(v, 'fact');

function lintCondition(
  c: Condition,
  at: string,
  decision: Decision,
  depth: number,
  faults: Fault[],
  count: { n: number },
): void {
  if (depth > limits.depth) {
    faults.push({ path: at, message: `conditions nest deeper than ${limits.depth}` });
    return;
  }
  if (has(c, 'all') || has(c, 'any')) {
    const key = has(c, 'all') ? 'all' : 'any';
    const list = (c as unknown as Record<string, Condition[]>)[key];
    // A top-level `all: []` is the unconditional rule; anywhere else an empty list is a
    // mistake (json-rules-engine would read an empty `any` as true).
    if (list.length === 0 && !(key === 'all' && depth === 1)) {
      faults.push({ path: `${at}/${key}`, message: `an empty '${key}' is not allowed here` });
    }
    for (const [i, child] of list.entries())
      lintCondition(child, `${at}/${key}/${i}`, decision, depth + 1, faults, count);
    return;
  }
  if (has(c, 'not')) {
    lintCondition((c as { not: Condition }).not, `${at}/not`, decision, depth + 1, faults, count);
    return;
  }
  if (has(c, 'condition')) {
    faults.push({
      path: `${at}/condition`,
      message: 'shared condition references are not supported; write the condition inline',
    });
    return;
  }
  count.n += 1;
  const leaf = c as LeafCondition;
  const resolved = typeAt(decision, leaf.fact, leaf.path);
  if ('fault' in resolved) {
    faults.push({ path: `${at}/${resolved.field}`, message: resolved.fault });
    return;
  }
  const type = resolved.type;
  if (!has(operatorTable, leaf.operator)) {
    faults.push({
      path: `${at}/operator`,
      message: `unknown operator '${leaf.operator}' (${Object.keys(operatorTable).join(', ')})`,
    });
    return;
  }
  let valueType: FieldType | 'object' | null = null;
  if (isFactReference(leaf.value)) {
    const ref = typeAt(decision, leaf.value.fact, leaf.value.path);
    if ('fault' in ref) {
      faults.push({ path: `${at}/value/${ref.field}`, message: ref.fault });
      return;
    }
    valueType = ref.type;
  }
  const factKind = type === 'object' ? 'object' : type.kind;
  const before = faults.length;
  if (numericOperators.has(leaf.operator)) {
    if (factKind !== 'number')
      faults.push({
        path: `${at}/operator`,
        message: `'${leaf.operator}' compares numbers, but ${leaf.fact}${leaf.path ? `.${leaf.path}` : ''} is ${factKind}`,
      });
    const numericValue = valueType
      ? valueType !== 'object' && valueType.kind === 'number'
      : typeof leaf.value === 'number';
    if (!numericValue)
      faults.push({
        path: `${at}/value`,
        message: `'${leaf.operator}' needs a number, not ${JSON.stringify(leaf.value)}`,
      });
  } else if (listOperators.has(leaf.operator)) {
    if (!Array.isArray(leaf.value)) {
      faults.push({
        path: `${at}/value`,
        message: `'${leaf.operator}' needs a list value (a string would match substrings)`,
      });
    } else if (leaf.value.length > limits.listLength) {
      faults.push({
        path: `${at}/value`,
        message: `a list of ${leaf.value.length} entries; at most ${limits.listLength}`,
      });
    }
  } else if (containsOperators.has(leaf.operator)) {
    faults.push({
      path: `${at}/operator`,
      message: `'${leaf.operator}' needs a list fact, and ${leaf.fact} is not a list`,
    });
  } else if (factKind === 'object') {
    faults.push({ path: `${at}/path`, message: `compare a field of '${leaf.fact}', not the whole object` });
  }
  // One fault per leaf: the vocabulary is checked only when the operator fits.
  if (faults.length === before && type !== 'object' && type.kind === 'string' && type.values && !valueType) {
    const values = Array.isArray(leaf.value) ? leaf.value : [leaf.value];
    for (const v of values) {
      if (!(type.nullable && v === null) && !type.values.includes(v as string)) {
        faults.push({
          path: `${at}/value`,
          message: `${JSON.stringify(v)} is not one of ${type.values.join(', ')}`,
        });
      }
    }
  }
}

function lintEvent(rule: Ruleset['rules'][number], at: string, faults: Fault[]): void {
  const reason = rule.event.params?.reason;
  if (reason !== undefined && typeof reason !== 'string')
    faults.push({ path: `${at}/event/params/reason`, message: 'a reason must be text' });
  const allowed = eventTypes[rule.decision];
  if (!allowed.includes(rule.event.type)) {
    faults.push({
      path: `${at}/event/type`,
      message: `'${rule.event.type}' is not a ${rule.decision} event (${allowed.join(', ')})`,
    });
    return;
  }
  if (rule.decision === 'assignment' || rule.decision === 'allocation') {
    const by = rule.event.params?.by;
    const keys = orderKeys[rule.decision];
    if (!Array.isArray(by) || by.length === 0) {
      faults.push({
        path: `${at}/event/params/by`,
        message: `an order event needs params.by: a list of {key, direction}`,
      });
      return;
    }
    by.forEach((entry: unknown, i: number) => {
      const e = entry as { key?: unknown; direction?: unknown };
      if (!keys.includes(String(e?.key)))
        faults.push({
          path: `${at}/event/params/by/${i}/key`,
          message: `order key must be one of ${keys.join(', ')}`,
        });
      if (e?.direction !== 'asc' && e?.direction !== 'desc')
        faults.push({
          path: `${at}/event/params/by/${i}/direction`,
          message: "direction must be 'asc' or 'desc'",
        });
    });
  }
  if (
    rule.decision === 'eligibility' &&
    rule.event.type === 'deny' &&
    typeof rule.event.params?.reason !== 'string'
  ) {
    faults.push({
      path: `${at}/event/params/reason`,
      message: 'a deny event needs params.reason, shown to staff',
    });
  }
}

/**
 * What a schema cannot see: facts, paths, operators and values against the fact
 * catalogue; event types and order keys per decision; size bounds. Each fault
 * carries the JSON pointer of the offending part.
 */
export function lintRuleset(ruleset: Ruleset): Fault[] {
  const faults: Fault[] = [];
  const names = new Map<string, number>();
  ruleset.rules.forEach((rule, i) => {
    const at = `/rules/${i}`;
    if (names.has(rule.name))
      faults.push({
        path: `${at}/name`,
        message: `duplicate rule name (also /rules/${names.get(rule.name)})`,
      });
    names.set(rule.name, i);
    const count = { n: 0 };
    lintCondition(rule.conditions, `${at}/conditions`, rule.decision, 1, faults, count);
    if (count.n > limits.conditionsPerRule)
      faults.push({ path: `${at}/conditions`, message: `more than ${limits.conditionsPerRule} conditions` });
    lintEvent(rule, at, faults);
  });
  (ruleset.tests ?? []).forEach((test, i) => {
    if (!eventTypes[test.decision].includes(test.expect.type)) {
      faults.push({
        path: `/tests/${i}/expect/type`,
        message: `'${test.expect.type}' is not a ${test.decision} event`,
      });
    }
    faults.push(...testFactFaults(test, `/tests/${i}`));
  });
  // The budget is judged on a rule set that is otherwise sound.
  return faults.length > 0 ? faults : costFaults(ruleset);
}
