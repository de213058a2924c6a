/** The policy engine: rule sets, their validation, and compiled evaluation. */
export { activeCached, type CachedActive, compiledFor, compilePolicy, rememberActive } from './cache.ts';
export {
  type CompiledPolicy,
  compileRuleset,
  type DecisionResult,
  type Explanation,
  type Facts,
} from './compile.ts';
export { decisionCosts } from './cost.ts';
export {
  catalogueMarkdown,
  decisionFacts,
  defaultFacts,
  eventTypes,
  type FieldType,
  factCatalogue,
  orderKeys,
  withDefaults,
} from './facts.ts';
export type { Fault } from './fault.ts';
export { documentFaults, limits } from './limits.ts';
export { lintRuleset } from './lint.ts';
export { type OrderBy, orderBy } from './order.ts';
export { listPresets, loadPreset } from './presets.ts';
export { decideWithJsonRulesEngine } from './reference-engine.ts';
export {
  type Decision,
  decisions,
  type FactReference,
  FactReferenceSchema,
  operators,
  type Rule,
  type Ruleset,
  RulesetSchema,
  type RulesetSettings,
  RulesetSettingsSchema,
  type Trigger,
  triggers,
} from './ruleset-schema.ts';
export {
  canonicalJson,
  rulesetHash,
  runRulesetTests,
  type ValidationResult,
  validateRuleset,
} from './validate.ts';

export type OrderKey = 'purchasedAt' | 'expiresAt' | 'priority' | 'remaining' | 'price' | 'startsAt' | 'line';
