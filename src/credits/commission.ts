import type { CommissionSetting } from '../domain/plan.ts';

/**
 * B21: the commission base of a line. Covered units count at the plan's chosen
 * basis — the item's retail price, the plan's unit price (price ÷ credits, rounded
 * to the cent) or its internal price; units the client pays for count at the
 * price they pay.
 */
export function commissionBase(input: {
  unitPrice: number;
  units: number;
  covered: number;
  plan: { price: number; credits: number | null; commission: CommissionSetting } | null;
}): number {
  const { unitPrice, units, covered, plan } = input;
  const paid = (units - covered) * unitPrice;
  if (!plan || covered === 0) return paid;
  const perCredit =
    plan.commission.basis === 'unit_price' && plan.credits
      ? Math.round(plan.price / plan.credits)
      : plan.commission.basis === 'internal_price'
        ? (plan.commission.internalPrice ?? unitPrice)
        : unitPrice;
  return covered * perCredit + paid;
}
