import type { Fault } from './fault.ts';
import { limits } from './limits.ts';
import { has } from './own.ts';
import type { Condition, Decision, Rule, Ruleset } from './ruleset-schema.ts';

/**
 * The most comparisons a rule can make: its conditions when none short-circuits,
 * an `in`/`notIn` counted once per list entry (indexOf may visit them all).
 * Explaining evaluates every rule of a decision, so a decision's worst case is the
 * sum over its rules, each rule counting 1 more for itself.
 */
function conditionCost(c: Condition): number {
  if (has(c, 'all')) return (c as { all: Condition[] }).all.reduce((n, x) => n + conditionCost(x), 0);
  if (has(c, 'any')) return (c as { any: Condition[] }).any.reduce((n, x) => n + conditionCost(x), 0);
  if (has(c, 'not')) return conditionCost((c as { not: Condition }).not);
  const value = (c as { value?: unknown }).value;
  return Array.isArray(value) ? Math.max(1, value.length) : 1;
}

export const ruleCost = (rule: Rule): number => 1 + conditionCost(rule.conditions);

/** Each decision's worst-case cost, in comparisons. */
export function decisionCosts(ruleset: Ruleset): Record<Decision, number> {
  const costs: Record<Decision, number> = { eligibility: 0, assignment: 0, allocation: 0, usage: 0 };
  for (const rule of ruleset.rules) costs[rule.decision] += ruleCost(rule);
  return costs;
}

/** A decision over the budget is refused at the rule that takes it over. */
export function costFaults(ruleset: Ruleset): Fault[] {
  const running: Record<Decision, number> = { eligibility: 0, assignment: 0, allocation: 0, usage: 0 };
  const totals = decisionCosts(ruleset);
  const faults: Fault[] = [];
  ruleset.rules.forEach((rule, i) => {
    const before = running[rule.decision];
    running[rule.decision] += ruleCost(rule);
    if (before <= limits.cost && running[rule.decision] > limits.cost) {
      faults.push({
        path: `/rules/${i}`,
        message: `the ${rule.decision} rules may make ${totals[rule.decision]} comparisons per decision, over the budget of ${limits.cost}; this rule takes them over (shorten lists, merge or drop rules)`,
      });
    }
  });
  return faults;
}
