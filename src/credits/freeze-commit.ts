import type { FreezeRecord } from './decide-freeze.ts';

/**
 * The commit statement's part for freezes (issue 20): each freeze made or ended,
 * upserted whole, beside the purchase's new expiry in the same statement.
 */
export function freezesPart(freezes: FreezeRecord[], bind: (rows: unknown[]) => string): string {
  const rows = freezes.map((f) => ({
    id: f.id,
    purchase_id: f.purchaseId,
    from_date: f.from,
    to_date: f.to,
    starts_at: f.startsAt.toISOString(),
    ends_at: f.endsAt.toISOString(),
    days: f.days,
    reason: f.reason,
    actor: f.actor,
    created_at: f.createdAt.toISOString(),
    unfrozen_at: f.unfrozenAt?.toISOString() ?? null,
    unfreeze_reason: f.unfreezeReason,
  }));
  return `freezes as (
      insert into purchase_freezes (tenant_id, id, purchase_id, from_date, to_date, starts_at, ends_at, days, reason,
        actor, created_at, unfrozen_at, unfreeze_reason)
      select $1, v.id, v.purchase_id, v.from_date, v.to_date, v.starts_at, v.ends_at, v.days, v.reason, v.actor,
             v.created_at, v.unfrozen_at, v.unfreeze_reason
        from jsonb_to_recordset(${bind(rows)}) as v(id text, purchase_id text, from_date date, to_date date,
             starts_at timestamptz, ends_at timestamptz, days int, reason text, actor text, created_at timestamptz,
             unfrozen_at timestamptz, unfreeze_reason text)
      on conflict (tenant_id, id) do update set to_date = excluded.to_date, ends_at = excluded.ends_at,
             days = excluded.days, unfrozen_at = excluded.unfrozen_at, unfreeze_reason = excluded.unfreeze_reason)`;
}
