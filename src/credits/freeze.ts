import { query, type Row } from '../db/sql.ts';
import { notFound } from '../errors.ts';
import { newId } from '../ids.ts';
import { touchPurchase } from './changeset.ts';
import type { CreditContext } from './context.ts';
import {
  decideFreeze,
  decideUnfreeze,
  type FreezeOutcome,
  type FreezeRecord,
  type FreezeScene,
} from './decide-freeze.ts';
import { commit } from './ledger.ts';
import { purchaseWork } from './purchases.ts';
import type { PurchaseSnap, Work } from './types.ts';

const asDate = (v: unknown) => (v instanceof Date ? v : new Date(String(v)));
const dateText = (v: unknown) => (v instanceof Date ? v.toISOString().slice(0, 10) : String(v).slice(0, 10));

export const freezeOf = (r: Row): FreezeRecord => ({
  id: String(r.id),
  purchaseId: String(r.purchase_id),
  from: dateText(r.from_date),
  to: dateText(r.to_date),
  startsAt: asDate(r.starts_at),
  endsAt: asDate(r.ends_at),
  days: Number(r.days),
  reason: String(r.reason),
  actor: String(r.actor),
  createdAt: asDate(r.created_at),
  unfrozenAt: r.unfrozen_at == null ? null : asDate(r.unfrozen_at),
  unfreezeReason: r.unfreeze_reason ?? null,
});

// Dates as text: a `date` column would come back as a Date at the driver's midnight.
const freezeColumns = `id, purchase_id, to_char(from_date, 'YYYY-MM-DD') as from_date, to_char(to_date, 'YYYY-MM-DD') as to_date,
  starts_at, ends_at, days, reason, actor, created_at, unfrozen_at, unfreeze_reason`;

/** A purchase's freezes in date order (undone ones too). */
export async function readFreezes(ctx: CreditContext, purchaseId: string): Promise<FreezeRecord[]> {
  const rows = await query(
    ctx,
    `select ${freezeColumns} from purchase_freezes where tenant_id = $1 and purchase_id = $2 order by from_date, id`,
    [ctx.tenantId, purchaseId],
  );
  return rows.map(freezeOf);
}

/** Lock → snapshot: the client's work (purchase locked), its location's zone, freezes and live claims. */
async function freezeScene(ctx: CreditContext, id: string): Promise<{ work: Work; scene: FreezeScene }> {
  const { work, purchase } = await purchaseWork(ctx, id);
  const [zone] = await query(ctx, 'select time_zone from locations where tenant_id = $1 and id = $2', [
    ctx.tenantId,
    purchase.locationId,
  ]);
  if (!zone) throw notFound('location', purchase.locationId);
  const claims = await query(
    ctx,
    `select s.starts_at from reservations r join sessions s on s.tenant_id = r.tenant_id and s.id = r.session_id
      where r.tenant_id = $1 and r.credit_state in ('assigned', 'held', 'used') and r.status <> 'canceled'
        and (r.purchase_id = $2 or r.shares @> jsonb_build_array(jsonb_build_object('purchaseId', $2::text)))`,
    [ctx.tenantId, id],
  );
  return {
    work,
    scene: {
      purchase,
      timeZone: String(zone.time_zone),
      now: ctx.now,
      actor: ctx.actor,
      freezes: await readFreezes(ctx, id),
      claimedSessionStarts: claims.map((c) => asDate(c.starts_at)),
    },
  };
}

/** The decision applied to the working copy; the commit writes the purchase and the freeze in one statement. */
function apply(work: Work, purchase: PurchaseSnap, outcome: FreezeOutcome): void {
  purchase.expiresAt = outcome.expiresAt;
  purchase.frozenDays = outcome.frozenDays;
  purchase.freezes = outcome.windows;
  touchPurchase(work, purchase);
  work.cs.freezes = [...(work.cs.freezes ?? []), outcome.freeze];
}

/** POST /v1/purchases/{id}/freeze: read → decide → write, once each. */
export async function freezePurchase(
  ctx: CreditContext,
  id: string,
  request: { from: string; to: string; reason: string },
): Promise<FreezeRecord> {
  const { work, scene } = await freezeScene(ctx, id);
  const outcome = decideFreeze(scene, { ...request, id: newId('frz') });
  apply(work, scene.purchase, outcome);
  const f = outcome.freeze;
  work.cs.events.push({
    name: 'purchase.frozen',
    payload: {
      tenantId: ctx.tenantId,
      purchaseId: id,
      clientId: scene.purchase.clientId,
      freezeId: f.id,
      from: f.from,
      to: f.to,
      days: f.days,
      frozenDays: outcome.frozenDays,
      expiresAt: outcome.expiresAt?.toISOString() ?? null,
      reason: f.reason,
    },
  });
  await commit(ctx, work.cs);
  return f;
}

/** POST /v1/purchases/{id}/unfreeze. */
export async function unfreezePurchase(
  ctx: CreditContext,
  id: string,
  request: { freezeId?: string; reason?: string },
): Promise<FreezeRecord> {
  const { work, scene } = await freezeScene(ctx, id);
  const outcome = decideUnfreeze(scene, request);
  apply(work, scene.purchase, outcome);
  const f = outcome.freeze;
  work.cs.events.push({
    name: 'purchase.unfrozen',
    payload: {
      tenantId: ctx.tenantId,
      purchaseId: id,
      clientId: scene.purchase.clientId,
      freezeId: f.id,
      to: f.days === 0 ? null : f.to,
      days: f.days,
      frozenDays: outcome.frozenDays,
      expiresAt: outcome.expiresAt?.toISOString() ?? null,
      reason: f.unfreezeReason,
    },
  });
  await commit(ctx, work.cs);
  return f;
}
