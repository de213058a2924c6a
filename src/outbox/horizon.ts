/**
 * Which outbox numbers are final: no transaction still running can commit an event
 * with a number at or below the horizon, so the dispatcher may deliver up to it in
 * `seq` order and never find a smaller number appear behind its cursor later.
 *
 * Numbers are drawn at insert, not at commit, so a transaction that drew 10 may
 * commit after one that drew 11. The dispatcher therefore observes, in one cheap
 * statement, its snapshot's `xmin` (the oldest transaction id still running), then
 * `next` (the first id not yet given to any transaction) and the sequence's `last`
 * value. Observations go one after another, so for observations k and k+1:
 *
 *   every number up to last(k) was drawn by a transaction that already had its id
 *   (the column default takes the id first), before observation k+1 began, so that
 *   id is below next(k+1). Once some later snapshot's xmin reaches next(k+1), none
 *   of those transactions is running any more: last(k) is final.
 *
 * (The snapshot's own xmax is not enough: it is one past the newest *finished* id,
 * and a transaction newer than every finished one runs above it unseen.) When
 * nothing is running, two observations in a row settle it.
 *
 * The price: any transaction that writes and stays open (on the whole server:
 * transaction ids are server-wide) holds delivery back until it ends.
 */
export interface Observation {
  /** The sequence's last drawn value, read after the snapshot was taken. */
  last: bigint;
  /** The oldest transaction id still running when the snapshot was taken. */
  xmin: bigint;
  /** The first transaction id not yet assigned, read after the snapshot. */
  next: bigint;
}

interface Candidate {
  bound: bigint;
  /** `bound` is final once a snapshot's xmin reaches this. */
  needXmin: bigint;
}

/** Candidates kept while a long transaction holds xmin back; the oldest merge beyond this. */
const MAX_CANDIDATES = 64;

export function createHorizon() {
  let previous: Observation | null = null;
  let safe = -1n;
  let candidates: Candidate[] = [];

  return {
    /** The highest final number known (-1 before anything is known). */
    get safe(): bigint {
      return safe;
    },
    /** The last value seen drawn; events up to it exist or are being written. */
    get last(): bigint {
      return previous?.last ?? -1n;
    },
    /** True when a number has been drawn that is not known final yet. */
    get unsettled(): boolean {
      return previous !== null && previous.last > safe;
    },
    /**
     * Takes one observation; observations must be made one after another (the next
     * sent only after the previous answered). Returns the new safe horizon.
     */
    observe(o: Observation): bigint {
      if (previous && previous.last > safe) {
        const top = candidates[candidates.length - 1];
        if (!top || top.bound < previous.last) candidates.push({ bound: previous.last, needXmin: o.next });
      }
      previous = o;
      const kept: Candidate[] = [];
      for (const c of candidates) {
        if (o.xmin >= c.needXmin) {
          if (c.bound > safe) safe = c.bound;
        } else if (c.bound > safe) kept.push(c);
      }
      // Later candidates need a later xmin; dropping the oldest only delays, never breaks.
      candidates = kept.length > MAX_CANDIDATES ? kept.slice(kept.length - MAX_CANDIDATES) : kept;
      return safe;
    },
  };
}

export type Horizon = ReturnType<typeof createHorizon>;
