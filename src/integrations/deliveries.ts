import type { EntityManager } from '@mikro-orm/sql';
import type { PunchcardEvent } from '../events.ts';
import { activeConfig, readConfig } from './config.ts';
import type { Integrations } from './registry.ts';

export type DeliveryStatus = 'pending' | 'delivered' | 'failing' | 'skipped';

/** A purchase's delivery by one integration, as `GET /v1/purchases/{id}` shows it. */
export interface IntegrationStatus {
  status: DeliveryStatus;
  attempts: number;
  lastError: string | null;
  nextAttemptAt: string | null;
}

interface DeliveryRow {
  seq: string | number;
  id: string;
  name: string;
  subject: string | null;
  status: DeliveryStatus;
  attempts: number;
  last_error: string | null;
  next_attempt_at: Date | string | null;
  delivered_at: Date | string | null;
}

const iso = (v: Date | string | null) => (v === null ? null : new Date(v).toISOString());

export function presentDelivery(row: DeliveryRow) {
  return {
    eventId: row.id,
    event: row.name,
    subject: row.subject,
    status: row.status,
    attempts: row.attempts,
    lastError: row.last_error,
    nextAttemptAt: iso(row.next_attempt_at),
    deliveredAt: iso(row.delivered_at),
  };
}

const columns = `o.seq, o.id, o.name, o.subject, d.status, d.attempts, d.last_error, d.next_attempt_at, d.delivered_at`;

/** One integration's deliveries for a tenant, newest first, in keyset pages (`before` = a seq). */
export async function listDeliveries(
  em: EntityManager,
  tenantId: string,
  name: string,
  filter: { status?: DeliveryStatus; before?: number; limit: number },
) {
  const rows = await em.execute<DeliveryRow[]>(
    `select ${columns} from outbox_deliveries d
       join outbox o on o.tenant_id = d.tenant_id and o.seq = d.seq
      where d.tenant_id = ? and d.subscriber = ?
        and (cast(? as text) is null or d.status = ?) and (cast(? as bigint) is null or d.seq < ?)
      order by d.seq desc limit ?`,
    [
      tenantId,
      name,
      filter.status ?? null,
      filter.status ?? null,
      filter.before ?? null,
      filter.before ?? null,
      filter.limit,
    ],
  );
  const last = rows.length === filter.limit ? rows[rows.length - 1] : undefined;
  return { deliveries: rows.map(presentDelivery), nextBefore: last ? Number(last.seq) : null };
}

/** A failing delivery's next attempt moved to now; null when there is no such delivery. */
export async function retryNow(em: EntityManager, tenantId: string, name: string, eventId: string) {
  const [row] = await em.execute<DeliveryRow[]>(
    `select ${columns} from outbox o
       join outbox_deliveries d on d.tenant_id = o.tenant_id and d.seq = o.seq and d.subscriber = ?
      where o.tenant_id = ? and o.id = ?`,
    [name, tenantId, eventId],
  );
  if (!row) return null;
  if (row.status !== 'failing') return presentDelivery(row);
  await em.execute(
    'update outbox_deliveries set next_attempt_at = clock_timestamp() where tenant_id = ? and subscriber = ? and seq = ?',
    [tenantId, name, row.seq],
  );
  await em.execute(
    'update outbox_cursors set next_attempt_at = clock_timestamp() where tenant_id = ? and subscriber = ? and next_attempt_at is not null',
    [tenantId, name],
  );
  return presentDelivery({ ...row, next_attempt_at: new Date() });
}

/**
 * An admin gives up on a failing delivery: it is marked `skipped` and the tenant's
 * line for this integration moves past it, so the events behind it go out. The
 * failing delivery is found through the small index of failing ones. A process
 * still trying it loses its lease (it stops at its next write); its attempt may
 * still reach the receiver. Null: no such event; a delivery that was not failing
 * comes back unchanged (`skipped: false`).
 */
export async function skipFailing(em: EntityManager, tenantId: string, name: string, eventId: string) {
  const [row] = await em.execute<DeliveryRow[]>(
    `select ${columns} from outbox_deliveries d
       join outbox o on o.tenant_id = d.tenant_id and o.seq = d.seq
      where d.tenant_id = ? and d.subscriber = ? and d.status = 'failing' and o.id = ?`,
    [tenantId, name, eventId],
  );
  if (!row) {
    const [other] = await em.execute<DeliveryRow[]>(
      `select ${columns} from outbox o
         join outbox_deliveries d on d.tenant_id = o.tenant_id and d.seq = o.seq and d.subscriber = ?
        where o.tenant_id = ? and o.id = ?`,
      [name, tenantId, eventId],
    );
    return other ? { delivery: presentDelivery(other), skipped: false } : null;
  }
  await em.execute(
    `update outbox_deliveries set status = 'skipped', next_attempt_at = null, updated_at = clock_timestamp()
      where tenant_id = ? and subscriber = ? and seq = ?`,
    [tenantId, name, row.seq],
  );
  await em.execute(
    `update outbox_cursors
        set last_seq = greatest(last_seq, ?), next_attempt_at = null, lease_owner = null, leased_until = null
      where tenant_id = ? and subscriber = ?`,
    [row.seq, tenantId, name],
  );
  return { delivery: presentDelivery({ ...row, status: 'skipped', next_attempt_at: null }), skipped: true };
}

/**
 * What each integration did with a purchase's `purchase.created`: its delivery, or
 * `pending` (attempts 0) when it is due but not tried yet. Integrations that will
 * never deliver it (off for the tenant, plan not flagged) are left out.
 */
export async function purchaseIntegrations(
  em: EntityManager,
  integrations: Integrations,
  tenantId: string,
  purchaseId: string,
) {
  const rows = await em.execute<(DeliveryRow & { payload: unknown; subscriber: string | null })[]>(
    `select ${columns}, o.payload, d.subscriber from outbox o
       left join outbox_deliveries d on d.tenant_id = o.tenant_id and d.seq = o.seq
      where o.tenant_id = ? and o.subject = ? and o.name = 'purchase.created'`,
    [tenantId, purchaseId],
  );
  const out: Record<string, IntegrationStatus> = {};
  const first = rows[0];
  if (!first) return out;
  const payload = typeof first.payload === 'string' ? JSON.parse(first.payload) : first.payload;
  const event = { name: 'purchase.created', payload } as PunchcardEvent;
  for (const plugin of integrations.all()) {
    const row = rows.find((r) => r.subscriber === plugin.name);
    if (row) {
      const { status, attempts, lastError, nextAttemptAt } = presentDelivery(row);
      out[plugin.name] = { status, attempts, lastError, nextAttemptAt };
      continue;
    }
    if (!plugin.events.includes('purchase.created') || (plugin.accepts && !plugin.accepts(event))) continue;
    const config = activeConfig(await readConfig(em, tenantId, plugin.name), new Date());
    if (config?.events.includes('purchase.created'))
      out[plugin.name] = { status: 'pending', attempts: 0, lastError: null, nextAttemptAt: null };
  }
  return out;
}
