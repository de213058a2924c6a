import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/sql';
import type { Context } from 'hono';
import { PunchcardError } from '../errors.ts';
import type { AppEnv, Caller } from './env.ts';
import { writeMethods } from './request-guards.ts';

const header = 'idempotency-key';

/**
 * How long a key is remembered: 24 hours, as Stripe does. After it the key may be
 * used again as new; the scheduled work (`pruneIdempotencyRecords`) deletes the
 * records, and a claim treats an older record as gone even before that runs.
 */
export const idempotencyWindowMs = 24 * 60 * 60 * 1000;

/** What a route asked to be stored in place of its answer (see `replayInstead`). */
const replays = new WeakMap<Context, { status: number; body: string }>();

/**
 * Stores this answer for replays instead of the route's own. For an answer that holds
 * a secret shown once (a new tenant's keys): the record must never contain it.
 */
export function replayInstead(c: Context, status: number, body: unknown): void {
  replays.set(c, { status, body: JSON.stringify(body) });
}

/**
 * Whose keys these are. A tenant's scope is `tenant:<id>` and the platform's is
 * `platform`: no tenant id can make its scope equal the platform's (a tenant may well
 * be called `platform`).
 */
export const idempotencyScope = (caller: Caller) =>
  caller.tenantId === null ? 'platform' : `tenant:${caller.tenantId}`;

async function requestHash(c: Context<AppEnv>): Promise<string> {
  const body = await c.req.text();
  return createHash('sha256').update(`${c.req.method} ${c.req.path}\n${body}`).digest('hex');
}

/**
 * Claims the Idempotency-Key inside the request's transaction. The insert is the
 * lock: a duplicate arriving while the first is in flight blocks on the key's row
 * until the first commits (then replays its answer) or rolls back (then runs).
 * Returns the stored answer to replay, or null to go on. The caller has passed the
 * route's role checks before this runs (`checkRouteRoles`).
 */
export async function claimIdempotencyKey(c: Context<AppEnv>, tx: EntityManager): Promise<Response | null> {
  const key = c.req.header(header);
  if (!key || !writeMethods.has(c.req.method)) return null;
  if (key.length > 200) throw new PunchcardError('invalid', 'Idempotency-Key is longer than 200 characters');
  const scope = idempotencyScope(c.var.caller);
  const hash = await requestHash(c);
  const now = c.var.deps.clock();
  // A record older than the window is taken over as if it were gone.
  const inserted = await tx.execute<{ key: string }[]>(
    `insert into idempotency_records (scope, key, request_hash, status, body, created_at)
     values (?, ?, ?, 0, '', ?)
     on conflict (scope, key) do update
        set request_hash = excluded.request_hash, status = 0, body = '', created_at = excluded.created_at
      where idempotency_records.created_at <= ?
     returning key`,
    [scope, key, hash, now, new Date(now.getTime() - idempotencyWindowMs)],
  );
  if (inserted.length > 0) return null;
  const [stored] = await tx.execute<{ request_hash: string; status: number; body: string }[]>(
    'select request_hash, status, body from idempotency_records where scope = ? and key = ?',
    [scope, key],
  );
  if (stored.request_hash !== hash) {
    throw new PunchcardError('conflict', 'this Idempotency-Key was already used with a different request');
  }
  return new Response(stored.body, {
    status: stored.status,
    headers: {
      'content-type': stored.status >= 400 ? 'application/problem+json' : 'application/json',
      'idempotent-replayed': 'true',
    },
  });
}

/** Stores the successful answer with the key, in the same transaction as the write. */
export async function recordIdempotentAnswer(c: Context<AppEnv>, tx: EntityManager): Promise<void> {
  const key = c.req.header(header);
  if (!key || !writeMethods.has(c.req.method)) return;
  const answer = replays.get(c) ?? { status: c.res.status, body: await c.res.clone().text() };
  await tx.execute('update idempotency_records set status = ?, body = ? where scope = ? and key = ?', [
    answer.status,
    answer.body,
    idempotencyScope(c.var.caller),
    key,
  ]);
}

/**
 * Deletes the records older than the window, in batches so no statement holds many
 * rows at once. Run with the service's scheduled work (`plugin.sweep`); a sweep of
 * some tenants (`tenantIds`) prunes only their keys. Returns how many were deleted.
 */
export async function pruneIdempotencyRecords(
  em: EntityManager,
  now: Date,
  tenantIds?: string[],
  batch = 5000,
): Promise<number> {
  const before = new Date(now.getTime() - idempotencyWindowMs);
  const scopes =
    tenantIds && JSON.stringify(tenantIds.map((tenantId) => idempotencyScope({ tenantId, role: 'admin' })));
  let total = 0;
  for (;;) {
    const deleted = await em.execute<{ key: string }[]>(
      `delete from idempotency_records where (scope, key) in (
         select scope, key from idempotency_records where created_at <= ?${
           scopes ? ' and scope in (select jsonb_array_elements_text(?::jsonb))' : ''
         } limit ?
       ) returning key`,
      scopes ? [before, scopes, batch] : [before, batch],
    );
    total += deleted.length;
    if (deleted.length < batch) return total;
  }
}
