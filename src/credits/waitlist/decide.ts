import { conflict, PunchcardError } from '../../errors.ts';
import type { CachedActive } from '../../policy/index.ts';
import { choosePurchase, creditsApply } from '../assign.ts';
import { post, workOn } from '../changeset.ts';
import type { CreditContext } from '../context.ts';
import { candidatesFor, decideBooking, payableOf, planFor, setShares } from '../decide.ts';
import type { Payable } from '../eligibility.ts';
import type { ChangeSet, ClientSnapshot, ItemSnap, ReservationSnap, SessionSnap, Work } from '../types.ts';
import { splitUnits } from '../usage.ts';
import { eventBase, type WaitlistEntrySnap } from './entry.ts';
import { mergeChanges } from './merge.ts';

/**
 * The waitlist's decisions (issue 20), pure like every decision: they work on the
 * one read's snapshot and record their effects in the change set that ledger.ts
 * commits. A held credit is a claim's hold, moved by the same state machine.
 */

type Ctx = Pick<CreditContext, 'tenantId' | 'actor' | 'now'>;

const touchEntry = (work: Work, entry: WaitlistEntrySnap, insert = false) => {
  work.cs.waitlist ??= new Map();
  const known = work.cs.waitlist.get(entry.id);
  work.cs.waitlist.set(entry.id, { entry, insert: known?.insert ?? insert });
};

/** Postings of one claim move, keyed `w:<entry>:<seq>` as a reservation's are `r:<id>:<seq>`. */
function moveEntry(work: Work, entry: WaitlistEntrySnap, event: 'hold' | 'release', reason: string): void {
  const next = planFor(work, entry, event, entry.coveredUnits);
  if (next.kind !== 'move') return;
  for (const p of next.postings) {
    const purchase = work.purchases.get(p.purchaseId);
    if (!purchase) continue;
    entry.creditSeq += 1;
    post(work, purchase, {
      kind: p.kind,
      delta: p.delta,
      key: `w:${entry.id}:${entry.creditSeq}`,
      reason,
      at: work.now,
    });
  }
  entry.creditState = next.state;
  // A released entry keeps naming what it held (the shares), for the record.
  if (event === 'hold') {
    entry.coveredUnits = next.covered;
    setShares(entry, next.shares);
  } else entry.coveredUnits = 0;
  touchEntry(work, entry);
}

/** What a booking of the session would pay with: the line the rule set judges (no reservation yet). */
const payableFor = (clientId: string, session: SessionSnap, item: ItemSnap, at: Date): Payable => ({
  clientId,
  item,
  session,
  reservation: null,
  channel: 'in_store',
  price: session.price ?? item.price,
  units: session.units,
  at,
});

/**
 * Joins the line. With `holds` (the tenant's waitlistHoldsCredit) the credits the
 * booking would take are held now, chosen by the tenant's rules as a booking's
 * are: none to hold is a 409 (a session priced $0 that uses no credit holds nothing).
 */
export function decideJoin(
  work: Work,
  join: { id: string; clientId: string; session: SessionSnap; item: ItemSnap; position: number },
  holds: boolean,
): WaitlistEntrySnap {
  const entry: WaitlistEntrySnap = {
    id: join.id,
    sessionId: join.session.id,
    clientId: join.clientId,
    status: 'waiting',
    joinedAt: work.now,
    endedAt: null,
    purchaseId: null,
    creditState: 'none',
    coveredUnits: 0,
    creditSeq: 0,
    reservationId: null,
    reason: null,
  };
  touchEntry(work, entry, true);
  const line = payableFor(join.clientId, join.session, join.item, work.now);
  if (holds && creditsApply(work.policy, line)) {
    const trace = choosePurchase(work.policy, line, candidatesFor(work, join.clientId, join.item.id), 'auto');
    if (!trace.winner)
      throw conflict(
        `client '${join.clientId}' has no credit to hold for session '${join.session.id}': ${trace.summary}`,
      );
    const shares = splitUnits(line.units, trace.ordered);
    setShares(entry, shares);
    entry.creditState = 'assigned';
    entry.coveredUnits = shares.reduce((n, s) => n + s.units, 0);
    moveEntry(work, entry, 'hold', `waitlist hold for session '${join.session.id}'`);
  }
  work.cs.events.push({
    name: 'waitlist.joined',
    payload: { ...eventBase(work.tenantId, entry), position: join.position },
  });
  return entry;
}

/** Leaves the line: a held credit comes back (as a reservation's hold is released). */
export function decideLeave(work: Work, entry: WaitlistEntrySnap): void {
  const before = eventBase(work.tenantId, entry);
  moveEntry(work, entry, 'release', `left the waitlist of session '${entry.sessionId}'`);
  entry.status = 'left';
  entry.endedAt = work.now;
  entry.reason = `left (${work.actor})`;
  touchEntry(work, entry);
  work.cs.events.push({ name: 'waitlist.left', payload: before });
}

/**
 * The line closes without a seat for the entry (the studio canceled the session):
 * a held credit comes back and the client is told why, as a skip.
 */
export function decideLineClosed(work: Work, entry: WaitlistEntrySnap, reason: string): void {
  const held = eventBase(work.tenantId, entry);
  moveEntry(work, entry, 'release', `waitlist of session '${entry.sessionId}' closed: ${reason}`);
  entry.status = 'skipped';
  entry.endedAt = work.now;
  entry.reason = reason;
  touchEntry(work, entry);
  work.cs.events.push({ name: 'waitlist.skipped', payload: { ...held, reason } });
}

export interface PromotionDecision {
  changes: ChangeSet;
  entry: WaitlistEntrySnap;
  /** The reservation booked, or null when the client was skipped (the entry's reason says why). */
  reservation: ReservationSnap | null;
}

/**
 * A spot opened: the first waiting client is booked as any booking is (decideBooking:
 * the tenant's rules choose the credit) on their one read's snapshot, after their
 * held credit is given back so the booking can take it. A client the booking would
 * refuse, or who has no eligible credit left where the session needs one (the held
 * credit spent, voided or expired meanwhile, or none held and none left), is
 * skipped: the entry ends with the reason, and only the release is kept.
 */
export function decidePromotion(
  snapshot: ClientSnapshot,
  active: CachedActive,
  waiting: WaitlistEntrySnap,
  reservationId: string,
  ctx: Ctx,
): PromotionDecision {
  const work = workOn(ctx, active, snapshot);
  const entry = structuredClone(waiting);
  const held = eventBase(ctx.tenantId, entry);
  moveEntry(work, entry, 'release', `waitlist spot opened in session '${entry.sessionId}'`);
  entry.endedAt = ctx.now;
  const skip = (reason: string): PromotionDecision => {
    entry.status = 'skipped';
    entry.reason = reason;
    touchEntry(work, entry);
    work.cs.events.push({ name: 'waitlist.skipped', payload: { ...held, reason } });
    return { changes: work.cs, entry, reservation: null };
  };
  let booked: ReturnType<typeof decideBooking>;
  try {
    booked = decideBooking(
      { ...snapshot, purchases: work.purchases },
      active,
      { id: reservationId, clientId: entry.clientId, sessionId: entry.sessionId, channel: 'in_store' },
      ctx,
    );
  } catch (error) {
    if (error instanceof PunchcardError) return skip(error.message);
    throw error;
  }
  const r = booked.reservation;
  if (r.purchaseId === null && creditsApply(active.policy, payableOf(r, ctx.now)))
    return skip(`no eligible credit: ${booked.explain?.assignment?.summary ?? 'none'}`);
  entry.status = 'promoted';
  entry.reservationId = r.id;
  touchEntry(work, entry);
  mergeChanges(work.cs, booked.changes);
  work.cs.events.push({ name: 'waitlist.promoted', payload: { ...held, reservationId: r.id } });
  return { changes: work.cs, entry, reservation: r };
}
