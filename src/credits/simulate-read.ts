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
 * The windows' batches in order: a window's reservations (sessions starting in
 * [start, end), in session-start order) and the purchases of those of their clients
 * no earlier window brought (a run reads each client's purchases once; the replay
 * keeps them for the run). Up to `ahead` windows after the one the caller takes are
 * read meanwhile (the replay's work overlaps the database's); which clients are new
 * is decided window after window, in order, whichever read answers first.
 */
export async function* readWindows(
  ctx: ReadContext,
  windows: [Date, Date][],
  ahead: number,
): AsyncGenerator<Batch> {
  const seen = new Set<string>();
  let claimed: Promise<void> = Promise.resolve();
  const read = async ([start, end]: [Date, Date], before: Promise<void>, done: () => void) => {
    let clientIds: string[];
    let reservations: ReservationSnap[];
    try {
      reservations = shared([...(await readReservations(ctx, { startingFrom: start, to: end })).values()]);
      await before;
      clientIds = [...new Set(reservations.map((r) => r.clientId))].filter((id) => !seen.has(id));
      for (const id of clientIds) seen.add(id);
    } finally {
      // The next window claims its clients after this one (or after its failure, which ends the run).
      done();
    }
    const purchases = await readPurchases(ctx, { clientIds }, false);
    return { reservations: reservations.sort(byStart), purchases: [...purchases.values()] };
  };
  const reads: Promise<Batch>[] = [];
  let next = 0;
  const readMore = () => {
    while (next < windows.length && reads.length <= ahead) {
      let claim = () => {};
      const claiming = new Promise<void>((resolve) => (claim = resolve));
      const reading = read(windows[next++], claimed, claim);
      claimed = claiming;
      // Awaited in its round; a caller that stops first must not leave it unhandled.
      reading.catch(() => {});
      reads.push(reading);
    }
  };
  readMore();
  for (let reading = reads.shift(); reading; reading = reads.shift()) {
    const batch = await reading;
    readMore();
    yield batch;
  }
}
