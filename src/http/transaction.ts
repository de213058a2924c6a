import type { EntityManager } from '@mikro-orm/sql';
import type { MiddlewareHandler } from 'hono';
import { lastWriteSettled } from '../db/sql.ts';
import { recordEvents } from '../outbox/record.ts';
import { checkRouteRoles } from './auth.ts';
import type { AppEnv } from './env.ts';
import { claimIdempotencyKey, recordIdempotentAnswer } from './idempotency.ts';
import { refuseUnreadBody } from './request-guards.ts';

/** Thrown inside the transaction to undo it while keeping the (error) response. */
class RollBack extends Error {}

/**
 * One transaction per request: an error answer rolls everything back, so nothing is
 * ever half-written. The tenant filter is set on the request's EntityManager, so a
 * query that forgets its tenant still cannot see another tenant's rows. The events
 * the request collected go into the outbox as its last write, so they commit or roll
 * back with it; the dispatcher is poked once the commit is done. The route's role
 * checks run before the Idempotency-Key is looked up, and a body the route never read
 * must be empty before anything commits.
 */
export function transactionPerRequest(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const deps = c.get('deps');
    const caller = c.get('caller');
    if (caller) checkRouteRoles(c);
    const em = deps.orm.em.fork() as unknown as EntityManager;
    em.setFilterParams('tenant', { tenantId: caller?.tenantId ?? '' });
    c.set('pending', []);
    let settle = () => {};
    c.set('committed', new Promise<void>((resolve) => (settle = resolve)));
    let lastWrite = async () => {};
    try {
      await em.transactional(async (tx) => {
        c.set('em', tx);
        lastWrite = lastWriteSettled(tx);
        const replay = caller ? await claimIdempotencyKey(c, tx) : null;
        if (replay) {
          c.res = replay;
          return;
        }
        await next();
        if (c.error || c.res.status >= 400) throw new RollBack();
        refuseUnreadBody(c);
        await recordIdempotentAnswer(c, tx);
        if (c.get('pending').length > 0) await recordEvents(tx, c.get('pending'), deps.clock());
      });
      // The commit statement travelled with the COMMIT: if it failed, nothing committed and its error is the answer.
      await lastWrite();
    } catch (error) {
      settle();
      // A failed last write explains whatever failed after it (a refused statement, a COMMIT turned ROLLBACK).
      await lastWrite();
      if (!(error instanceof RollBack)) throw error;
      return;
    }
    settle();
    if (c.get('pending').length > 0) deps.outbox.poke();
  };
}
