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

/** Events written by the statement that made them (the commit statement): the owner's `recordEvents` skips them. */
const recorded = new WeakSet<PunchcardEvent>();

/**
 * The outbox insert of `events`, given the parameter holding the instant and `arg`,
 * which binds one more parameter and answers its placeholder: a plain statement here,
 * a part (CTE) of the commit statement there. Columns travel as arrays and the
 * payloads as one JSON array, zipped by ROWS FROM: a sweep batch writes 20 000
 * events, and one JSON document per row cost more than the rows. Each row's `seq`
 * comes from the column default (one global sequence), drawn in the events' order.
 */
export function outboxInsert(
  events: readonly PunchcardEvent[],
  occurredAt: string,
  arg: (literal: string, type: string) => string,
): string {
  return `insert into outbox (tenant_id, id, name, subject, payload, occurred_at)
     select e.tenant, e.id, e.name, e.subject, e.payload, ${occurredAt}
       from rows from (unnest(${arg(textArray(events.map((e) => e.payload.tenantId)), 'text[]')}),
                       unnest(${arg(textArray(events.map(() => newId('ev'))), 'text[]')}),
                       unnest(${arg(textArray(events.map((e) => e.name)), 'text[]')}),
                       unnest(${arg(textArray(events.map(subjectOf)), 'text[]')}),
                       jsonb_array_elements(${arg(JSON.stringify(events.map((e) => e.payload)), 'jsonb')}))
            with ordinality as e(tenant, id, name, subject, payload, ord)
      order by e.ord`;
}

/** Marks events as already in the outbox: the statement that wrote them commits or rolls back with them. */
export function markRecorded(events: readonly PunchcardEvent[]): void {
  for (const e of events) recorded.add(e);
}

/**
 * Writes a transaction's events into the outbox, inside that transaction, as one
 * plain INSERT: rolled-back work leaves nothing behind, and nothing is locked, so
 * two clients of one tenant commit side by side. Events the commit statement
 * already wrote (`markRecorded`) are skipped.
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
  const left = events.filter((e) => !recorded.has(e));
  if (left.length === 0) return;
  // Bound parameters: the ORM's execute() would splice the events' JSON into the SQL text.
  const params: unknown[] = [occurredAt];
  const arg = (literal: string, type: string) => {
    params.push(literal);
    return `$${params.length}::${type}`;
  };
  await query({ tx }, outboxInsert(left, '$1::timestamptz', arg), params);
}
