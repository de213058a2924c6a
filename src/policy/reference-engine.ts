import { Engine } from 'json-rules-engine';
import type { DecisionResult, Facts } from './compile.ts';
import { defaultEvents } from './facts.ts';
import { parsePath, resolvePath } from './path.ts';
import type { Decision, Ruleset } from './ruleset-schema.ts';

const pathResolver = (value: object, path: string) => {
  const parts = typeof path === 'string' ? parsePath(path) : null;
  return parts ? resolvePath(value, parts) : undefined;
};

/**
 * The reference semantics: json-rules-engine itself. A new Engine for every
 * evaluation — one Engine shared by concurrent run() calls silently drops
 * lower-priority rules (upstream #303, #360) — with undefined facts an error (so
 * notEqual/notIn cannot pass on a missing fact) and a plain dot-path resolver in
 * place of JSONPath. Used by tests (agreement with the compiled evaluator) and
 * the bench; production decisions use the compiled form.
 */
export async function decideWithJsonRulesEngine(
  ruleset: Ruleset,
  decision: Decision,
  facts: Facts,
): Promise<DecisionResult & { matched: string[] }> {
  const rules = ruleset.rules.map((r, index) => ({ r, index })).filter(({ r }) => r.decision === decision);
  const engine = new Engine([], { allowUndefinedFacts: false, pathResolver });
  for (const { r } of rules) {
    engine.addRule({
      name: r.name,
      priority: r.priority,
      conditions: r.conditions as never,
      event: { type: r.event.type, params: r.event.params ?? {} },
    });
  }
  const { results } = await engine.run(facts);
  const order = new Map(rules.map(({ r, index }) => [r.name, { priority: r.priority, index }]));
  const matched = results
    .map((res) => String(res.name))
    .sort(
      (a, b) =>
        (order.get(b)?.priority ?? 0) - (order.get(a)?.priority ?? 0) ||
        (order.get(a)?.index ?? 0) - (order.get(b)?.index ?? 0),
    );
  const winner = rules.find(({ r }) => r.name === matched[0])?.r;
  if (!winner) return { ...structuredClone(defaultEvents[decision]), rule: null, matched };
  return { type: winner.event.type, params: { ...(winner.event.params ?? {}) }, rule: winner.name, matched };
}
