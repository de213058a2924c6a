import type { LedgerKind } from '../domain/enums.ts';

/** The counters of a purchase; remaining is derived from them. */
export interface Counters {
  total: number;
  held: number;
  used: number;
  deducted: number;
  expired: number;
}

export interface Balance extends Counters {
  remaining: number;
}

export type Delta = Partial<Counters>;

export const zeroCounters: Counters = { total: 0, held: 0, used: 0, deducted: 0, expired: 0 };

export const remainingOf = (c: Counters): number => c.total - c.held - c.used - c.deducted - c.expired;

/**
 * The counters a kind of entry may move, and in which direction. Anything else is a
 * bug in the caller, caught before a row is written.
 */
const allowedMoves: Record<LedgerKind, Partial<Record<keyof Counters, 1 | -1 | 0>>> = {
  grant: { total: 1 },
  addition: { total: 1 },
  deduction: { deducted: 1 },
  hold: { held: 1 },
  use: { used: 1, held: -1 },
  release: { held: -1, used: -1, expired: 1, deducted: 1 },
  refund: { used: -1, expired: 1, deducted: 1 },
  expiry: { expired: 1, held: -1 },
  void: { deducted: 1 },
  /** Staff give back the credit a counted no-show used (issue 17). */
  waive: { used: -1, expired: 1, deducted: 1 },
  /** A late cancel or no-show that keeps the credit: it counts as used (issue 20). */
  late_cancel: { used: 1, held: -1 },
  no_show_forfeit: { used: 1, held: -1 },
  /** A late cancel within the forgiveness allowance gives the credit back (to expired or deducted when it can no longer be spent). */
  forgiven: { held: -1, used: -1, expired: 1, deducted: 1 },
  /** Staff give back a forfeited credit. */
  forfeit_waive: { used: -1, expired: 1, deducted: 1 },
  /** Credits moved between clients: out of one purchase, into another. */
  transfer_out: { total: -1, deducted: 1 },
  transfer_in: { total: 1 },
};

export class BalanceError extends Error {}

/**
 * Applies a ledger entry's delta to counters: pure, so the same check guards every
 * writer. Limited purchases may never go below zero remaining; unlimited ones
 * have no remaining to protect.
 */
export function applyDelta(current: Counters, kind: LedgerKind, delta: Delta, unlimited: boolean): Balance {
  const next: Counters = { ...current };
  for (const [field, amount] of Object.entries(delta) as [keyof Counters, number][]) {
    if (!Number.isInteger(amount)) throw new BalanceError(`${kind}: ${field} must move by a whole number`);
    if (amount === 0) continue;
    const direction = allowedMoves[kind][field];
    if (direction === undefined || direction === 0) throw new BalanceError(`${kind} may not change ${field}`);
    next[field] += amount;
    if (next[field] < 0) throw new BalanceError(`${kind} would take ${field} below zero`);
  }
  const remaining = remainingOf(next);
  if (!unlimited && remaining < 0) throw new BalanceError(`${kind} would take remaining below zero`);
  return { ...next, remaining };
}
