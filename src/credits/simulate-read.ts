import type { Batch } from './replay.ts';
import { type ReadContext, readPurchases, readReservations } from './snapshot.ts';
import type { ReservationSnap } from './types.ts';

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
 * One window of a simulate: the reservations of sessions starting in [start, end)
 * in session-start order, and the purchases of those of their clients not in `seen`
 * (which it adds them to: a run reads each client's purchases once, and the replay
 * keeps them for the run).
 */
async function readWindow(ctx: ReadContext, [start, end]: [Date, Date], seen: Set<string>): Promise<Batch> {
  const reservations = shared([...(await readReservations(ctx, { startingFrom: start, to: end })).values()]);
  const clientIds = [...new Set(reservations.map((r) => r.clientId))].filter((id) => !seen.has(id));
  for (const id of clientIds) seen.add(id);
  const purchases = await readPurchases(ctx, { clientIds }, false);
  return { reservations: reservations.sort(byStart), purchases: [...purchases.values()] };
}

/**
 * The windows' batches in order, each window read while the caller takes the one
 * before (the replay's work overlaps the database's).
 */
export async function* readWindows(ctx: ReadContext, windows: [Date, Date][]): AsyncGenerator<Batch> {
  const seen = new Set<string>();
  const readAhead = (i: number) => {
    const w = windows[i];
    const reading = w ? readWindow(ctx, w, seen) : Promise.resolve(null);
    // Awaited in the next round; a caller that stops first must not leave it unhandled.
    reading.catch(() => {});
    return reading;
  };
  let next = readAhead(0);
  for (let i = 0; i < windows.length; i++) {
    const batch = await next;
    next = readAhead(i + 1);
    if (batch) yield batch;
  }
}
