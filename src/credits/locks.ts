import { LockMode } from '@mikro-orm/core';
import { Reservation } from '../domain/reservation.ts';
import type { CreditContext } from './context.ts';

/**
 * Every credit operation concerns one client's purchases, so it first locks that
 * client's row; operations on several clients (the sweep) lock them in id order.
 * With that one rule no two transactions can wait on each other in a cycle, and
 * the purchase locks taken after it (also in id order) only guard against writers
 * that skip it.
 */
export async function lockClients(ctx: CreditContext, clientIds: string[]): Promise<void> {
  const ids = [...new Set(clientIds)].sort();
  if (ids.length === 0) return;
  await ctx.tx.execute(
    `select id from clients where tenant_id = ? and id in (${ids.map(() => '?').join(', ')}) order by id for update`,
    [ctx.tenantId, ...ids],
  );
}

/** Reservations FOR UPDATE in id order, re-read inside the lock. */
export async function lockReservations(ctx: CreditContext, ids: string[]): Promise<Map<string, Reservation>> {
  if (ids.length === 0) return new Map();
  await ctx.tx.flush();
  const rows = await ctx.tx.find(
    Reservation,
    { id: { $in: [...new Set(ids)].sort() } },
    { lockMode: LockMode.PESSIMISTIC_WRITE, orderBy: { id: 'asc' }, refresh: true },
  );
  return new Map(rows.map((r) => [r.id, r]));
}
