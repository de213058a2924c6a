import type { EntityManager } from '@mikro-orm/sql';
import { RulesetVersion } from '../domain/ruleset-version.ts';
import { notFound } from '../errors.ts';
import { type CompiledPolicy, compiledFor, compilePolicy, type Ruleset } from '../policy/index.ts';

export interface ActivePolicy {
  version: number;
  hash: string;
  ruleset: Ruleset;
  policy: CompiledPolicy;
}

/**
 * Appends a new immutable version and makes it active. The tenant row is locked so
 * two concurrent saves get consecutive version numbers instead of colliding.
 */
export async function saveVersion(
  tx: EntityManager,
  tenantId: string,
  ruleset: Ruleset,
  hash: string,
  actor: string,
  note: string | null,
  now: Date,
): Promise<RulesetVersion> {
  await tx.execute('select id from tenants where id = ? for update', [tenantId]);
  const [row] = await tx.execute<{ latest: number | null }[]>(
    'select max(version) as latest from ruleset_versions where tenant_id = ?',
    [tenantId],
  );
  const version = (row?.latest ?? 0) + 1;
  const saved = tx.create(RulesetVersion, {
    tenantId,
    version,
    hash,
    ruleset: ruleset as unknown as Record<string, unknown>,
    actor,
    note,
    createdAt: now,
  });
  await tx.execute('update tenants set active_version = ? where id = ?', [version, tenantId]);
  await tx.flush();
  return saved;
}

/** The tenant's active rule set, compiled once per content hash (the compile cache). */
export async function activePolicy(tx: EntityManager, tenantId: string): Promise<ActivePolicy> {
  // One small read per request; the rule set itself is read only when this process
  // has not compiled that content hash yet.
  const [head] = await tx.execute<{ version: number; hash: string }[]>(
    `select v.version, v.hash from tenants t
       join ruleset_versions v on v.tenant_id = t.id and v.version = t.active_version
      where t.id = ?`,
    [tenantId],
  );
  if (!head) throw notFound('tenant', tenantId);
  const cached = compiledFor(head.hash);
  if (cached)
    return { version: head.version, hash: head.hash, ruleset: cached.ruleset, policy: cached.policy };
  const row = await tx.findOneOrFail(RulesetVersion, { tenantId, version: head.version });
  const ruleset = row.ruleset as unknown as Ruleset;
  return { version: row.version, hash: row.hash, ruleset, policy: compilePolicy(ruleset, row.hash) };
}
