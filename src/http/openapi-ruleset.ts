import { RulesetSchema } from '../policy/ruleset-schema.ts';

const conditionRef = '#/$defs/condition';

/** Points the rule set's own `$defs` references at the document's components instead. */
function rewrite(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(rewrite);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [
      k,
      k === '$ref' && v === conditionRef ? '#/components/schemas/RulesetCondition' : rewrite(v),
    ]),
  );
}

/**
 * The rule-set JSON Schema (the one written to rules/schema/ruleset.schema.json) as
 * components: `Ruleset` and the recursive `RulesetCondition` it refers to. Its `$id`
 * and `$defs` are left out so every tool resolves the references inside this document.
 */
export function rulesetComponents(): Record<string, unknown> {
  const {
    $id: _id,
    $defs,
    ...ruleset
  } = RulesetSchema as typeof RulesetSchema & {
    $id: string;
    $defs: { condition: unknown };
  };
  return {
    Ruleset: {
      ...(rewrite(ruleset) as object),
      description: 'A rule set; the same JSON Schema as rules/schema/ruleset.schema.json',
    },
    RulesetCondition: rewrite($defs.condition),
  };
}
