import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/sql';
import type { Context } from 'hono';
import { PunchcardError } from '../errors.ts';
import type { AppEnv, Caller } from './env.ts';
import { writeMethods } from './request-guards.ts';

const header = 'idempotency-key';

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
  const inserted = await tx.execute<{ key: string }[]>(
    `insert into idempotency_records (scope, key, request_hash, status, body, created_at)
     values (?, ?, ?, 0, '', ?) on conflict do nothing returning key`,
    [scope, key, hash, c.var.deps.clock()],
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
    headers: { 'content-type': 'application/json', 'idempotent-replayed': 'true' },
  });
}

/** Stores the successful answer with the key, in the same transaction as the write. */
export async function recordIdempotentAnswer(c: Context<AppEnv>, tx: EntityManager): Promise<void> {
  const key = c.req.header(header);
  if (!key || !writeMethods.has(c.req.method)) return;
  const body = await c.res.clone().text();
  await tx.execute('update idempotency_records set status = ?, body = ? where scope = ? and key = ?', [
    c.res.status,
    body,
    idempotencyScope(c.var.caller),
    key,
  ]);
}
