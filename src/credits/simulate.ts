import { invalid, PunchcardError } from '../errors.ts';
import type { Ruleset } from '../policy/ruleset-schema.ts';
import type { CreditContext } from './context.ts';
import { type Batch, listedChanges, type Simulation } from './replay.ts';
import { startReplay, tooLong } from './replay-thread.ts';
import { readPurchases, readReservations } from './snapshot.ts';
import type { ReservationSnap } from './types.ts';

export type { SimulatedChange } from './replay.ts';

/**
 * The most reservations one call replays and the widest range it takes (a 422 names
 * each), how many changes the answer lists, and how long one call may run (then 503).
 */
export const simulateLimits = {
  reservations: 100_000,
  rangeDays: 366,
  listedChanges,
  seconds: 30,
} as const;

/** Reservations read per set read and sent to the replay thread as one batch. */
const window = 500;

/** Seconds a caller refused because another simulate runs is told to wait. */
export const simulateRetryAfter = 5;

/** One simulate per process at a time: a second one answers 503 rather than queue. */
let running = false;

/**
 * Refuses a range holding more reservations than one call replays; else cuts the
 * range into windows of about `window` reservations each, at session starts (a
 * window never splits one start, so it may hold a few more).
 */
async function windowsOf(ctx: CreditContext, from: Date, to: Date): Promise<[Date, Date][]> {
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

/**
 * One session and one item object per id in a window (the replay reads them, never
 * writes them): the batch's structured clone then carries each once, not per reservation.
 */
function shared(reservations: ReservationSnap[]): ReservationSnap[] {
  const sessions = new Map<string, ReservationSnap['session']>();
  const items = new Map<string, ReservationSnap['item']>();
  for (const r of reservations) {
    const session = sessions.get(r.session.id);
    if (session) r.session = session;
    else sessions.set(r.session.id, r.session);
    const item = items.get(r.item.id);
    if (item) r.item = item;
    else items.set(r.item.id, r.item);
  }
  return reservations;
}

const byStart = (a: ReservationSnap, b: ReservationSnap) =>
  a.session.startsAt.getTime() - b.session.startsAt.getTime() || a.id.localeCompare(b.id);

/**
 * What a draft rule set would decide differently for the reservations of sessions
 * starting in [from, to), compared with what the active one decided. Reads only.
 * Bounded (see `simulateLimits`) and kept off the request thread: this thread reads
 * a window of reservations and their clients' purchases at a time and posts it to a
 * worker thread (replay.ts, simulate-worker.ts), which replays it at
 * a lower priority while this thread reads the next window. One per process at a time.
 */
export async function simulate(
  ctx: CreditContext,
  draft: { ruleset: Ruleset; hash: string },
  from: Date,
  to: Date,
  seconds: number = simulateLimits.seconds,
): Promise<Simulation> {
  if (to.getTime() - from.getTime() > simulateLimits.rangeDays * 86_400_000)
    throw invalid(
      '/to',
      `must be at most ${simulateLimits.rangeDays} days after from (simulate's limit per call)`,
    );
  if (running)
    throw new PunchcardError(
      'busy',
      'another simulate is running in this process; try again shortly',
      [],
      simulateRetryAfter,
    );
  running = true;
  const deadline = Date.now() + seconds * 1000;
  let thread: ReturnType<typeof startReplay> | undefined;
  try {
    const windows = await windowsOf(ctx, from, to);
    thread = startReplay(
      { ...draft, tenantId: ctx.tenantId, actor: ctx.actor, now: ctx.now.toISOString() },
      deadline,
      seconds,
    );
    // Clients whose purchases an earlier window brought: the worker keeps them for the run.
    const seen = new Set<string>();
    const readWindow = async ([start, end]: [Date, Date]): Promise<Batch> => {
      const reservations = shared([
        ...(await readReservations(ctx, { startingFrom: start, to: end })).values(),
      ]);
      const clientIds = [...new Set(reservations.map((r) => r.clientId))].filter((id) => !seen.has(id));
      for (const id of clientIds) seen.add(id);
      const purchases = await readPurchases(ctx, { clientIds }, false);
      return { reservations: reservations.sort(byStart), purchases: [...purchases.values()] };
    };
    const readAhead = (i: number) => {
      const w = windows[i];
      const reading = w ? readWindow(w) : Promise.resolve(null);
      // Awaited in the next round; a failure first elsewhere must not leave it unhandled.
      reading.catch(() => {});
      return reading;
    };
    let next = readAhead(0);
    for (let i = 0; i < windows.length; i++) {
      const batch = await next;
      if (Date.now() >= deadline) throw tooLong(seconds);
      // The database reads the next window while the worker takes this one.
      next = readAhead(i + 1);
      if (batch) await thread.send(batch);
    }
    return await thread.finish();
  } finally {
    running = false;
    await thread?.stop();
  }
}
