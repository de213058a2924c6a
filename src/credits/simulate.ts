import type { CreditState } from '../domain/enums.ts';
import { invalid } from '../errors.ts';
import type { CompiledPolicy, Trigger } from '../policy/index.ts';
import { newWork } from './changeset.ts';
import type { CreditContext } from './context.ts';
import { assignReservation, triggerReservation } from './decide.ts';
import { readPurchases, readReservations } from './snapshot.ts';
import type { PurchaseSnap, ReservationSnap } from './types.ts';
import { sharesOf } from './usage.ts';

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
const statusAfter: Partial<Record<Trigger, ReservationSnap['status']>> = {
  checked_in: 'checked_in',
  no_show: 'no_show',
  canceled: 'canceled',
  session_canceled: 'canceled',
};

function replay(
  ctx: CreditContext,
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
  const work = newWork(ctx, { version: 0, hash: '', policy }, copies, false);
  work.now = r.createdAt;
  if (original.manualPurchase && original.purchaseId)
    assignReservation(work, r, 'manual', original.purchaseId);
  const triggers: { trigger: Trigger; at: Date }[] = [...(original.history ?? [])];
  if (!original.startedApplied && r.session.startsAt <= ctx.now)
    triggers.push({ trigger: 'session_started', at: r.session.startsAt });
  if (!original.endedApplied && r.session.endsAt <= ctx.now)
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

/**
 * The most reservations one call replays and the widest range it takes (a 422 names
 * each), and how many changes the answer lists (the first by session start; the totals
 * count them all), so the answer stays small whatever the range holds.
 */
export const simulateLimits = { reservations: 100_000, rangeDays: 366, listedChanges: 1000 } as const;

/** Replayed between two yields to the event loop, so other requests (other tenants') run meanwhile. */
const chunk = 100;
const yieldToOthers = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Reservations read per set read: the next window is read while this one is replayed. */
const window = 1000;

/**
 * Refuses a range wider than the limit, or one holding more reservations than one call
 * replays; else cuts the range into windows of about `window` reservations each, at
 * session starts (a window never splits one start, so it may hold a few more).
 */
async function windowsOf(ctx: CreditContext, from: Date, to: Date): Promise<[Date, Date][]> {
  if (to.getTime() - from.getTime() > simulateLimits.rangeDays * 86_400_000)
    throw invalid(
      '/to',
      `must be at most ${simulateLimits.rangeDays} days after from (simulate's limit per call)`,
    );
  const rows = await ctx.tx.execute<{ starts_at: Date | string; n: string | number }[]>(
    `select starts_at, n from (
       select s.starts_at, count(*) over () as n, row_number() over (order by s.starts_at) as i
         from reservations r join sessions s on s.tenant_id = r.tenant_id and s.id = r.session_id
        where r.tenant_id = ? and s.starts_at >= ? and s.starts_at < ?) x
      where (i - 1) % ? = 0 order by i`,
    [ctx.tenantId, from, to, window],
  );
  const total = Number(rows[0]?.n ?? 0);
  if (total > simulateLimits.reservations)
    throw invalid(
      '/to',
      `the range holds ${total} reservations; simulate replays at most ${simulateLimits.reservations} per call: narrow from/to`,
    );
  const starts = rows.map((r) => new Date(r.starts_at));
  const cuts = [...new Set([from, ...starts.slice(1)].map((d) => d.getTime()))].map((ms) => new Date(ms));
  return cuts.map((start, i) => [start, cuts[i + 1] ?? to]);
}

const byStart = (a: ReservationSnap, b: ReservationSnap) =>
  a.session.startsAt.getTime() - b.session.startsAt.getTime() || a.id.localeCompare(b.id);

/**
 * What a draft rule set would decide differently for the reservations of sessions
 * starting in [from, to), compared with what the active one decided. Reads only.
 * Bounded (see `simulateLimits`) and shared fairly: reservations are read a window at
 * a time (the next read runs while this window is replayed), purchases are grouped by
 * client, and the replay yields to the event loop every `chunk` reservations.
 */
export async function simulate(ctx: CreditContext, draft: CompiledPolicy, from: Date, to: Date) {
  const windows = await windowsOf(ctx, from, to);
  const read = (i: number) => {
    const w = windows[i];
    const reading = w ? readReservations(ctx, { startingFrom: w[0], to: w[1] }) : Promise.resolve(null);
    // Awaited in the next round; a replay that throws first must not leave it unhandled.
    reading.catch(() => {});
    return reading;
  };
  const changes: SimulatedChange[] = [];
  const totalsBefore: Record<string, number> = {};
  const totalsAfter: Record<string, number> = {};
  let replayed = 0;
  let changed = 0;
  let next = read(0);
  for (let i = 0; i < windows.length; i++) {
    const reservations = [...((await next) ?? new Map<string, ReservationSnap>()).values()].sort(byStart);
    const purchases = await readPurchases(ctx, { clientIds: reservations.map((r) => r.clientId) }, false);
    // The database reads the next window while this one is replayed here.
    next = read(i + 1);
    const byClient = new Map<string, Map<string, PurchaseSnap>>();
    for (const [id, p] of purchases) {
      const mine = byClient.get(p.clientId) ?? new Map<string, PurchaseSnap>();
      byClient.set(p.clientId, mine.set(id, p));
    }
    for (const r of reservations) {
      if (++replayed % chunk === 0) await yieldToOthers();
      const before = { purchaseId: r.creditState === 'none' ? null : r.purchaseId, state: r.creditState };
      const after = replay(ctx, draft, r, byClient.get(r.clientId) ?? new Map());
      if (before.purchaseId !== after.purchaseId || before.state !== after.state) {
        changed++;
        tally(totalsBefore, before.state);
        tally(totalsAfter, after.state);
        if (changes.length < simulateLimits.listedChanges)
          changes.push({ reservationId: r.id, before, after });
      }
    }
    await yieldToOthers();
  }
  return {
    changes,
    totals: { reservations: replayed, changed, before: totalsBefore, after: totalsAfter },
  };
}

const tally = (counts: Record<string, number>, state: CreditState) => {
  counts[state] = (counts[state] ?? 0) + 1;
};
