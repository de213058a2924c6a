import type { EntityManager } from '@mikro-orm/sql';
import { textArray } from '../db/arrays.ts';
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
  // Columns as arrays and the payloads as one JSON array, zipped by ROWS FROM: a sweep
  // batch writes 20 000 events, and one JSON document per row cost more than the rows.
  await query(
    { tx },
    `insert into outbox (tenant_id, id, name, subject, payload, occurred_at)
     select e.tenant, e.id, e.name, e.subject, e.payload, $1
       from rows from (unnest($2::text[]), unnest($3::text[]), unnest($4::text[]), unnest($5::text[]),
                       jsonb_array_elements($6::jsonb)) with ordinality as e(tenant, id, name, subject, payload, ord)
      order by e.ord`,
    [
      occurredAt,
      textArray(events.map((e) => e.payload.tenantId)),
      textArray(events.map(() => newId('ev'))),
      textArray(events.map((e) => e.name)),
      textArray(events.map(subjectOf)),
      JSON.stringify(events.map((e) => e.payload)),
    ],
  );
}
