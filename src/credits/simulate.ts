import { serverUrlOf } from '../db/orm.ts';
import { invalid, PunchcardError } from '../errors.ts';
import type { Ruleset } from '../policy/ruleset-schema.ts';
import type { CreditContext } from './context.ts';
import { listedChanges, type Simulation } from './replay.ts';
import { startReplay, tooLong } from './replay-thread.ts';
import { readWindows } from './simulate-read.ts';

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

/**
 * Reservations per window, and windows read ahead of the one replayed: on PGlite
 * the request thread reads them (small windows: each is a stretch of its event loop);
 * on PostgreSQL the worker does, off the request thread (larger windows, and more in
 * flight on its pipelined connection: fewer round trips, each a wait for the CPU on
 * a busy machine).
 */
const reading = { thread: { size: 500, ahead: 1 }, worker: { size: 2000, ahead: 2 } } as const;

/** Seconds a caller refused because another simulate runs is told to wait. */
export const simulateRetryAfter = 5;

/** One simulate per process at a time: a second one answers 503 rather than queue. */
let running = false;

/**
 * Refuses a range holding more reservations than one call replays; else cuts the
 * range into windows of about `window` reservations each, at session starts (a
 * window never splits one start, so it may hold a few more).
 */
async function windowsOf(ctx: CreditContext, from: Date, to: Date, window: number): Promise<[Date, Date][]> {
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
 * What a draft rule set would decide differently for the reservations of sessions
 * starting in [from, to), compared with what the active one decided. Reads only.
 * Bounded (see `simulateLimits`) and kept off the request thread: this thread counts
 * the range and cuts it into windows; a worker thread (replay.ts, simulate-worker.ts)
 * replays them at a lower priority. On PostgreSQL the worker reads the windows too,
 * on a connection of its own, so this thread only waits; on PGlite (one connection)
 * this thread reads a window at a time (simulate-read.ts) and posts it to the worker,
 * reading the next while the worker replays it. One per process at a time.
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
    const url = serverUrlOf(ctx.tx);
    const { size, ahead } = url ? reading.worker : reading.thread;
    const windows = await windowsOf(ctx, from, to, size);
    thread = startReplay(
      { ...draft, tenantId: ctx.tenantId, actor: ctx.actor, now: ctx.now.toISOString() },
      deadline,
      seconds,
    );
    if (url) {
      // PostgreSQL: the worker reads on a connection of its own; this thread only waits.
      thread.read({ url, windows, ahead });
      return await thread.finish();
    }
    // PGlite (one connection): this thread reads a window while the worker replays the last.
    for await (const batch of readWindows(ctx, windows, ahead)) {
      if (Date.now() >= deadline) throw tooLong(seconds);
      await thread.send(batch);
    }
    return await thread.finish();
  } finally {
    running = false;
    await thread?.stop();
  }
}
