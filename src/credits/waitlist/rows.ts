import type { ChangeSet } from '../types.ts';

/**
 * The waitlist's part of the one commit statement (ledger.ts): entries joined are
 * inserted, entries moved (a hold given back, promoted, skipped, left) updated,
 * as the change set decided them. `bind` adds a JSON parameter and names it.
 */
export function waitlistParts(cs: ChangeSet, bind: (rows: unknown[]) => string): string[] {
  if (!cs.waitlist || cs.waitlist.size === 0) return [];
  const all = [...cs.waitlist.values()];
  const rowOf = ({ entry: e }: (typeof all)[number]) => ({
    id: e.id,
    session_id: e.sessionId,
    client_id: e.clientId,
    status: e.status,
    joined_at: e.joinedAt.toISOString(),
    ended_at: e.endedAt?.toISOString() ?? null,
    purchase_id: e.purchaseId,
    credit_state: e.creditState,
    covered_units: e.coveredUnits,
    shares: e.shares && e.shares.length > 1 ? e.shares : null,
    credit_seq: e.creditSeq,
    reservation_id: e.reservationId,
    reason: e.reason,
  });
  const parts: string[] = [];
  const joined = all.filter((w) => w.insert).map(rowOf);
  const moved = all.filter((w) => !w.insert).map(rowOf);
  const columns = `id text, session_id text, client_id text, status text, joined_at timestamptz, ended_at timestamptz,
             purchase_id text, credit_state text, covered_units int, shares jsonb, credit_seq int, reservation_id text,
             reason text`;
  if (joined.length > 0)
    parts.push(`new_waitlist as (
      insert into waitlist_entries (tenant_id, id, session_id, client_id, status, joined_at, ended_at, purchase_id,
        credit_state, covered_units, shares, credit_seq, reservation_id, reason)
      select $1, v.id, v.session_id, v.client_id, v.status, v.joined_at, v.ended_at, v.purchase_id,
             v.credit_state, v.covered_units, v.shares, v.credit_seq, v.reservation_id, v.reason
        from jsonb_to_recordset(${bind(joined)}) as v(${columns}))`);
  if (moved.length > 0)
    parts.push(`changed_waitlist as (
      update waitlist_entries w set status = v.status, ended_at = v.ended_at, purchase_id = v.purchase_id,
             credit_state = v.credit_state, covered_units = v.covered_units, shares = v.shares,
             credit_seq = v.credit_seq, reservation_id = v.reservation_id, reason = v.reason
        from jsonb_to_recordset(${bind(moved)}) as v(${columns})
       where w.tenant_id = $1 and w.id = v.id)`);
  return parts;
}
