import type { CreditState } from '../domain/enums.ts';
import type { CompiledPolicy, Trigger } from '../policy/index.ts';
import { newWork } from './changeset.ts';
import type { CreditContext } from './context.ts';
import { assignReservation, triggerReservation } from './decide.ts';
import { readPurchases, readReservations } from './snapshot.ts';
import type { PurchaseSnap, ReservationSnap } from './types.ts';

export interface SimulatedChange {
  reservationId: string;
  before: { purchaseId: string | null; state: CreditState };
  after: { purchaseId: string | null; state: CreditState };
}

/**
 * Replays one reservation under a policy: snapshot → decide, never commit. The
 * same decisions as every operation (assignment as of its booking, then every
 * trigger it has seen and the time triggers already due), on copies of the
 * client's purchases as they are now with this reservation's own credit given
 * back, without the other reservations' competing claims.
 */
function replay(
  ctx: CreditContext,
  policy: CompiledPolicy,
  original: ReservationSnap,
  purchases: Map<string, PurchaseSnap>,
): { purchaseId: string | null; state: CreditState } {
  const copies = new Map([...purchases].map(([id, p]) => [id, { ...p }]));
  const own = original.purchaseId ? copies.get(original.purchaseId) : undefined;
  if (own && (original.creditState === 'held' || original.creditState === 'used')) {
    own.remaining += original.coveredUnits;
  }
  const r: ReservationSnap = {
    ...original,
    purchaseId: null,
    creditState: 'none',
    coveredUnits: 0,
    startedApplied: false,
    endedApplied: false,
  };
  const work = newWork(ctx, { version: 0, hash: '', policy }, copies, false);
  work.now = r.createdAt;
  if (original.manualPurchase && original.purchaseId)
    assignReservation(work, r, 'manual', original.purchaseId);
  const triggers: { trigger: Trigger; at: Date }[] = [...(original.history ?? [])];
  if (!original.startedApplied && r.session.startsAt <= ctx.now)
    triggers.push({ trigger: 'session_started', at: r.session.startsAt });
  if (!original.endedApplied && r.session.endsAt <= ctx.now)
    triggers.push({ trigger: 'session_ended', at: r.session.endsAt });
  for (const { trigger, at } of triggers) {
    if (trigger === 'booked' && !r.manualPurchase) assignReservation(work, r, 'auto');
    triggerReservation(work, r, trigger, at);
  }
  return { purchaseId: r.creditState === 'none' ? null : r.purchaseId, state: r.creditState };
}

/**
 * What a draft rule set would decide differently for the reservations of sessions
 * starting in [from, to), compared with what the active one decided. Reads only.
 */
export async function simulate(ctx: CreditContext, draft: CompiledPolicy, from: Date, to: Date) {
  const reservations = [...(await readReservations(ctx, { startingFrom: from, to })).values()].sort(
    (a, b) => a.session.startsAt.getTime() - b.session.startsAt.getTime() || a.id.localeCompare(b.id),
  );
  const purchases = await readPurchases(ctx, { clientIds: reservations.map((r) => r.clientId) }, false);
  const changes: SimulatedChange[] = [];
  for (const r of reservations) {
    const mine = new Map([...purchases].filter(([, p]) => p.clientId === r.clientId));
    const before = { purchaseId: r.creditState === 'none' ? null : r.purchaseId, state: r.creditState };
    const after = replay(ctx, draft, r, mine);
    if (before.purchaseId !== after.purchaseId || before.state !== after.state) {
      changes.push({ reservationId: r.id, before, after });
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
      reservations: reservations.length,
      changed: changes.length,
      before: count((c) => c.before.state),
      after: count((c) => c.after.state),
    },
  };
}
