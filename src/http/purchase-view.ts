import type { EntityManager } from '@mikro-orm/sql';
import { Plan } from '../domain/plan.ts';
import { Purchase } from '../domain/purchase.ts';
import { presentPurchase } from './present.ts';

/** The purchase as committed: the credit engine wrote it behind the unit of work. */
export async function showPurchase(em: EntityManager, id: string) {
  const purchase = await em.findOneOrFail(Purchase, { id }, { refresh: true });
  const plan = await em.findOneOrFail(Plan, { id: purchase.planId });
  return presentPurchase(purchase, plan);
}
