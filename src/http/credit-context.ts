import type { Context } from 'hono';
import type { CreditContext } from '../credits/context.ts';
import { activePolicy } from '../tenants/policy-versions.ts';
import { type AppEnv, tenantOf } from './env.ts';

/** The request's credit context: its transaction, the tenant's active policy, its clock. */
export async function creditContext(c: Context<AppEnv>): Promise<CreditContext> {
  const tenantId = tenantOf(c);
  return {
    tx: c.var.em,
    tenantId,
    active: await activePolicy(c.var.em, tenantId),
    now: c.var.deps.clock(),
    actor: c.var.caller.role,
    events: c.var.pending,
  };
}
