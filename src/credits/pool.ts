import type { FieldError } from '../errors.ts';
import type { Delta } from './balance.ts';
import type { Pool, PurchaseSnap } from './types.ts';

/**
 * Shared pools (issue 20 item 4), pure: who may be paid from a purchase, and how
 * much each member may still take. A pool's `used` is a cache of the ledger like the
 * counters: for each client who was ever a member, the credits its entries hold or
 * used now (held + used). Caps and used are read with Object.hasOwn: a client id is
 * data, never a key of Object.prototype.
 */

const own = (record: Record<string, number>, key: string): number | null =>
  Object.hasOwn(record, key) ? (record[key] as number) : null;

export const isMember = (p: Pick<PurchaseSnap, 'pool'>, clientId: string): boolean =>
  Boolean(p.pool?.members.includes(clientId));

/** The owner, or a member of its pool now. */
export const mayPay = (p: Pick<PurchaseSnap, 'clientId' | 'pool'>, clientId: string): boolean =>
  p.clientId === clientId || isMember(p, clientId);

export const capOf = (pool: Pool, clientId: string): number | null => own(pool.caps, clientId);
export const usedBy = (pool: Pool, clientId: string): number => own(pool.used, clientId) ?? 0;

/** Credits a member may still take under its cap (Infinity for the owner or an uncapped member). */
export function capLeft(p: Pick<PurchaseSnap, 'clientId' | 'pool'>, clientId: string): number {
  if (p.clientId === clientId || !p.pool) return Number.POSITIVE_INFINITY;
  const cap = capOf(p.pool, clientId);
  return cap === null ? Number.POSITIVE_INFINITY : Math.max(cap - usedBy(p.pool, clientId), 0);
}

/** Why the client may not be paid from the purchase at all, or null (the fixed check, SPEC §3). */
export function memberRefusal(p: Pick<PurchaseSnap, 'clientId' | 'pool'>, clientId: string): string | null {
  if (!mayPay(p, clientId)) return 'belongs to another client';
  if (capLeft(p, clientId) < 1) return `member cap of ${capOf(p.pool as Pool, clientId)} reached`;
  return null;
}

/** What a claim may take from each purchase for this client: remaining, capped for a member (B10 shares). */
export const cappedView = <
  P extends Pick<PurchaseSnap, 'id' | 'clientId' | 'pool' | 'remaining' | 'unlimited'>,
>(
  p: P,
  clientId: string,
): { id: string; remaining: number; unlimited: boolean } => {
  const left = capLeft(p, clientId);
  if (left === Number.POSITIVE_INFINITY) return { id: p.id, remaining: p.remaining, unlimited: p.unlimited };
  return { id: p.id, remaining: p.unlimited ? left : Math.min(p.remaining, left), unlimited: false };
};

/** Keeps a pool's `used` in step with an entry naming a client other than the owner. */
export function trackPoolUse(p: PurchaseSnap, clientId: string, delta: Delta): void {
  if (!p.pool || clientId === p.clientId) return;
  const moved = (delta.held ?? 0) + (delta.used ?? 0);
  if (moved === 0 && Object.hasOwn(p.pool.used, clientId)) return;
  p.pool = { ...p.pool, used: { ...p.pool.used, [clientId]: usedBy(p.pool, clientId) + moved } };
}

export interface MembersRequest {
  clientIds: string[];
  caps?: Record<string, number>;
}

/**
 * The household set on a purchase: the members replace the old ones; every member
 * gets a `used` key (kept after it leaves, so a former member's read still locks the
 * purchase its claims hold credits of). Pure: returns the new pool.
 */
export function poolWith(p: Pick<PurchaseSnap, 'pool'>, request: MembersRequest): Pool {
  // Built with fromEntries (own data properties): a client may be called '__proto__'.
  const before = p.pool?.used ?? {};
  const used = Object.fromEntries([
    ...Object.entries(before),
    ...request.clientIds.filter((id) => !Object.hasOwn(before, id)).map((id) => [id, 0] as const),
  ]);
  const requested = request.caps ?? {};
  const caps = Object.fromEntries(
    request.clientIds.filter((id) => Object.hasOwn(requested, id)).map((id) => [id, requested[id] as number]),
  );
  return { members: [...request.clientIds], caps, used };
}

/** Why a members request is wrong, as JSON pointers into the body, or [] (checked before anything is read). */
export function membersProblems(ownerId: string, request: MembersRequest): FieldError[] {
  const problems: FieldError[] = [];
  const seen = new Set<string>();
  request.clientIds.forEach((id, i) => {
    if (id === ownerId) problems.push({ path: `/clientIds/${i}`, message: 'is the owner of the purchase' });
    else if (seen.has(id)) problems.push({ path: `/clientIds/${i}`, message: `'${id}' is listed twice` });
    seen.add(id);
  });
  for (const id of Object.keys(request.caps ?? {}))
    if (!seen.has(id)) problems.push({ path: `/caps/${escapePointer(id)}`, message: 'is not a member' });
  return problems;
}

const escapePointer = (key: string) => key.replaceAll('~', '~0').replaceAll('/', '~1');
