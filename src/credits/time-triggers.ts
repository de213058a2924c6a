import { LockMode } from '@mikro-orm/core';
import { Reservation } from '../domain/reservation.ts';
import type { CreditContext } from './context.ts';
import { applyTrigger } from './reservation-credit.ts';

export interface TimeTriggerStats {
  sessions: number;
  used: number;
  released: number;
  skipped: number;
}

interface DueRow {
  id: string;
  session_id: string;
  starts_at: Date | string;
  ends_at: Date | string;
  started_applied: boolean;
  ended_applied: boolean;
}

/**
 * B12/B15/B16: applies `session_started` and `session_ended` to every reservation
 * whose session has reached that moment by `upTo`, each exactly once (flags on the
 * reservation, set in the same transaction as the credit change), in time order.
 * Reservations are locked in id order before any purchase, the global lock order.
 */
export async function applyDueTimeTriggers(
  ctx: CreditContext,
  upTo: Date,
  scope: { clientId?: string; sessionIds?: string[]; reservationIds?: string[] } = {},
): Promise<TimeTriggerStats> {
  const params: unknown[] = [ctx.tenantId, upTo, upTo];
  let filter = '';
  if (scope.clientId) {
    filter += ' and r.client_id = ?';
    params.push(scope.clientId);
  }
  if (scope.reservationIds) {
    if (scope.reservationIds.length === 0) return { sessions: 0, used: 0, released: 0, skipped: 0 };
    filter += ` and r.id in (${scope.reservationIds.map(() => '?').join(', ')})`;
    params.push(...scope.reservationIds);
  }
  if (scope.sessionIds) {
    if (scope.sessionIds.length === 0) return { sessions: 0, used: 0, released: 0, skipped: 0 };
    filter += ` and r.session_id in (${scope.sessionIds.map(() => '?').join(', ')})`;
    params.push(...scope.sessionIds);
  }
  const due = await ctx.tx.execute<DueRow[]>(
    `select r.id, r.session_id, s.starts_at, s.ends_at, r.started_applied, r.ended_applied
       from reservations r join sessions s on s.tenant_id = r.tenant_id and s.id = r.session_id
      where r.tenant_id = ? and ((not r.started_applied and s.starts_at <= ?) or (not r.ended_applied and s.ends_at <= ?))${filter}
      order by r.id
      for update of r`,
    params,
  );
  const stats: TimeTriggerStats = {
    sessions: new Set(due.map((d) => d.session_id)).size,
    used: 0,
    released: 0,
    skipped: 0,
  };
  if (due.length === 0) return stats;
  await ctx.tx.flush();
  const rows = await ctx.tx.find(
    Reservation,
    { id: { $in: due.map((d) => d.id) } },
    { refresh: true, lockMode: LockMode.PESSIMISTIC_WRITE, orderBy: { id: 'asc' } },
  );
  const byId = new Map(rows.map((r) => [r.id, r]));
  const ordered = [...due].sort(
    (a, b) => new Date(a.starts_at).getTime() - new Date(b.starts_at).getTime() || a.id.localeCompare(b.id),
  );
  for (const d of ordered) {
    const r = byId.get(d.id);
    if (!r) continue;
    const startsAt = new Date(d.starts_at);
    const endsAt = new Date(d.ends_at);
    const before = r.creditState;
    if (!r.startedApplied && startsAt <= upTo) {
      await applyTrigger(ctx, r, 'session_started', startsAt);
      r.startedApplied = true;
    }
    if (!r.endedApplied && endsAt <= upTo) {
      await applyTrigger(ctx, r, 'session_ended', endsAt);
      r.endedApplied = true;
      if (r.creditState === 'used' && before !== 'used') stats.used += 1;
      else if (r.creditState === 'released' && before !== 'released') stats.released += 1;
      else stats.skipped += 1;
    }
  }
  await ctx.tx.flush();
  return stats;
}
