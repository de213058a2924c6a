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

/**
 * The active policy of each tenant this process has used, by version number. Every
 * credit operation's locking read returns the tenant's active version, so a new
 * version (saved by any process) is seen by the next operation: the entry is only
 * reused while its number is still the active one. Dropping it costs one read.
 */
export interface CachedActive {
  version: number;
  hash: string;
  ruleset: Ruleset;
  policy: CompiledPolicy;
}
const activeByTenant = new Map<string, CachedActive>();

export function activeCached(tenantId: string, version: number): CachedActive | undefined {
  const hit = activeByTenant.get(tenantId);
  return hit && hit.version === version ? hit : undefined;
}

export function rememberActive(tenantId: string, active: CachedActive): void {
  if (activeByTenant.size >= capacity && !activeByTenant.has(tenantId))
    activeByTenant.delete(activeByTenant.keys().next().value as string);
  activeByTenant.set(tenantId, active);
}
