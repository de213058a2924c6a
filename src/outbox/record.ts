import type { EntityManager } from '@mikro-orm/sql';
import { query } from '../db/sql.ts';
import type { PunchcardEvent } from '../events.ts';
import { newId } from '../ids.ts';

/** The entity an event is about, so a purchase can find its own deliveries. */
function subjectOf(event: PunchcardEvent): string | null {
  const p = event.payload as Partial<Record<'purchaseId' | 'reservationId' | 'ticketId', string>>;
  return p.purchaseId ?? p.reservationId ?? p.ticketId ?? null;
}

/**
 * Writes a transaction's events into the outbox, inside that transaction: rolled-back
 * work leaves nothing behind. Call it last, just before commit: it takes the tenant's
 * outbox head row, so transactions of one tenant number their events in commit order
 * (the lock is held only for the commit itself). Tenants are taken in id order so two
 * transactions touching the same tenants cannot deadlock here.
 */
export async function recordEvents(
  tx: EntityManager,
  events: readonly PunchcardEvent[],
  occurredAt: Date,
): Promise<void> {
  // The unit of work writes its pending changes first: once the head row is taken,
  // nothing may wait on another lock, or two transactions could wait on each other.
  await tx.flush();
  // The head row is held until commit, so commit must have little left to do: the
  // deferred foreign-key checks run now instead, before the head is taken (a fault
  // still rolls the whole transaction back). This is what lets a tenant's commits
  // follow each other closely.
  await query({ tx }, 'set constraints all immediate', []);
  const byTenant = new Map<string, PunchcardEvent[]>();
  for (const event of events) {
    const list = byTenant.get(event.payload.tenantId) ?? [];
    list.push(event);
    byTenant.set(event.payload.tenantId, list);
  }
  for (const tenantId of [...byTenant.keys()].sort()) {
    const list = byTenant.get(tenantId) ?? [];
    const rows = list.map((e) => ({
      id: newId('ev'),
      name: e.name,
      subject: subjectOf(e),
      payload: e.payload,
    }));
    // Bound parameters: the ORM's execute() would splice the events' JSON into the SQL text.
    await query(
      { tx },
      `with head as (
         insert into outbox_heads as h (tenant_id, last_seq) values ($1, $2)
         on conflict (tenant_id) do update set last_seq = h.last_seq + excluded.last_seq
         returning last_seq
       )
       insert into outbox (tenant_id, seq, id, name, subject, payload, occurred_at)
       select $1, head.last_seq - $2 + e.ord, e.v->>'id', e.v->>'name', e.v->>'subject', e.v->'payload', $3
         from head, jsonb_array_elements($4::jsonb) with ordinality as e(v, ord)`,
      [tenantId, rows.length, occurredAt, JSON.stringify(rows)],
    );
  }
}
