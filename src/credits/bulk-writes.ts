import { sql } from 'kysely';
import type { CreditState, LedgerKind } from '../domain/enums.ts';
import { newId } from '../ids.ts';
import type { Counters, Delta } from './balance.ts';
import type { CreditContext } from './context.ts';

/** The sweep's set-based writes (see bulk-time-triggers.ts). */
export function ledgerRow(
  purchaseId: string,
  kind: LedgerKind,
  delta: Delta,
  reservationId: string,
  key: string,
  at: Date,
  rule: string | null,
  trigger: string,
) {
  return {
    id: newId('le'),
    purchase_id: purchaseId,
    kind,
    total: delta.total ?? 0,
    held: delta.held ?? 0,
    used: delta.used ?? 0,
    deducted: delta.deducted ?? 0,
    expired: delta.expired ?? 0,
    reservation_id: reservationId,
    reason: rule ? `rule '${rule}' on ${trigger}` : `default on ${trigger}`,
    idempotency_key: key,
    occurred_at: at.toISOString(),
  };
}

// Each write sends its rows as one JSON document, bound as a real query parameter
// (Kysely's sql tag, in the ORM's transaction) and unpacked by jsonb_to_recordset:
// a batch costs a few statements, and megabytes of rows are never spliced into SQL
// text (the ORM's own execute() inlines values, which dominated the sweep's time).
export async function writeLedger(ctx: CreditContext, rows: ReturnType<typeof ledgerRow>[]): Promise<void> {
  if (rows.length === 0) return;
  await sql`
    insert into ledger_entries (tenant_id, id, purchase_id, kind, total, held, used, deducted, expired, reservation_id,
      ticket_id, actor, reason, idempotency_key, policy_version, occurred_at)
    select ${ctx.tenantId}, x.id, x.purchase_id, x.kind, x.total, x.held, x.used, x.deducted, x.expired, x.reservation_id,
           null, ${ctx.actor}, x.reason, x.idempotency_key, ${ctx.active.version}::int, x.occurred_at
      from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(id text, purchase_id text, kind text, total int,
           held int, used int, deducted int, expired int, reservation_id text, reason text, idempotency_key text,
           occurred_at timestamptz)`.execute(ctx.tx.getKysely());
}

export async function writeBalances(ctx: CreditContext, balances: Map<string, Counters>): Promise<void> {
  if (balances.size === 0) return;
  const rows = [...balances.entries()].map(([id, b]) => ({
    id,
    held: b.held,
    used: b.used,
    expired: b.expired,
  }));
  await sql`
    update purchases p set held = v.held, used = v.used, expired = v.expired,
           remaining = p.total - v.held - v.used - p.deducted - v.expired
      from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as v(id text, held int, used int, expired int)
     where p.tenant_id = ${ctx.tenantId} and p.id = v.id`.execute(ctx.tx.getKysely());
}

export interface ReservationUpdate {
  id: string;
  state: CreditState;
  covered: number;
  seq: number;
  started: boolean;
  ended: boolean;
  steps: unknown[];
}

export async function writeReservations(ctx: CreditContext, rows: ReservationUpdate[]): Promise<void> {
  if (rows.length === 0) return;
  await sql`
    update reservations r set credit_state = v.state, covered_units = v.covered, credit_seq = v.seq,
           started_applied = v.started, ended_applied = v.ended, policy_version = ${ctx.active.version}::int,
           purchase_id = case when v.state = 'none' then null else r.purchase_id end,
           explain = jsonb_set(coalesce(r.explain, '{}'::jsonb), '{usage}', coalesce(r.explain -> 'usage', '[]'::jsonb) || v.steps)
      from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as v(id text, state text, covered int, seq int,
           started boolean, ended boolean, steps jsonb)
     where r.tenant_id = ${ctx.tenantId} and r.id = v.id`.execute(ctx.tx.getKysely());
}
