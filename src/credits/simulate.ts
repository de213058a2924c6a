import type { CreditState } from '../domain/enums.ts';
import { invalid } from '../errors.ts';
import type { CompiledPolicy, Trigger } from '../policy/index.ts';
import type { CreditContext } from './context.ts';
import { assignReservation, triggerReservation } from './decide.ts';
import { type PurchaseSnap, type ReservationSnap, readPurchases, readReservations } from './snapshot.ts';
import { newWork } from './work.ts';

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
  const work = newWork(ctx, copies, false);
  work.policy = policy;
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

/** The most reservations one call replays, and the widest range it takes (a 422 names each). */
export const simulateLimits = { reservations: 100_000, rangeDays: 366 } as const;

/** Replayed between two yields to the event loop, so other requests (other tenants') run meanwhile. */
const chunk = 500;
const yieldToOthers = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Refuses a range wider than the limit, or one holding more reservations than one call replays. */
async function checkLimits(ctx: CreditContext, from: Date, to: Date): Promise<void> {
  if (to.getTime() - from.getTime() > simulateLimits.rangeDays * 86_400_000)
    throw invalid(
      '/to',
      `must be at most ${simulateLimits.rangeDays} days after from (simulate's limit per call)`,
    );
  const [{ n }] = await ctx.tx.execute<{ n: string | number }[]>(
    `select count(*) as n from reservations r join sessions s on s.tenant_id = r.tenant_id and s.id = r.session_id
      where r.tenant_id = ? and s.starts_at >= ? and s.starts_at < ?`,
    [ctx.tenantId, from, to],
  );
  if (Number(n) > simulateLimits.reservations)
    throw invalid(
      '/to',
      `the range holds ${Number(n)} reservations; simulate replays at most ${simulateLimits.reservations} per call: narrow from/to`,
    );
}

/**
 * What a draft rule set would decide differently for the reservations of sessions
 * starting in [from, to), compared with what the active one decided. Reads only.
 * Bounded (see `simulateLimits`) and linear: purchases are grouped by client once,
 * and the replay yields to the event loop every `chunk` reservations.
 */
export async function simulate(ctx: CreditContext, draft: CompiledPolicy, from: Date, to: Date) {
  await checkLimits(ctx, from, to);
  const reservations = [...(await readReservations(ctx, { startingFrom: from, to })).values()].sort(
    (a, b) => a.session.startsAt.getTime() - b.session.startsAt.getTime() || a.id.localeCompare(b.id),
  );
  const purchases = await readPurchases(ctx, { clientIds: reservations.map((r) => r.clientId) }, false);
  const byClient = new Map<string, Map<string, PurchaseSnap>>();
  for (const [id, p] of purchases) {
    let mine = byClient.get(p.clientId);
    if (!mine) byClient.set(p.clientId, (mine = new Map()));
    mine.set(id, p);
  }
  const none = new Map<string, PurchaseSnap>();
  const changes: SimulatedChange[] = [];
  for (const [i, r] of reservations.entries()) {
    if (i > 0 && i % chunk === 0) await yieldToOthers();
    const before = { purchaseId: r.creditState === 'none' ? null : r.purchaseId, state: r.creditState };
    const after = replay(ctx, draft, r, byClient.get(r.clientId) ?? none);
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
