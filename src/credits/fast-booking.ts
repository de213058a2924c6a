import { sql } from 'kysely';
import type { Reservation } from '../domain/reservation.ts';
import { newId } from '../ids.ts';
import { choosePurchase, creditsApply } from './assign.ts';
import { applyDelta } from './balance.ts';
import type { CreditContext } from './context.ts';
import type { Candidate, Payable } from './eligibility.ts';
import { usageFacts } from './facts.ts';
import { creditLabel } from './labels.ts';
import type { ReservationExplain } from './reservation-credit.ts';
import type { BookingInput } from './reservations.ts';
import { itemOf, planOf, purchaseOf, type Row, sessionOf } from './rows.ts';
import { planTransition, purchaseView, type UsageEvent } from './transitions.ts';

/**
 * The common booking — a session still ahead, nothing due for the client — in six
 * plain statements instead of the general path's ORM round trips. The decisions are
 * the same functions book() uses (fixed checks, the rule set's eligibility and
 * order, the `booked` usage rule, the claim state machine), so the outcome, the
 * ledger entry and the explanation are identical; anything less common (a missing
 * client or session, a session already started, time triggers or expiry due, a
 * policy that uses the credit at booking) returns null and book() takes over.
 */
export async function bookQuickly(ctx: CreditContext, input: BookingInput) {
  const db = ctx.tx.getKysely();
  const t = ctx.tenantId;
  // The client's lock, the session and whether anything is due, in one round trip.
  const found = await sql<Row>`
    with client as (select id from clients where tenant_id = ${t} and id = ${input.clientId} for update)
    select s.id as session_id, s.item_id, s.location_id, s.starts_at, s.ends_at, s.price as s_price, s.units,
           i.kind as i_kind, i.price as i_price, i.item_type as i_item_type, i.bucket_type as i_bucket_type,
           (select count(*) from client) as client_found,
           exists (select 1 from reservations r join sessions rs on rs.tenant_id = r.tenant_id and rs.id = r.session_id
                    where r.tenant_id = s.tenant_id and r.client_id = ${input.clientId}
                      and ((not r.started_applied and rs.starts_at <= ${ctx.now}) or (not r.ended_applied and rs.ends_at <= ${ctx.now}))) as triggers_due,
           exists (select 1 from purchases p where p.tenant_id = s.tenant_id and p.client_id = ${input.clientId}
                      and p.status in ('active', 'on_hold') and p.expires_at < ${ctx.now}) as expiry_due
      from sessions s join items i on i.tenant_id = s.tenant_id and i.id = s.item_id
     where s.tenant_id = ${t} and s.id = ${input.sessionId}`.execute(db);
  const row = found.rows[0];
  if (!row || Number(row.client_found) === 0 || row.triggers_due || row.expiry_due) return null;
  const session = sessionOf(row);
  if (session.startsAt <= ctx.now) return null;
  const item = itemOf(row);
  const candidates: Candidate[] = (
    await sql<Row>`
      select p.*, pl.kind as pl_kind, pl.credits as pl_credits, pl.unlimited as pl_unlimited, pl.price as pl_price,
             pl.days_to_expire as pl_days_to_expire, pl.one_day as pl_one_day, pl.bucket_type as pl_bucket_type,
             pl.item_type as pl_item_type, pl.priority as pl_priority, pl.item_ids as pl_item_ids
        from purchases p join plans pl on pl.tenant_id = p.tenant_id and pl.id = p.plan_id
       where p.tenant_id = ${t} and p.client_id = ${input.clientId} and p.status <> 'voided' and ${item.id} = any(pl.item_ids)
       order by p.id
       for update of p`.execute(db)
  ).rows.map((r) => ({ purchase: purchaseOf(r), plan: planOf({ ...unprefixed(r, 'pl_'), id: r.plan_id }) }));

  const reservation = {
    id: input.id ?? newId('res'),
    clientId: input.clientId,
    sessionId: session.id,
    channel: input.channel,
    status: 'booked',
    purchaseId: null as string | null,
    manualPurchase: false,
    creditState: 'none',
    coveredUnits: 0,
    creditSeq: 0,
  } as Reservation;
  const line: Payable = {
    clientId: input.clientId,
    item,
    session,
    reservation,
    channel: input.channel,
    price: session.price ?? item.price,
    units: session.units,
    at: ctx.now,
  };
  const explain: ReservationExplain = {
    assignment: null,
    usage: [],
    policyVersion: ctx.active.version,
    policyHash: ctx.active.hash,
  };
  let winner: Candidate | null = null;
  if (!creditsApply(ctx.active.policy, line)) {
    explain.assignment = {
      considered: [],
      order: [],
      orderRule: null,
      chosen: null,
      summary: 'price is $0 and zeroPriceUsesCredits is off: no credit',
    };
  } else {
    const { winner: chosen, ...trace } = choosePurchase(ctx.active.policy, line, candidates, 'auto');
    explain.assignment = trace;
    winner = chosen;
    if (winner) {
      reservation.purchaseId = winner.purchase.id;
      reservation.creditState = 'assigned';
      reservation.coveredUnits = winner.purchase.unlimited
        ? line.units
        : Math.min(line.units, winner.purchase.remaining);
    }
  }
  const decision = ctx.active.policy.explain(
    'usage',
    usageFacts({
      trigger: 'booked',
      at: ctx.now,
      settings: ctx.active.policy.settings,
      item,
      session,
      plan: winner?.plan ?? null,
      purchase: winner?.purchase ?? null,
      reservation,
      clientId: input.clientId,
      channel: input.channel,
      price: line.price,
    }),
  );
  const event = decision.type as UsageEvent;
  const next = planTransition(
    { state: reservation.creditState, covered: reservation.coveredUnits },
    event,
    line.units,
    purchaseView(winner?.purchase),
  );
  // Using a credit at booking needs the running count for its label: the general path.
  if (next.kind === 'move' && next.state === 'used') return null;

  // The ledger entry and the balance ride along with the reservation's insert.
  let ledgerWrite = sql``;
  if (next.kind === 'move') {
    if (next.posting && winner) {
      const after = applyDelta(
        winner.purchase,
        next.posting.kind,
        next.posting.delta,
        winner.purchase.unlimited,
      );
      reservation.creditSeq = 1;
      const ledgerEntryId = newId('le');
      const reason = decision.rule ? `rule '${decision.rule}' on booked` : 'default on booked';
      ledgerWrite = sql`
        with ledger as (
          insert into ledger_entries (tenant_id, id, purchase_id, kind, total, held, used, deducted, expired,
            reservation_id, ticket_id, actor, reason, idempotency_key, policy_version, occurred_at)
          values (${t}, ${ledgerEntryId}, ${winner.purchase.id}, ${next.posting.kind}, 0, ${next.posting.delta.held ?? 0},
            ${next.posting.delta.used ?? 0}, 0, 0, ${reservation.id}, null, ${ctx.actor}, ${reason},
            ${`r:${reservation.id}:1`}, ${ctx.active.version}, ${ctx.now})),
        balance as (
          update purchases set held = ${after.held}, used = ${after.used}, remaining = ${after.remaining}
           where tenant_id = ${t} and id = ${winner.purchase.id})
      `;
      ctx.events.push({
        name: 'credit.changed',
        payload: {
          tenantId: t,
          purchaseId: winner.purchase.id,
          kind: next.posting.kind,
          ledgerEntryId,
          reservationId: reservation.id,
          ticketId: null,
          policyVersion: ctx.active.version,
          remaining: after.remaining,
        },
      });
    }
    reservation.creditState = next.state;
    reservation.coveredUnits = next.covered;
    if (next.state === 'none') reservation.purchaseId = null;
  }
  explain.usage = [
    {
      trigger: 'booked',
      event,
      rule: decision.rule,
      matched: decision.matched.map((m) => m.rule),
      reason: decision.reason,
      state: reservation.creditState,
      at: ctx.now.toISOString(),
    },
  ];
  // Inserted last, with its final state; a taken id or a second live booking of this
  // client for this session fails on the database's unique keys (409).
  await sql`${ledgerWrite}
    insert into reservations (tenant_id, id, client_id, session_id, channel, status, purchase_id, manual_purchase,
      credit_state, covered_units, credit_seq, started_applied, ended_applied, policy_version, explain, created_at)
    values (${t}, ${reservation.id}, ${input.clientId}, ${session.id}, ${input.channel}, 'booked', ${reservation.purchaseId},
      false, ${reservation.creditState}, ${reservation.coveredUnits}, ${reservation.creditSeq}, false, false,
      ${ctx.active.version}, ${JSON.stringify(explain)}::jsonb, ${ctx.now})`.execute(db);
  ctx.events.push({
    name: 'reservation.changed',
    payload: {
      tenantId: t,
      reservationId: reservation.id,
      status: 'booked',
      creditState: reservation.creditState,
    },
  });
  const plan = winner?.plan;
  return {
    id: reservation.id,
    clientId: input.clientId,
    sessionId: session.id,
    channel: input.channel,
    status: 'booked',
    purchaseId: reservation.creditState === 'none' ? null : reservation.purchaseId,
    manualPurchase: false,
    credit: { state: reservation.creditState, units: reservation.coveredUnits },
    label: plan
      ? creditLabel({
          kind: plan.kind,
          state: reservation.creditState,
          total: 0,
          unlimited: false,
          usedSoFar: 0,
          threshold: ctx.active.policy.settings.unlimitedLabelThreshold,
        })
      : null,
    explain,
  };
}

const unprefixed = (row: Row, prefix: string): Row =>
  Object.fromEntries(
    Object.entries(row)
      .filter(([k]) => k.startsWith(prefix))
      .map(([k, v]) => [k.slice(prefix.length), v]),
  );
