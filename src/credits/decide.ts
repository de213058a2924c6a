import type { Channel } from '../domain/enums.ts';
import { conflict, invalid, unknownReference } from '../errors.ts';
import type { CachedActive, Trigger } from '../policy/index.ts';
import { choosePurchase, creditsApply } from './assign.ts';
import { post, stepsKept, touchLine, touchReservation, workOn } from './changeset.ts';
import type { CreditContext } from './context.ts';
import { applyDueTimeTriggers, decideDue } from './due.ts';
import type { AssignMode, Payable } from './eligibility.ts';
import { usageFacts } from './facts.ts';
import { forfeitStands } from './penalty.ts';
import { penaltyStep } from './penalty-step.ts';
import { cappedView, mayPay } from './pool.ts';
import { reservationChanged } from './reservation-event.ts';
import type {
  ChangeSet,
  ClaimSnap,
  ClientSnapshot,
  LineSnap,
  Posting,
  PurchaseSnap,
  ReservationChange,
  ReservationExplain,
  ReservationSnap,
  TicketSnap,
  UsageStep,
  Work,
} from './types.ts';
import {
  type ClaimTransition,
  planClaim,
  purchaseView,
  type Share,
  sharesOf,
  splitUnits,
  type UsageEvent,
} from './usage.ts';
import { capRefusalPrefix, countVisit, refusingCap } from './visit-cap.ts';

/**
 * The decisions every credit operation is made of, on working snapshot data: pure
 * (no I/O, no clock; the instant is given), each one recording its effect in the
 * change set that ledger.ts commits.
 */

export const payableOf = (r: ReservationSnap, at: Date): Payable => ({
  clientId: r.clientId,
  item: r.item,
  session: r.session,
  reservation: r,
  channel: r.channel,
  price: r.session.price ?? r.item.price,
  units: r.session.units,
  at,
});

/** The client's purchases, and those shared with it, of plans covering the item (the voided ones can never pay). */
export const candidatesFor = (work: Work, clientId: string, itemId: string): PurchaseSnap[] =>
  [...work.purchases.values()].filter(
    (p) => mayPay(p, clientId) && p.status !== 'voided' && p.plan.itemIds.includes(itemId),
  );

/** A claim's key in ledger idempotency keys: `r:<reservation>` or `l:<ticket>:<line>`. */
const keyOf = (claim: ReservationSnap | LineSnap) =>
  'lineNo' in claim ? `l:${claim.ticketId}:${claim.lineNo}` : `r:${claim.id}`;

interface ClaimRef {
  reservationId: string | null;
  ticketId: string | null;
  lineNo: number | null;
}

/** A claim's shares as decided: the first names the claim's purchase; one share needs no list. */
export function setShares(claim: ClaimSnap, shares: Share[]): void {
  claim.purchaseId = shares[0]?.purchaseId ?? null;
  if (shares.length > 1) claim.shares = shares;
  else delete claim.shares;
}

/** The state machine's move for a claim, share by share, on the working purchases. */
export function planFor(work: Work, claim: ClaimSnap, event: UsageEvent, units: number): ClaimTransition {
  // Taking credits for an assigned claim: a pool member takes no more than its cap leaves.
  const taker =
    claim.creditState === 'assigned'
      ? 'clientId' in claim
        ? String(claim.clientId)
        : work.clientId
      : undefined;
  return planClaim({ state: claim.creditState, shares: sharesOf(claim) }, event, units, (id) => {
    const p = work.purchases.get(id);
    return purchaseView(p && taker ? { ...p, ...cappedView(p, taker) } : p);
  });
}

/** Applies a planned move: one ledger posting per share that moves, and the claim's new state. */
export function applyMove(
  work: Work,
  claim: ReservationSnap | LineSnap,
  ref: ClaimRef,
  move: Extract<ClaimTransition, { kind: 'move' }>,
  reason: string,
  at: Date,
): void {
  for (const p of move.postings) {
    const purchase = work.purchases.get(p.purchaseId);
    if (!purchase) continue;
    claim.creditSeq += 1;
    post(work, purchase, {
      clientId: 'lineNo' in claim ? work.clientId : claim.clientId,
      kind: p.kind,
      delta: p.delta,
      key: `${keyOf(claim)}:${claim.creditSeq}`,
      reason,
      at,
      ...ref,
    });
  }
  claim.creditState = move.state;
  claim.coveredUnits = move.covered;
  setShares(claim, move.state === 'none' ? [] : move.shares);
  if ('lineNo' in claim) touchLine(work, claim);
  else touchReservation(work, claim);
}

/**
 * Picks the purchase for a reservation (auto: B2/B3/B4/B6/B8 through the rule set;
 * manual: staff's choice, B5) and marks it `assigned`. Returns the purchase, or null
 * with the trace saying why none.
 */
export function assignReservation(
  work: Work,
  r: ReservationSnap,
  mode: AssignMode,
  wanted?: string,
): { purchase: PurchaseSnap | null; trace: ReturnType<typeof choosePurchase> } {
  const line = payableOf(r, work.now);
  const change = touchReservation(work, r);
  if (!creditsApply(work.policy, line)) {
    const trace = {
      considered: [],
      order: [],
      orderRule: null,
      chosen: null,
      summary: 'price is $0 and zeroPriceUsesCredits is off: no credit',
      winner: null,
      ordered: [],
    };
    change.assignment = withoutWinner(trace);
    return { purchase: null, trace };
  }
  let candidates = candidatesFor(work, r.clientId, r.item.id);
  if (wanted) candidates = candidates.filter((c) => c.id === wanted);
  const trace = choosePurchase(work.policy, line, candidates, mode);
  change.assignment = withoutWinner(trace);
  const winner = trace.winner;
  if (!winner) return { purchase: null, trace };
  // B10 across purchases: the units the winner cannot cover fall to the next in the same order.
  const shares = splitUnits(
    line.units,
    trace.ordered.map((p) => cappedView(p, r.clientId)),
  );
  setShares(r, shares);
  r.creditState = 'assigned';
  r.coveredUnits = shares.reduce((n, share) => n + share.units, 0);
  r.manualPurchase = mode === 'manual';
  countVisit(work, r);
  return { purchase: winner, trace };
}

const withoutWinner = ({ winner: _, ordered: __, ...trace }: ReturnType<typeof choosePurchase>) => trace;

const reasonOf = (rule: string | null, trigger: string) =>
  rule ? `rule '${rule}' on ${trigger}` : `default on ${trigger}`;

/**
 * One lifecycle trigger on a reservation (SPEC §3 usage): the rule set decides
 * hold/use/release/keep and the state machine moves the credit. Time triggers are
 * judged as of their own instant (`at`). A reservation with nothing assigned yet
 * is assigned first when the decision needs a credit (B16).
 */
export function triggerReservation(
  work: Work,
  r: ReservationSnap,
  trigger: Trigger,
  at: Date = work.now,
  ticketId: string | null = null,
): UsageStep {
  let purchase = r.purchaseId ? (work.purchases.get(r.purchaseId) ?? null) : null;
  const facts = usageFacts({
    trigger,
    at,
    settings: work.policy.settings,
    item: r.item,
    session: r.session,
    purchase,
    reservation: r,
    ticket: r.ticket,
    clientId: r.clientId,
    channel: r.channel,
    price: r.session.price ?? r.item.price,
    forgiven: work.forgiven,
  });
  const decision = work.explainAll
    ? work.policy.explain('usage', facts)
    : { ...work.policy.decide('usage', facts), matched: undefined, reason: undefined };
  // Issue 20: a forfeited credit stands until a waive; forfeit and forgive are the pack's own moves.
  if (forfeitStands(r) && decision.type !== 'keep')
    return usageStepOf(
      work,
      r,
      trigger,
      at,
      decision,
      'keep',
      'the credit was forfeited: only a waive gives it back',
    );
  if (decision.type === 'forfeit' || decision.type === 'forgive') {
    const why = penaltyStep(work, r, trigger, at, decision.type, decision.rule, facts.penalty, ticketId);
    return usageStepOf(work, r, trigger, at, decision, decision.type, why);
  }
  const event = decision.type as UsageEvent;
  const units = r.session.units;
  let next = planFor(work, r, event, units);
  if (next.kind === 'assign-first') {
    purchase = assignReservation(work, r, 'auto').purchase;
    next = purchase ? planFor(work, r, event, units) : { kind: 'none' };
  }
  if (next.kind === 'move') {
    applyMove(
      work,
      r,
      { reservationId: r.id, ticketId, lineNo: null },
      next,
      reasonOf(decision.rule, trigger),
      at,
    );
  }
  const step: UsageStep = {
    trigger,
    event,
    rule: decision.rule,
    ...(decision.matched ? { matched: decision.matched.map((m) => m.rule) } : {}),
    reason: decision.reason ?? reasonOf(decision.rule, trigger),
    state: r.creditState,
    at: at.toISOString(),
  };
  touchReservation(work, r).steps.push(step);
  return step;
}

/** Records a usage step whose move was made elsewhere (the penalty pack, or a forfeit that stands). */
function usageStepOf(
  work: Work,
  r: ReservationSnap,
  trigger: Trigger,
  at: Date,
  decision: { rule: string | null; matched?: { rule: string }[] | undefined },
  event: UsageStep['event'],
  reason: string,
): UsageStep {
  const step: UsageStep = {
    trigger,
    event,
    rule: decision.rule,
    ...(decision.matched ? { matched: decision.matched.map((m) => m.rule) } : {}),
    reason,
    state: r.creditState,
    at: at.toISOString(),
  };
  touchReservation(work, r).steps.push(step);
  return step;
}

/**
 * A lifecycle trigger on a product line (a line with no reservation): decided as
 * for reservations (B13: products are used when the ticket is saved or closed). A
 * product line that got no credit at allocation never gets one later.
 */
export function triggerLine(
  work: Work,
  ticket: TicketSnap,
  clientId: string,
  line: LineSnap,
  trigger: Trigger,
): void {
  const purchase = line.purchaseId ? (work.purchases.get(line.purchaseId) ?? null) : null;
  const decision = work.policy.decide(
    'usage',
    usageFacts({
      trigger,
      at: work.now,
      settings: work.policy.settings,
      item: line.item,
      session: null,
      purchase,
      reservation: null,
      ticket,
      clientId,
      channel: 'in_store',
      price: line.unitPrice,
    }),
  );
  // The penalty pack's moves are a reservation's: on a product line they change nothing.
  const event = decision.type === 'forfeit' || decision.type === 'forgive' ? 'keep' : decision.type;
  const next = planFor(work, line, event as UsageEvent, line.units);
  if (next.kind === 'move') {
    applyMove(
      work,
      line,
      { reservationId: null, ticketId: ticket.id, lineNo: line.lineNo },
      next,
      reasonOf(decision.rule, trigger),
      work.now,
    );
  }
}

/** Gives a claim's credit back, whatever the policy (staff moves, B8): held → release, used → refund. */
export function releaseClaim(
  work: Work,
  claim: ReservationSnap | LineSnap,
  ref: ClaimRef,
  reason: string,
): void {
  const next = planFor(work, claim, 'release', claim.coveredUnits);
  if (next.kind === 'move') applyMove(work, claim, ref, next, reason, work.now);
}

/** Takes credits for a claim already `assigned`: held or used straight away (a staff move, B5). */
export function takeFor(work: Work, claim: ReservationSnap, state: 'held' | 'used', reason: string): void {
  const next = planFor(work, claim, state === 'held' ? 'hold' : 'use', claim.coveredUnits);
  if (next.kind === 'move')
    applyMove(work, claim, { reservationId: claim.id, ticketId: null, lineNo: null }, next, reason, work.now);
}

/** A booking as decided: its change set, and what the answer shows. */
export interface BookingDecision {
  changes: ChangeSet;
  reservation: ReservationSnap;
  explain: ReservationExplain | null;
  /** The purchases as the booking leaves them (the label's plan and counters). */
  purchases: Map<string, PurchaseSnap>;
  usedThrough: number;
}

/**
 * A booking (B2–B8, B12, B16), on the one read's snapshot: what time made due
 * first, then the assignment through the rule set and the `booked` trigger (a hold
 * for MyTime, nothing for gymGO), plus the time triggers at once when the session
 * already started. The snapshot is not touched: decide works on copies.
 */
export function decideBooking(
  snapshot: ClientSnapshot,
  active: CachedActive,
  request: { id: string; clientId: string; sessionId: string; channel: Channel; purchaseId?: string },
  ctx: Pick<CreditContext, 'tenantId' | 'actor' | 'now'>,
): BookingDecision {
  const found = snapshot.booking;
  if (!found?.session) throw unknownReference('/sessionId', 'session', request.sessionId);
  if (found.session.session.canceledAt)
    throw conflict(`session '${request.sessionId}' was canceled by the studio: it can no longer be booked`);
  if (found.idTaken) throw conflict(`reservation '${request.id}' already exists`);
  if (found.live)
    throw conflict(
      `client '${request.clientId}' is already booked into session '${request.sessionId}' (${found.live})`,
    );
  const { capacity } = found.session.session;
  if (capacity != null && (found.taken ?? 0) >= capacity)
    throw conflict(`session '${request.sessionId}' is full (${capacity} seats taken): join its waitlist`);
  const work = workOn(ctx, active, snapshot);
  decideDue(work);
  const r: ReservationSnap = {
    id: request.id,
    clientId: request.clientId,
    sessionId: request.sessionId,
    channel: request.channel,
    status: 'booked',
    purchaseId: null,
    manualPurchase: false,
    creditState: 'none',
    coveredUnits: 0,
    creditSeq: 0,
    startedApplied: false,
    endedApplied: false,
    createdAt: ctx.now,
    session: found.session.session,
    item: found.session.item,
    ticket: null,
    checkedOutManually: false,
  };
  work.reservations.set(r.id, r);
  const change = touchReservation(work, r, true);
  // Pay-with: the same automatic decision, among this one purchase only.
  const { trace } = assignReservation(work, r, 'auto', request.purchaseId);
  if (r.purchaseId === null) refuseOverCap(work, r, trace.considered);
  if (request.purchaseId && r.purchaseId !== request.purchaseId) {
    const why =
      trace.considered.find((v) => v.purchaseId === request.purchaseId)?.reason ??
      (trace.considered.length === 0 && trace.summary.startsWith('price is $0')
        ? trace.summary
        : `it is not a purchase of client '${request.clientId}' covering item '${r.item.id}'`);
    throw invalid('/purchaseId', `purchase '${request.purchaseId}' cannot pay for this booking: ${why}`);
  }
  triggerReservation(work, r, 'booked');
  if (r.session.startsAt <= ctx.now) applyDueTimeTriggers(work, [r], ctx.now);
  if (r.purchaseId === null) sayNoCreditOverCap(change);
  work.cs.events.push(reservationChanged(ctx, r, 'booked'));
  return {
    changes: work.cs,
    reservation: r,
    explain: explainAfter(null, change, work.cs.policy),
    purchases: work.purchases,
    usedThrough: usedThroughAfter(work.cs, { reservationId: r.id }, 0),
  };
}

/**
 * Visit caps (issue 20): nothing pays and a capped purchase was refused for its
 * cap. A plan in mode `refuse` refuses the booking (409); in mode `no_credit` it
 * is booked without a credit and the explanation says so.
 */
function refuseOverCap(work: Work, r: ReservationSnap, considered: { purchaseId: string; reason: string }[]) {
  const refusing = refusingCap(considered, work.purchases);
  if (!refusing) return;
  const { purchase, reason } = refusing;
  throw conflict(
    `the visit cap of plan '${purchase.plan.name}' (purchase '${purchase.id}') refuses this booking: ${reason}, and no other purchase of client '${r.clientId}' can pay`,
  );
}

function sayNoCreditOverCap(change: ReservationChange): void {
  const assignment = change.assignment;
  if (assignment?.chosen === null && assignment.considered.some((v) => v.reason.startsWith(capRefusalPrefix)))
    assignment.summary += '; booked without a credit: the plan books over its visit cap (mode no_credit)';
}

/** A reservation's explanation as the commit stores it: the new assignment if decided, the latest steps. */
export function explainAfter(
  stored: ReservationExplain | null,
  change: ReservationChange | undefined,
  policy: { version: number; hash: string },
): ReservationExplain | null {
  if (!change) return stored;
  return {
    assignment: change?.assignment !== undefined ? change.assignment : (stored?.assignment ?? null),
    usage: [...(stored?.usage ?? []), ...(change?.steps ?? [])].slice(-stepsKept),
    policyVersion: policy.version,
    policyHash: policy.hash,
  };
}

/** A claim's key among the snapshot's `usedThrough`: the reservation's id, or `ticket:line`. */
export const claimKey = (ref: { reservationId: string } | { ticketId: string; lineNo: number }) =>
  'reservationId' in ref ? ref.reservationId : `${ref.ticketId}:${ref.lineNo}`;

/** The purchase's credits used through the claim's latest use: from this change set if it used one, else as read. */
export function usedThroughAfter(
  cs: ChangeSet,
  ref: { reservationId: string } | { ticketId: string; lineNo: number },
  asRead: number,
): number {
  const mine = (p: Posting) =>
    'reservationId' in ref
      ? p.reservationId === ref.reservationId
      : p.reservationId === null && p.ticketId === ref.ticketId && p.lineNo === ref.lineNo;
  const uses = cs.postings.filter((p) => p.kind === 'use' && mine(p));
  return uses.length > 0 ? (uses[uses.length - 1] as Posting).usedAfter : asRead;
}
