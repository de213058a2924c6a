import { type CompiledPolicy, compileRuleset } from './compile.ts';
import type { Ruleset } from './ruleset-schema.ts';
import { rulesetHash } from './validate.ts';

/**
 * Compiled rule sets keyed by content hash: a version compiles once per process and
 * the cache can be dropped at any time. Bounded, least recently used out first.
 */
const capacity = 500;
const cache = new Map<string, { policy: CompiledPolicy; ruleset: Ruleset }>();

export function compilePolicy(ruleset: Ruleset, hash: string = rulesetHash(ruleset)): CompiledPolicy {
  const hit = compiledFor(hash);
  if (hit) return hit.policy;
  const compiled = compileRuleset(ruleset, hash);
  cache.set(hash, { policy: compiled, ruleset });
  if (cache.size > capacity) cache.delete(cache.keys().next().value as string);
  return compiled;
}

/** The compiled policy (and its rule set) for a content hash, if this process has it. */
export function compiledFor(hash: string): { policy: CompiledPolicy; ruleset: Ruleset } | undefined {
  const hit = cache.get(hash);
  if (hit) {
    cache.delete(hash);
    cache.set(hash, hit);
  }
  return hit;
}
