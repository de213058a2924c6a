import type { CreditState } from '../domain/enums.ts';
import { Item } from '../domain/item.ts';
import { Plan } from '../domain/plan.ts';
import { Purchase } from '../domain/purchase.ts';
import { Reservation } from '../domain/reservation.ts';
import { Session } from '../domain/session.ts';
import type { CompiledPolicy, Trigger } from '../policy/index.ts';
import { choosePurchase, creditsApply } from './assign.ts';
import type { CreditContext } from './context.ts';
import type { Candidate } from './eligibility.ts';
import { usageFacts } from './facts.ts';
import type { ReservationExplain } from './reservation-credit.ts';
import { planTransition, type UsageEvent } from './transitions.ts';

export interface SimulatedChange {
  reservationId: string;
  before: { purchaseId: string | null; state: CreditState };
  after: { purchaseId: string | null; state: CreditState };
}

interface Outcome {
  purchaseId: string | null;
  state: CreditState;
}

/**
 * Replays one reservation under a policy, purely: the assignment it would get from
 * the client's purchases, then every trigger it has seen (from its recorded
 * history, plus the time triggers already due). Balances are taken as they are
 * now, without the other reservations' competing claims.
 */
function replay(
  policy: CompiledPolicy,
  r: Reservation,
  session: Session,
  item: Item,
  candidates: Candidate[],
  triggers: { trigger: Trigger; at: Date }[],
): Outcome {
  const line = {
    clientId: r.clientId,
    item,
    session,
    reservation: r,
    channel: r.channel,
    price: session.price ?? item.price,
    units: session.units,
    at: r.createdAt,
  };
  let chosen: Candidate | null = null;
  const assign = () => {
    if (!creditsApply(policy, line)) return null;
    if (r.manualPurchase) return candidates.find((c) => c.purchase.id === r.purchaseId) ?? null;
    return choosePurchase(policy, line, candidates).winner;
  };
  chosen = assign();
  let state: CreditState = chosen ? 'assigned' : 'none';
  let covered = chosen
    ? Math.min(
        line.units,
        chosen.purchase.unlimited ? line.units : chosen.purchase.remaining + r.coveredUnits,
      )
    : 0;
  for (const { trigger, at } of triggers) {
    const decision = policy.decide(
      'usage',
      usageFacts({
        trigger,
        at,
        settings: policy.settings,
        item,
        session,
        plan: chosen?.plan ?? null,
        purchase: chosen?.purchase ?? null,
        reservation: r,
        clientId: r.clientId,
        channel: r.channel,
        price: line.price,
      }),
    );
    const view = chosen
      ? {
          remaining: chosen.purchase.remaining + r.coveredUnits,
          unlimited: chosen.purchase.unlimited,
          expired: false,
        }
      : null;
    let next = planTransition({ state, covered }, decision.type as UsageEvent, line.units, view);
    if (next.kind === 'assign-first') {
      chosen = assign();
      if (!chosen) continue;
      state = 'assigned';
      covered = Math.min(line.units, chosen.purchase.remaining + r.coveredUnits);
      next = planTransition({ state, covered }, decision.type as UsageEvent, line.units, view);
    }
    if (next.kind === 'move') {
      state = next.state;
      covered = next.covered;
    }
  }
  return { purchaseId: state === 'none' ? null : (chosen?.purchase.id ?? null), state };
}

/**
 * What a draft rule set would decide differently for the reservations of sessions
 * starting in [from, to), compared with what the active one decided. Reads only.
 */
export async function simulate(ctx: CreditContext, draft: CompiledPolicy, from: Date, to: Date) {
  const sessions = await ctx.tx.find(
    Session,
    { startsAt: { $gte: from, $lt: to } },
    { orderBy: { startsAt: 'asc', id: 'asc' } },
  );
  const changes: SimulatedChange[] = [];
  let considered = 0;
  const itemCache = new Map<string, Item>();
  for (const session of sessions) {
    const item = itemCache.get(session.itemId) ?? (await ctx.tx.findOneOrFail(Item, { id: session.itemId }));
    itemCache.set(item.id, item);
    const reservations = await ctx.tx.find(
      Reservation,
      { sessionId: session.id },
      { orderBy: { id: 'asc' } },
    );
    for (const r of reservations) {
      considered += 1;
      const purchases = await ctx.tx.find(Purchase, { clientId: r.clientId, status: { $ne: 'voided' } });
      const plans = await ctx.tx.find(Plan, { id: { $in: [...new Set(purchases.map((p) => p.planId))] } });
      const planOf = new Map(plans.map((p) => [p.id, p]));
      const candidates = purchases
        .map((purchase) => ({ purchase, plan: planOf.get(purchase.planId) as Plan }))
        .filter((c) => c.plan.itemIds.includes(item.id));
      const history = ((r.explain as ReservationExplain | null)?.usage ?? []).map((u) => ({
        trigger: u.trigger,
        at: new Date(u.at),
      }));
      const due: { trigger: Trigger; at: Date }[] = [];
      if (!r.startedApplied && session.startsAt <= ctx.now)
        due.push({ trigger: 'session_started', at: session.startsAt });
      if (!r.endedApplied && session.endsAt <= ctx.now)
        due.push({ trigger: 'session_ended', at: session.endsAt });
      const before = {
        purchaseId: r.creditState === 'none' ? null : (r.purchaseId ?? null),
        state: r.creditState,
      };
      const after = replay(draft, r, session, item, candidates, [...history, ...due]);
      if (before.purchaseId !== after.purchaseId || before.state !== after.state) {
        changes.push({ reservationId: r.id, before, after });
      }
    }
  }
  const count = (pick: (c: SimulatedChange) => CreditState) => {
    const counts: Record<string, number> = {};
    for (const c of changes) counts[pick(c)] = (counts[pick(c)] ?? 0) + 1;
    return counts;
  };
  return {
    changes,
    totals: {
      reservations: considered,
      changed: changes.length,
      before: count((c) => c.before.state),
      after: count((c) => c.after.state),
    },
  };
}
