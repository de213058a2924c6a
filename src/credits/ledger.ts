import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/sql';
import type { LedgerKind } from '../domain/enums.ts';
import { LedgerEntry } from '../domain/ledger-entry.ts';
import { Purchase } from '../domain/purchase.ts';
import { newId } from '../ids.ts';
import { applyDelta, type Delta } from './balance.ts';

export interface Posting {
  kind: LedgerKind;
  delta: Delta;
  actor: string;
  at: Date;
  /** Unique per tenant: posting the same operation twice writes it once. */
  idempotencyKey: string;
  reason?: string | null;
  reservationId?: string | null;
  ticketId?: string | null;
  policyVersion?: number | null;
}

/**
 * Locks purchases FOR UPDATE in a stable id order (so two transactions touching
 * the same purchases can never deadlock) and re-reads them inside the lock.
 */
export async function lockPurchases(
  tx: EntityManager,
  ids: string[],
  held?: Map<string, Purchase>,
): Promise<Map<string, Purchase>> {
  const found = new Map<string, Purchase>();
  for (const id of ids) {
    const already = held?.get(id);
    if (already) found.set(id, already);
  }
  const unique = [...new Set(ids)].filter((id) => !found.has(id)).sort();
  if (unique.length === 0) return found;
  // Re-reading refreshes loaded entities: write pending changes first or they are lost.
  await tx.flush();
  const rows = await tx.find(
    Purchase,
    { id: { $in: unique } },
    { lockMode: LockMode.PESSIMISTIC_WRITE, orderBy: { id: 'asc' }, refresh: true },
  );
  for (const row of rows) {
    found.set(row.id, row);
    held?.set(row.id, row);
  }
  return found;
}

/**
 * The only way a balance changes: one append-only entry and the matching change to
 * the purchase's cached counters, in the caller's transaction. The purchase must be
 * locked by the caller. The unique (tenant, idempotency key) constraint is the guard
 * against posting one operation twice: a duplicate fails the whole transaction.
 */
export async function post(tx: EntityManager, purchase: Purchase, posting: Posting): Promise<string> {
  const next = applyDelta(purchase, posting.kind, posting.delta, purchase.unlimited);
  purchase.total = next.total;
  purchase.held = next.held;
  purchase.used = next.used;
  purchase.deducted = next.deducted;
  purchase.expired = next.expired;
  purchase.remaining = next.remaining;
  const id = newId('le');
  tx.create(LedgerEntry, {
    tenantId: purchase.tenantId,
    id,
    purchaseId: purchase.id,
    kind: posting.kind,
    total: posting.delta.total ?? 0,
    held: posting.delta.held ?? 0,
    used: posting.delta.used ?? 0,
    deducted: posting.delta.deducted ?? 0,
    expired: posting.delta.expired ?? 0,
    reservationId: posting.reservationId ?? null,
    ticketId: posting.ticketId ?? null,
    actor: posting.actor,
    reason: posting.reason ?? null,
    idempotencyKey: posting.idempotencyKey,
    policyVersion: posting.policyVersion ?? null,
    occurredAt: posting.at,
  });
  return id;
}
