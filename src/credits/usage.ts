import type { CreditState, LedgerKind } from '../domain/enums.ts';
import type { Delta } from './balance.ts';

/**
 * The usage state machine of SPEC §1/§3: a claim's credit state is
 * none → assigned → held → used, or → released, and the rule set's usage decision
 * (hold, use, release, keep) at a trigger moves it. Pure.
 */

export type UsageEvent = 'hold' | 'use' | 'release' | 'keep';

export interface ClaimState {
  state: CreditState;
  /** Units the claim covers now (held or used), or would cover (assigned). */
  covered: number;
}

export interface PurchaseView {
  remaining: number;
  unlimited: boolean;
  expired: boolean;
  voided?: boolean;
}

/** What the state machine needs to know of a purchase. */
export const purchaseView = (
  p: { remaining: number; unlimited: boolean; status: string } | null | undefined,
): PurchaseView | null =>
  p
    ? {
        remaining: p.remaining,
        unlimited: p.unlimited,
        expired: p.status === 'expired',
        voided: p.status === 'voided',
      }
    : null;

export type Transition =
  | { kind: 'none' }
  /** Nothing is assigned yet: assign a purchase first, then plan again (B16). */
  | { kind: 'assign-first' }
  | { kind: 'move'; state: CreditState; covered: number; posting: { kind: LedgerKind; delta: Delta } | null };

/**
 * What a usage event does to one claim on a credit: pure, the whole state machine.
 * - hold takes min(units, remaining) from remaining now (B10: one credit per unit);
 * - use turns held credits used, or takes them straight from remaining;
 * - release gives held or used credits back (a credit released into a purchase that
 *   has expired meanwhile lands in `expired`, into a voided one in `deducted`,
 *   never back in remaining);
 * - keep changes nothing. `released` is final until staff reassign by hand.
 */
export function planTransition(
  claim: ClaimState,
  event: UsageEvent,
  units: number,
  purchase: PurchaseView | null,
): Transition {
  if (event === 'keep') return { kind: 'none' };
  const { state, covered } = claim;
  const take = () =>
    purchase ? (purchase.unlimited ? units : Math.min(units, Math.max(purchase.remaining, 0))) : 0;
  switch (event) {
    case 'hold':
      if (state === 'none') return { kind: 'assign-first' };
      if (state !== 'assigned') return { kind: 'none' };
      {
        const n = take();
        if (n === 0) return { kind: 'move', state: 'none', covered: 0, posting: null };
        return { kind: 'move', state: 'held', covered: n, posting: { kind: 'hold', delta: { held: n } } };
      }
    case 'use':
      if (state === 'none') return { kind: 'assign-first' };
      if (state === 'held') {
        return {
          kind: 'move',
          state: 'used',
          covered,
          posting: { kind: 'use', delta: { held: -covered, used: covered } },
        };
      }
      if (state !== 'assigned') return { kind: 'none' };
      {
        const n = take();
        if (n === 0) return { kind: 'move', state: 'none', covered: 0, posting: null };
        return { kind: 'move', state: 'used', covered: n, posting: { kind: 'use', delta: { used: n } } };
      }
    case 'release': {
      // A credit given back to a purchase that can no longer be spent is not spendable.
      const expired = purchase?.voided
        ? { deducted: covered }
        : purchase?.expired
          ? { expired: covered }
          : {};
      if (state === 'held') {
        return {
          kind: 'move',
          state: 'released',
          covered: 0,
          posting: { kind: 'release', delta: { held: -covered, ...expired } },
        };
      }
      if (state === 'used') {
        return {
          kind: 'move',
          state: 'released',
          covered: 0,
          posting: { kind: 'refund', delta: { used: -covered, ...expired } },
        };
      }
      if (state === 'assigned') return { kind: 'move', state: 'released', covered: 0, posting: null };
      return { kind: 'none' };
    }
  }
}
