import { anyOf, query } from '../db/sql.ts';
import { conflict, invalid, notFound, PunchcardError, unknownReference } from '../errors.ts';
import { newId } from '../ids.ts';
import { touchPurchase } from './changeset.ts';
import type { CreditContext } from './context.ts';
import { commit } from './ledger.ts';
import { lockClients } from './locks.ts';
import { capOf, type MembersRequest, membersProblems, poolWith } from './pool.ts';
import { decideTransfer } from './transfer.ts';
import type { PurchaseSnap, Work } from './types.ts';
import { clientWork } from './work.ts';

/**
 * The two household operations of issue 20 on one purchase, each read → decide →
 * commit through the spine: staff set who shares it (item 4), an admin moves its
 * credits to another client (item 5).
 */

const ownerOf = async (ctx: CreditContext, id: string): Promise<string> => {
  const [row] = await query(ctx, 'select client_id from purchases where tenant_id = $1 and id = $2', [
    ctx.tenantId,
    id,
  ]);
  if (!row) throw notFound('purchase', id);
  return String(row.client_id);
};

/** The owner's locking read with the purchase in it (its pool read FOR UPDATE with its row). */
async function purchaseWork(ctx: CreditContext, ownerId: string, id: string) {
  const found = await clientWork(ctx, { client: { clientId: ownerId }, purchaseIds: [id] });
  const work: Work | undefined = found?.work;
  const purchase: PurchaseSnap | undefined = work?.purchases.get(id);
  if (!work || !purchase) throw notFound('purchase', id);
  return { work, purchase };
}

/** Sets the household a purchase is shared with; the members replace the previous ones. */
export async function setPoolMembers(ctx: CreditContext, id: string, request: MembersRequest): Promise<void> {
  const ownerId = await ownerOf(ctx, id);
  const problems = membersProblems(ownerId, request);
  if (problems.length > 0) throw new PunchcardError('invalid', 'the members are not valid', problems);
  const { work, purchase } = await purchaseWork(ctx, ownerId, id);
  const known = await query(ctx, `select id from clients where tenant_id = $1 and id = ${anyOf(2)}`, [
    ctx.tenantId,
    JSON.stringify(request.clientIds),
  ]);
  const exists = new Set(known.map((r) => String(r.id)));
  request.clientIds.forEach((clientId, i) => {
    if (!exists.has(clientId)) throw unknownReference(`/clientIds/${i}`, 'client', clientId);
  });
  if (purchase.status === 'voided') throw conflict(`purchase '${id}' is voided: it cannot be shared`);
  purchase.pool = poolWith(purchase, request);
  touchPurchase(work, purchase);
  const pool = purchase.pool;
  work.cs.events.push({
    name: 'purchase.members_changed',
    payload: {
      tenantId: ctx.tenantId,
      purchaseId: id,
      ownerId,
      members: pool.members.map((clientId) => ({ clientId, cap: capOf(pool, clientId) })),
    },
  });
  await commit(ctx, work.cs);
}

/**
 * Moves credits of a purchase to a new purchase of another client. Both clients are
 * locked first, in id order (the global lock order), then the owner's read.
 */
export async function transferPurchase(
  ctx: CreditContext,
  id: string,
  request: { toClientId: string; credits?: number; reason: string },
): Promise<{ toPurchaseId: string; credits: number | null }> {
  const ownerId = await ownerOf(ctx, id);
  if (request.toClientId === ownerId) throw invalid('/toClientId', 'is the owner of the purchase');
  const locked = await lockClients(ctx, [ownerId, request.toClientId]);
  if (!locked.has(request.toClientId)) throw unknownReference('/toClientId', 'client', request.toClientId);
  const { work, purchase } = await purchaseWork(ctx, ownerId, id);
  const moved = decideTransfer(work, purchase, { ...request, newPurchaseId: newId('pur') });
  await commit(ctx, work.cs);
  return { toPurchaseId: moved.purchase.id, credits: moved.credits };
}
