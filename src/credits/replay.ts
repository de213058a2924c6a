import type { CreditState } from '../domain/enums.ts';
import type { CompiledPolicy, Trigger } from '../policy/index.ts';
import { newWork } from './changeset.ts';
import type { CreditContext } from './context.ts';
import { assignReservation, triggerReservation } from './decide.ts';
import type { PurchaseSnap, ReservationSnap } from './types.ts';
import { sharesOf } from './usage.ts';

/** What a replay needs of the request: whose data, and the clock it was asked at. */
export type ReplayClock = Pick<CreditContext, 'tenantId' | 'actor' | 'now'>;

export interface SimulatedChange {
  reservationId: string;
  before: { purchaseId: string | null; state: CreditState };
  after: { purchaseId: string | null; state: CreditState };
}

/** How many changes an answer lists (the first by session start; the totals count them all). */
export const listedChanges = 1000;

/**
 * Replays one reservation under a policy: snapshot → decide, never commit. The
 * same decisions as every operation (assignment as of its booking, then every
 * trigger it has seen and the time triggers already due), on copies of the
 * client's purchases as they are now with this reservation's own credit given
 * back, without the other reservations' competing claims.
 */
const statusAfter: Partial<Record<Trigger, ReservationSnap['status']>> = {
  checked_in: 'checked_in',
  no_show: 'no_show',
  canceled: 'canceled',
  session_canceled: 'canceled',
};

export function replay(
  clock: ReplayClock,
  policy: CompiledPolicy,
  original: ReservationSnap,
  purchases: Map<string, PurchaseSnap>,
): { purchaseId: string | null; state: CreditState } {
  const copies = new Map([...purchases].map(([id, p]) => [id, { ...p }]));
  if (original.creditState === 'held' || original.creditState === 'used') {
    // Each purchase that pays a share gets that share back (B10 across purchases).
    for (const share of sharesOf(original)) {
      const own = copies.get(share.purchaseId);
      if (own) own.remaining += share.units;
    }
  }
  // Replayed from scratch: the penalty it got is decided again by the draft (issue 20).
  const { shares: _, penalty: __, ...unshared } = original;
  const r: ReservationSnap = {
    ...unshared,
    purchaseId: null,
    creditState: 'none',
    coveredUnits: 0,
    startedApplied: false,
    endedApplied: false,
  };
  const work = newWork(clock, { version: 0, hash: '', policy }, copies, false);
  work.now = r.createdAt;
  if (original.manualPurchase && original.purchaseId)
    assignReservation(work, r, 'manual', original.purchaseId);
  const triggers: { trigger: Trigger; at: Date }[] = [...(original.history ?? [])];
  if (!original.startedApplied && r.session.startsAt <= clock.now)
    triggers.push({ trigger: 'session_started', at: r.session.startsAt });
  if (!original.endedApplied && r.session.endsAt <= clock.now)
    triggers.push({ trigger: 'session_ended', at: r.session.endsAt });
  // With its whole history, the status moves as it did, so each trigger sees the status
  // it saw then (a late cancel is judged as a cancel of a booked reservation).
  if (triggers[0]?.trigger === 'booked') r.status = 'booked';
  for (const { trigger, at } of triggers) {
    if (trigger === 'booked' && !r.manualPurchase) assignReservation(work, r, 'auto');
    const moved = statusAfter[trigger];
    if (moved && triggers[0]?.trigger === 'booked') r.status = moved;
    triggerReservation(work, r, trigger, at);
  }
  return { purchaseId: r.creditState === 'none' ? null : r.purchaseId, state: r.creditState };
}

/** A simulation's answer as it grows, one batch of reservations at a time. */
export interface Simulation {
  changes: SimulatedChange[];
  totals: {
    reservations: number;
    changed: number;
    before: Record<string, number>;
    after: Record<string, number>;
  };
}

export const emptySimulation = (): Simulation => ({
  changes: [],
  totals: { reservations: 0, changed: 0, before: {}, after: {} },
});

const tally = (counts: Record<string, number>, state: CreditState) => {
  counts[state] = (counts[state] ?? 0) + 1;
};

/**
 * A window of reservations (in session-start order) and the purchases of their
 * clients not seen in an earlier window of the run.
 */
export interface Batch {
  reservations: ReservationSnap[];
  purchases: PurchaseSnap[];
}

/** A run's purchases by client id (a shared purchase under its owner and each member). */
export type PurchasesByClient = Map<string, Map<string, PurchaseSnap>>;

/**
 * Replays a batch (reservations in session-start order, with the purchases of those
 * of their clients no earlier batch of the run brought) into `into`. Purchases are
 * grouped by client into `byClient`, which a run keeps from batch to batch, so a run
 * is linear in its reservations and its clients' purchases (each read once).
 */
export function replayBatch(
  into: Simulation,
  clock: ReplayClock,
  policy: CompiledPolicy,
  batch: Batch,
  byClient: PurchasesByClient = new Map(),
): void {
  for (const p of batch.purchases) {
    // A shared purchase can pay for its owner and for each member of its pool.
    for (const clientId of [p.clientId, ...(p.pool?.members ?? [])]) {
      const mine = byClient.get(clientId) ?? new Map<string, PurchaseSnap>();
      byClient.set(clientId, mine.set(p.id, p));
    }
  }
  const none = new Map<string, PurchaseSnap>();
  for (const r of batch.reservations) {
    into.totals.reservations++;
    const before = { purchaseId: r.creditState === 'none' ? null : r.purchaseId, state: r.creditState };
    const after = replay(clock, policy, r, byClient.get(r.clientId) ?? none);
    if (before.purchaseId === after.purchaseId && before.state === after.state) continue;
    into.totals.changed++;
    tally(into.totals.before, before.state);
    tally(into.totals.after, after.state);
    if (into.changes.length < listedChanges) into.changes.push({ reservationId: r.id, before, after });
  }
}
