import { generateDecision, type RuleIndexFn } from './codegen.ts';
import { defaultEvents } from './facts.ts';
import { operatorTable } from './operators.ts';
import { parsePath, resolvePath } from './path.ts';
import type { Condition, Decision, LeafCondition, Rule, Ruleset, RulesetSettings } from './ruleset-schema.ts';

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

type Test = (facts: Facts) => boolean;
/** Like Test, but names the pointer of the first leaf that failed (for explain). */
type Trace = (facts: Facts) => string | null;

/** A fact's value at a path, as json-rules-engine reads it (a non-object ignores the path). */
function reader(fact: string, path: string | undefined): (facts: Facts) => unknown {
  const parts = path ? parsePath(path) : null;
  if (path && !parts) throw new Error(`invalid path '${path}'`);
  return (facts) => {
    if (!(fact in facts)) throw new Error(`Undefined fact: ${fact}`);
    const value = facts[fact];
    if (!parts || value === null || typeof value !== 'object') return value;
    return resolvePath(value, parts);
  };
}

const isFactReference = (v: unknown): v is { fact: string; path?: string } =>
  v !== null && typeof v === 'object' && !Array.isArray(v) && Object.hasOwn(v, 'fact');

function compileLeaf(leaf: LeafCondition): Test {
  const left = reader(leaf.fact, leaf.path);
  const right = isFactReference(leaf.value) ? reader(leaf.value.fact, leaf.value.path) : () => leaf.value;
  const op = operatorTable[leaf.operator];
  if (!op) throw new Error(`unknown operator '${leaf.operator}'`);
  return (facts) => {
    const a = left(facts);
    return op.accepts(a) && op.test(a, right(facts));
  };
}

function compileCondition(c: Condition): Test {
  if ('all' in c) {
    const parts = c.all.map(compileCondition);
    return (facts) => parts.every((p) => p(facts));
  }
  if ('any' in c) {
    const parts = c.any.map(compileCondition);
    return (facts) => parts.some((p) => p(facts));
  }
  if ('not' in c) {
    const inner = compileCondition(c.not);
    return (facts) => !inner(facts);
  }
  if ('condition' in c) throw new Error('shared condition references are not supported');
  return compileLeaf(c);
}

function traceCondition(c: Condition, at: string): Trace {
  if ('all' in c) {
    const parts = c.all.map((p, i) => traceCondition(p, `${at}/all/${i}`));
    return (facts) => {
      for (const p of parts) {
        const failed = p(facts);
        if (failed) return failed;
      }
      return null;
    };
  }
  if ('any' in c) {
    const test = compileCondition(c);
    return (facts) => (test(facts) ? null : `${at}/any`);
  }
  const test = compileCondition(c);
  return (facts) => (test(facts) ? null : at);
}

interface CompiledRule {
  rule: Rule;
  index: number;
  test: Test;
  trace: Trace;
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
 * Compiles a validated rule set into plain synchronous closures, grouped per
 * decision in evaluation order (priority high to low, then as listed). Deciding
 * stops at the first match; explaining evaluates every rule.
 */
export function compileRuleset(ruleset: Ruleset, hash: string): CompiledPolicy {
  const byDecision = new Map<Decision, CompiledRule[]>();
  ruleset.rules.forEach((rule, index) => {
    const list = byDecision.get(rule.decision) ?? [];
    list.push({
      rule,
      index,
      test: compileCondition(rule.conditions),
      trace: traceCondition(rule.conditions, `/rules/${index}/conditions`),
    });
    byDecision.set(rule.decision, list);
  });
  for (const list of byDecision.values())
    list.sort((a, b) => b.rule.priority - a.rule.priority || a.index - b.index);
  const table = {} as Record<
    Decision,
    { match: RuleIndexFn; outcomes: DecisionResult[]; fallback: DecisionResult }
  >;
  for (const decision of ['eligibility', 'assignment', 'allocation', 'usage'] as const) {
    const list = byDecision.get(decision) ?? [];
    table[decision] = {
      match: generateDecision(list.map((c) => c.rule.conditions)),
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
      const index = entry.match(facts);
      return index < 0 ? entry.fallback : entry.outcomes[index];
    },
    explain(decision, facts) {
      const evaluated = (byDecision.get(decision) ?? []).map((c) => {
        const failedAt = c.trace(facts);
        return {
          rule: c.rule.name,
          priority: c.rule.priority,
          matched: failedAt === null,
          ...(failedAt ? { failedAt } : {}),
        };
      });
      const matched = evaluated.filter((e) => e.matched).map(({ rule, priority }) => ({ rule, priority }));
      const winner = (byDecision.get(decision) ?? []).find((c) => c.rule.name === matched[0]?.rule);
      const result = winner ? fromRule(winner.rule) : fallback(decision);
      const detail = result.params.reason ? `: ${String(result.params.reason)}` : '';
      const reason = winner
        ? `Rule '${winner.rule.name}' (priority ${winner.rule.priority}) decided ${result.type}${detail}`
        : `No rule matched; the ${decision} default applies: ${result.type}`;
      return { ...result, decision, matched, evaluated, reason };
    },
  };
}
