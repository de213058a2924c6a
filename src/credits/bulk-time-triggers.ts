import type { Plan } from '../domain/plan.ts';
import type { Purchase } from '../domain/purchase.ts';
import type { Trigger } from '../policy/index.ts';
import { applyDelta, type Counters } from './balance.ts';
import {
  ledgerRow,
  type ReservationUpdate,
  writeBalances,
  writeLedger,
  writeReservations,
} from './bulk-writes.ts';
import type { CreditContext } from './context.ts';
import { usageFacts } from './facts.ts';
import { lockPurchases } from './ledger.ts';
import { itemOf, planOf, type Row, reservationOf, sessionOf } from './rows.ts';
import { applyDueTimeTriggers, type TimeTriggerStats } from './time-triggers.ts';
import { type PurchaseView, planTransition, purchaseView, type UsageEvent } from './transitions.ts';

/**
 * The sweep's fast path: the same decisions as applyDueTimeTriggers (the compiled
 * rule set, the same state machine), but read in one query and written in a few
 * set-based statements per batch instead of several round trips per reservation.
 * A reservation that needs an assignment first (B16) goes to the per-row path.
 * The caller has locked the batch's clients: every writer of a reservation locks its
 * client first, so the reservation rows need no row locks of their own here.
 */

export async function applyDueTimeTriggersInBulk(
  ctx: CreditContext,
  upTo: Date,
  sessionIds: string[],
): Promise<TimeTriggerStats> {
  const marks = sessionIds.map(() => '?').join(', ');
  const rows = await ctx.tx.execute<Row[]>(
    `select r.id, r.client_id, r.session_id, r.channel, r.status, r.purchase_id, r.manual_purchase, r.credit_state,
            r.covered_units, r.credit_seq, r.started_applied, r.ended_applied,
            s.starts_at, s.ends_at, s.price as s_price, s.units, s.location_id, s.item_id,
            i.kind as i_kind, i.price as i_price, i.item_type as i_item_type, i.bucket_type as i_bucket_type,
            exists (select 1 from ticket_lines tl join tickets t on t.tenant_id = tl.tenant_id and t.id = tl.ticket_id
                     where tl.tenant_id = r.tenant_id and tl.reservation_id = r.id and t.manual and t.status = 'closed') as manual_checkout
       from reservations r
       join sessions s on s.tenant_id = r.tenant_id and s.id = r.session_id
       join items i on i.tenant_id = s.tenant_id and i.id = s.item_id
      where r.tenant_id = ? and r.session_id in (${marks})
        and ((not r.started_applied and s.starts_at <= ?) or (not r.ended_applied and s.ends_at <= ?))
      order by r.id`,
    [ctx.tenantId, ...sessionIds, upTo, upTo],
  );
  const stats: TimeTriggerStats = { sessions: sessionIds.length, used: 0, released: 0, skipped: 0 };
  if (rows.length === 0) return stats;
  const purchases = await lockPurchases(
    ctx.tx,
    rows.flatMap((r) => (r.purchase_id ? [String(r.purchase_id)] : [])),
  );
  const planIds = [...new Set([...purchases.values()].map((p) => p.planId))];
  const plans = new Map<string, Plan>();
  if (planIds.length > 0) {
    const found = await ctx.tx.execute<Row[]>(
      `select * from plans where tenant_id = ? and id in (${planIds.map(() => '?').join(', ')})`,
      [ctx.tenantId, ...planIds],
    );
    for (const p of found) plans.set(String(p.id), planOf(p));
  }
  const balances = new Map<string, Counters>();
  const ledger: ReturnType<typeof ledgerRow>[] = [];
  const updates: ReservationUpdate[] = [];
  const slow: string[] = [];

  for (const row of rows) {
    const r = reservationOf(row);
    const session = sessionOf(row);
    const item = itemOf(row);
    const purchase = r.purchaseId ? (purchases.get(r.purchaseId) ?? null) : null;
    const plan = purchase ? (plans.get(purchase.planId) ?? null) : null;
    const before = r.creditState;
    const steps: unknown[] = [];
    const due: { trigger: Trigger; at: Date }[] = [];
    if (!r.startedApplied && session.startsAt <= upTo)
      due.push({ trigger: 'session_started', at: session.startsAt });
    if (!r.endedApplied && session.endsAt <= upTo) due.push({ trigger: 'session_ended', at: session.endsAt });
    let needsSlowPath = false;
    for (const { trigger, at } of due) {
      const balance = purchase ? (balances.get(purchase.id) ?? { ...countersOf(purchase) }) : null;
      const remaining = balance
        ? balance.total - balance.held - balance.used - balance.deducted - balance.expired
        : 0;
      const decision = ctx.active.policy.decide(
        'usage',
        usageFacts({
          trigger,
          at,
          settings: ctx.active.policy.settings,
          item,
          session,
          plan,
          purchase,
          balance: balance ? { held: balance.held, used: balance.used, remaining } : undefined,
          reservation: r,
          checkedOutManually: Boolean(row.manual_checkout),
          clientId: r.clientId,
          channel: r.channel,
          price: session.price ?? item.price,
        }),
      );
      const event = decision.type as UsageEvent;
      const view: PurchaseView | null = purchase
        ? { ...(purchaseView(purchase) as PurchaseView), remaining }
        : null;
      const next = planTransition(
        { state: r.creditState, covered: r.coveredUnits },
        event,
        session.units,
        view,
      );
      if (next.kind === 'assign-first') {
        needsSlowPath = true;
        break;
      }
      if (next.kind === 'move') {
        if (next.posting && purchase && balance) {
          const after = applyDelta(balance, next.posting.kind, next.posting.delta, purchase.unlimited);
          balances.set(purchase.id, after);
          r.creditSeq += 1;
          const entry = ledgerRow(
            purchase.id,
            next.posting.kind,
            next.posting.delta,
            r.id,
            `r:${r.id}:${r.creditSeq}`,
            at,
            decision.rule,
            trigger,
          );
          ledger.push(entry);
          ctx.events.push({
            name: 'credit.changed',
            payload: {
              tenantId: ctx.tenantId,
              purchaseId: purchase.id,
              kind: next.posting.kind,
              ledgerEntryId: entry.id,
              reservationId: r.id,
              ticketId: null,
              policyVersion: ctx.active.version,
              remaining: after.total - after.held - after.used - after.deducted - after.expired,
            },
          });
        }
        r.creditState = next.state;
        r.coveredUnits = next.covered;
      }
      if (trigger === 'session_started') r.startedApplied = true;
      else r.endedApplied = true;
      const reason = decision.rule ? `rule '${decision.rule}' on ${trigger}` : `default on ${trigger}`;
      steps.push({ trigger, event, rule: decision.rule, reason, state: r.creditState, at: at.toISOString() });
    }
    if (needsSlowPath) {
      slow.push(r.id);
      continue;
    }
    if (!row.ended_applied && r.endedApplied) {
      if (r.creditState === 'used' && before !== 'used') stats.used += 1;
      else if (r.creditState === 'released' && before !== 'released') stats.released += 1;
      else stats.skipped += 1;
    }
    updates.push({
      id: r.id,
      state: r.creditState,
      covered: r.coveredUnits,
      seq: r.creditSeq,
      started: r.startedApplied,
      ended: r.endedApplied,
      steps,
    });
  }

  await writeLedger(ctx, ledger);
  await writeBalances(ctx, balances);
  await writeReservations(ctx, updates);
  // Rows changed behind the unit of work: nothing loaded before may be trusted now.
  ctx.locked.clear();
  if (slow.length > 0) {
    const rest = await applyDueTimeTriggers(ctx, upTo, { reservationIds: slow });
    stats.used += rest.used;
    stats.released += rest.released;
    stats.skipped += rest.skipped;
  }
  return stats;
}

// Plain rows shaped as the entities the fact builders read.
const countersOf = (p: Purchase): Counters => ({
  total: p.total,
  held: p.held,
  used: p.used,
  deducted: p.deducted,
  expired: p.expired,
});
