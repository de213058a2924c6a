import { generateDecision, type RuleIndexFn, type Trace } from './codegen.ts';
import { defaultEvents } from './facts.ts';
import type { Decision, Rule, Ruleset, RulesetSettings } from './ruleset-schema.ts';

export type Facts = Record<string, unknown>;

export interface DecisionResult {
  type: string;
  params: Record<string, unknown>;
  /** The rule that decided, or null when the decision's default applied. */
  rule: string | null;
}

export interface Explanation extends DecisionResult {
  decision: Decision;
  matched: { rule: string; priority: number }[];
  evaluated: { rule: string; priority: number; matched: boolean; failedAt?: string }[];
  reason: string;
}

export interface CompiledPolicy {
  hash: string;
  settings: RulesetSettings;
  decide(decision: Decision, facts: Facts): DecisionResult;
  explain(decision: Decision, facts: Facts): Explanation;
}

const deepFreeze = <T>(value: T): T => {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
};
const fallback = (decision: Decision): DecisionResult =>
  deepFreeze({ ...structuredClone(defaultEvents[decision]), rule: null });
const fromRule = (r: Rule): DecisionResult =>
  deepFreeze({ type: r.event.type, params: structuredClone(r.event.params ?? {}), rule: r.name });

/**
 * Compiles a validated rule set into one generated function per decision, rules in
 * evaluation order (priority high to low, then as listed). Deciding stops at the
 * first match; explaining runs the same function with a trace, which evaluates
 * every rule — so the explanation always names the rule that decided.
 */
export function compileRuleset(ruleset: Ruleset, hash: string): CompiledPolicy {
  const ordered = ruleset.rules
    .map((rule, index) => ({ rule, index }))
    .sort((a, b) => b.rule.priority - a.rule.priority || a.index - b.index);
  const table = {} as Record<
    Decision,
    { rules: Rule[]; match: RuleIndexFn; outcomes: DecisionResult[]; fallback: DecisionResult }
  >;
  for (const decision of ['eligibility', 'assignment', 'allocation', 'usage'] as const) {
    const list = ordered.filter((c) => c.rule.decision === decision);
    table[decision] = {
      rules: list.map((c) => c.rule),
      match: generateDecision(
        list.map((c) => ({ conditions: c.rule.conditions, at: `/rules/${c.index}/conditions` })),
      ),
      outcomes: list.map((c) => fromRule(c.rule)),
      fallback: fallback(decision),
    };
  }

  return {
    hash,
    settings: ruleset.settings,
    decide(decision, facts) {
      // Outcomes are built once and frozen: deciding allocates nothing.
      const entry = table[decision];
      const index = entry.match(facts, null);
      return index < 0 ? entry.fallback : entry.outcomes[index];
    },
    explain(decision, facts) {
      const entry = table[decision];
      const trace: Trace = { matched: entry.rules.map(() => false), failedAt: [] };
      entry.match(facts, trace);
      const evaluated = entry.rules.map((rule, i) => ({
        rule: rule.name,
        priority: rule.priority,
        matched: trace.matched[i],
        ...(trace.matched[i] ? {} : { failedAt: trace.failedAt[i] }),
      }));
      const matched = evaluated.filter((e) => e.matched).map(({ rule, priority }) => ({ rule, priority }));
      const first = trace.matched.indexOf(true);
      const result = first < 0 ? entry.fallback : entry.outcomes[first];
      const reason = result.params.reason;
      const detail = typeof reason === 'string' && reason ? `: ${reason}` : '';
      const text =
        first < 0
          ? `No rule matched; the ${decision} default applies: ${result.type}`
          : `Rule '${result.rule}' (priority ${entry.rules[first].priority}) decided ${result.type}${detail}`;
      return { ...result, decision, matched, evaluated, reason: text };
    },
  };
}
