import { RulesetSchema } from '../policy/ruleset-schema.ts';

/** `#/$defs/rootCondition` → `RulesetRootCondition`: each definition becomes a component. */
export const rulesetComponentName = (def: string) => `Ruleset${def[0].toUpperCase()}${def.slice(1)}`;

/** Points the rule set's own `$defs` references at the document's components instead. */
function rewrite(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(rewrite);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [
      k,
      k === '$ref' && typeof v === 'string' && v.startsWith('#/$defs/')
        ? `#/components/schemas/${rulesetComponentName(v.slice('#/$defs/'.length))}`
        : rewrite(v),
    ]),
  );
}

/**
 * The rule-set JSON Schema (the one written to rules/schema/ruleset.schema.json) as
 * components: `Ruleset` and one `Ruleset<Def>` per definition it refers to. Its `$id`
 * and `$defs` are left out so every tool resolves the references inside this document.
 */
export function rulesetComponents(): Record<string, unknown> {
  const {
    $id: _id,
    $defs,
    ...ruleset
  } = RulesetSchema as typeof RulesetSchema & {
    $id: string;
    $defs: Record<string, unknown>;
  };
  return {
    Ruleset: {
      ...(rewrite(ruleset) as object),
      description: 'A rule set; the same JSON Schema as rules/schema/ruleset.schema.json',
    },
    ...Object.fromEntries(
      Object.entries($defs).map(([name, def]) => [rulesetComponentName(name), rewrite(def)]),
    ),
  };
}
