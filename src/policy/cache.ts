import { type CompiledPolicy, compileRuleset } from './compile.ts';
import type { Ruleset } from './ruleset-schema.ts';
import { rulesetHash } from './validate.ts';

/**
 * Compiled rule sets keyed by content hash: a version compiles once per process and
 * the cache can be dropped at any time. Bounded, least recently used out first.
 */
const capacity = 500;
const cache = new Map<string, CompiledPolicy>();

export function compilePolicy(ruleset: Ruleset, hash: string = rulesetHash(ruleset)): CompiledPolicy {
  const hit = cache.get(hash);
  if (hit) {
    cache.delete(hash);
    cache.set(hash, hit);
    return hit;
  }
  const compiled = compileRuleset(ruleset, hash);
  cache.set(hash, compiled);
  if (cache.size > capacity) cache.delete(cache.keys().next().value as string);
  return compiled;
}
