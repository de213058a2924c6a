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
 * Writes a transaction's events into the outbox, inside that transaction, as one
 * plain INSERT: rolled-back work leaves nothing behind, and nothing is locked, so
 * two clients of one tenant commit side by side. Each row's `seq` comes from the
 * column default (one global sequence, drawn in the events' order).
 *
 * Call it after the operation has taken its client's row lock (every credit
 * operation does, first): a later transaction of the same client then draws its
 * numbers only after this one committed, so one client's events are numbered in
 * commit order. The dispatcher delivers in `seq` order, and only numbers no running
 * transaction can still commit (src/outbox/horizon.ts).
 *
 * No flush is needed first: the outbox has no foreign keys and nothing here waits on
 * a lock, so the unit of work's rows may follow at commit as they always do.
 */
export async function recordEvents(
  tx: EntityManager,
  events: readonly PunchcardEvent[],
  occurredAt: Date,
): Promise<void> {
  if (events.length === 0) return;
  const rows = events.map((e) => ({
    id: newId('ev'),
    tenant: e.payload.tenantId,
    name: e.name,
    subject: subjectOf(e),
    payload: e.payload,
  }));
  // Bound parameters: the ORM's execute() would splice the events' JSON into the SQL text.
  await query(
    { tx },
    `insert into outbox (tenant_id, id, name, subject, payload, occurred_at)
     select e.v->>'tenant', e.v->>'id', e.v->>'name', e.v->>'subject', e.v->'payload', $1
       from jsonb_array_elements($2::jsonb) with ordinality as e(v, ord)
      order by e.ord`,
    [occurredAt, JSON.stringify(rows)],
  );
}
