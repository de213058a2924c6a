import type { Context } from 'hono';
import type { CreditContext } from '../credits/context.ts';
import { type AppEnv, tenantOf } from './env.ts';

/**
 * The request's credit context: its transaction, tenant and clock. Reads nothing.
 * On the hot path variables are read with `c.get`: each `c.var` read copies them all.
 */
export function creditContext(c: Context<AppEnv>): CreditContext {
  return {
    tx: c.get('em'),
    tenantId: tenantOf(c),
    now: c.get('deps').clock(),
    actor: c.get('caller').role,
    events: c.get('pending'),
  };
}
