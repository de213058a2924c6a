import type { CreditState, PlanKind, PurchaseStatus } from '../domain/enums.ts';

const noun = (kind: PlanKind) => (kind === 'membership' ? 'Membership' : 'Package');

/**
 * B20, the label a purchase offers the POS for a new line: none once it is fully
 * used, expired, voided or on hold.
 */
export function offerLabel(p: {
  kind: PlanKind;
  status: PurchaseStatus;
  remaining: number;
  unlimited: boolean;
}) {
  if (p.status !== 'active') return null;
  if (!p.unlimited && p.remaining <= 0) return null;
  return `Available in ${noun(p.kind)}`;
}

/**
 * B20, the label on a reservation or ticket line paid by a credit. Large buckets read
 * as UNLIMITED with the running count of credits used, this one included. "Large" is
 * the credits still available when the label is shown (seed 001: "more than 100
 * available credits"), not the purchase's total: a 105-credit pack with 5 left is an
 * ordinary pack.
 */
export function creditLabel(input: {
  kind: PlanKind;
  state: CreditState;
  /** Credits the purchase has available now (its remaining balance). */
  available: number;
  unlimited: boolean;
  usedSoFar: number;
  threshold: number;
}): string | null {
  const { kind, state } = input;
  if (state === 'held' || state === 'assigned') return `Available in ${noun(kind)}`;
  if (state !== 'used') return null;
  if (input.unlimited || input.available > input.threshold) {
    return `${noun(kind).toUpperCase()} USED (#${input.usedSoFar}/ UNLIMITED)`;
  }
  return `${noun(kind)} Used`;
}
