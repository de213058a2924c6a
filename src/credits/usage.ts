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

/** One purchase's part of a claim: the units it covers (B10 across purchases). */
export interface Share {
  purchaseId: string;
  units: number;
}

/** A claim's shares: the stored list, or the one purchase that pays. */
export const sharesOf = (claim: {
  purchaseId: string | null;
  coveredUnits: number;
  shares?: Share[];
}): Share[] =>
  claim.shares && claim.shares.length > 0
    ? claim.shares
    : claim.purchaseId
      ? [{ purchaseId: claim.purchaseId, units: claim.coveredUnits }]
      : [];

/**
 * B10 across purchases: the units of a claim split over the eligible purchases in
 * the assignment's order — the first covers what it can, the next the rest, until
 * every unit is covered or none is left. The first (the winner) is always named.
 */
export function splitUnits(
  units: number,
  ordered: { id: string; remaining: number; unlimited: boolean }[],
): Share[] {
  const shares: Share[] = [];
  let need = units;
  for (const p of ordered) {
    if (need <= 0 && shares.length > 0) break;
    const n = p.unlimited ? need : Math.min(need, Math.max(p.remaining, 0));
    if (n > 0 || shares.length === 0) shares.push({ purchaseId: p.id, units: n });
    need -= n;
  }
  return shares;
}

/** A claim's move: its new state and shares, and one ledger posting per share that moves. */
export type ClaimTransition =
  | { kind: 'none' }
  | { kind: 'assign-first' }
  | {
      kind: 'move';
      state: CreditState;
      covered: number;
      shares: Share[];
      postings: { purchaseId: string; kind: LedgerKind; delta: Delta }[];
    };

/**
 * The state machine on a claim of several shares: each share moves as a claim of
 * one purchase would (planTransition), so a claim of one share moves exactly as
 * before. Taking (hold or use from `assigned`) walks the shares in order and takes
 * what each purchase has left until the units are covered; every other move
 * (held → used, release) moves each share's own units on its own purchase. A
 * released claim keeps its shares as a record of what was given back. Pure.
 */
export function planClaim(
  claim: { state: CreditState; shares: Share[] },
  event: UsageEvent,
  units: number,
  view: (purchaseId: string) => PurchaseView | null,
): ClaimTransition {
  if (event === 'keep') return { kind: 'none' };
  if (claim.state === 'none') return event === 'release' ? { kind: 'none' } : { kind: 'assign-first' };
  if (claim.state === 'assigned' && (event === 'hold' || event === 'use')) {
    let need = units;
    let state: CreditState = 'none';
    const shares: Share[] = [];
    const postings: Extract<ClaimTransition, { kind: 'move' }>['postings'] = [];
    for (const share of claim.shares) {
      if (need <= 0) break;
      const t = planTransition({ state: 'assigned', covered: 0 }, event, need, view(share.purchaseId));
      if (t.kind !== 'move' || !t.posting) continue;
      state = t.state;
      shares.push({ purchaseId: share.purchaseId, units: t.covered });
      postings.push({ purchaseId: share.purchaseId, ...t.posting });
      need -= t.covered;
    }
    return { kind: 'move', state, covered: units - need, shares, postings };
  }
  const moves = claim.shares.map((share) => ({
    share,
    t: planTransition(
      { state: claim.state, covered: share.units },
      event,
      share.units,
      view(share.purchaseId),
    ),
  }));
  const first = moves[0]?.t;
  if (first?.kind !== 'move') return { kind: 'none' };
  return {
    kind: 'move',
    state: first.state,
    covered: moves.reduce((n, { t }) => n + (t.kind === 'move' ? t.covered : 0), 0),
    shares:
      first.state === 'released'
        ? claim.shares
        : moves.map(({ share, t }) => ({
            purchaseId: share.purchaseId,
            units: t.kind === 'move' ? t.covered : 0,
          })),
    postings: moves.flatMap(({ share, t }) =>
      t.kind === 'move' && t.posting ? [{ purchaseId: share.purchaseId, ...t.posting }] : [],
    ),
  };
}
