import type { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/sql';
import type { PunchcardEvent } from '../events.ts';
import { recordEvents } from '../outbox/record.ts';
import type { CreditContext } from './context.ts';
import { noticeExpiring } from './expiring.ts';
import { sweepBatch, sweepExpiry } from './sweep.ts';
import { closeStartedLines } from './waitlist/close.ts';

export interface SweepTotals {
  sessions: number;
  used: number;
  released: number;
  skipped: number;
}

export const emptyTotals = (): SweepTotals => ({ sessions: 0, used: 0, released: 0, skipped: 0 });

function add(totals: SweepTotals, batch: SweepTotals): void {
  totals.sessions += batch.sessions;
  totals.used += batch.used;
  totals.released += batch.released;
  totals.skipped += batch.skipped;
}

/** Sweeps a tenant inside the caller's transaction (POST /v1/sweeps). */
export async function sweepInTransaction(ctx: CreditContext, asOf: Date): Promise<SweepTotals> {
  const totals = emptyTotals();
  for (;;) {
    const batch = await sweepBatch(ctx, asOf);
    add(totals, batch);
    if (batch.done) break;
  }
  await sweepExpiry(ctx, asOf);
  await noticeExpiring(ctx, asOf);
  while (!(await closeStartedLines(ctx, asOf)).done);
  return totals;
}

/**
 * The scheduled sweep over every tenant: one transaction per batch, so a crash
 * loses at most a batch that was never committed, and a rerun picks up exactly
 * what is left. Safe to run from several processes at once (SKIP LOCKED).
 */
export async function sweepAllTenants(
  orm: MikroORM,
  clock: () => Date,
  outbox: { poke(): void },
  only?: string[],
): Promise<SweepTotals> {
  const now = clock();
  const base = orm.em.fork() as unknown as EntityManager;
  const tenants = await base.getConnection().execute<{ tenant_id: string }[]>(
    `select distinct tenant_id from sessions where swept_at is null and ends_at <= ?
     union select distinct tenant_id from purchases where status in ('active', 'on_hold') and expires_at < ?
     union select distinct tenant_id from plans where expiring_notice_days is not null
     union select distinct w.tenant_id from waitlist_entries w
       join sessions s on s.tenant_id = w.tenant_id and s.id = w.session_id
      where w.status = 'waiting' and s.starts_at <= ?`,
    [now, now, now],
  );
  const totals = emptyTotals();
  for (const { tenant_id: tenantId } of tenants) {
    if (only && !only.includes(tenantId)) continue;
    for (;;) {
      const pending: PunchcardEvent[] = [];
      const em = orm.em.fork() as unknown as EntityManager;
      em.setFilterParams('tenant', { tenantId });
      let notices = 0;
      const batch = await em.transactional(async (tx) => {
        const ctx: CreditContext = {
          tx,
          tenantId,
          now,
          actor: 'sweep',
          events: pending,
        };
        const result = await sweepBatch(ctx, now);
        if (result.done) {
          await sweepExpiry(ctx, now);
          notices = await noticeExpiring(ctx, now);
          // Started sessions close their waitlists; a held credit comes back.
          while (!(await closeStartedLines(ctx, now)).done);
        }
        // The batch's events commit with it, or not at all.
        if (pending.length > 0) await recordEvents(tx, pending, now);
        return result;
      });
      if (pending.length > 0 || notices > 0) outbox.poke();
      add(totals, batch);
      if (batch.done) break;
    }
  }
  return totals;
}
