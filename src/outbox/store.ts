import type { MikroORM } from '@mikro-orm/core';
import type { EventMap, EventName } from '../events.ts';

/** One outbox row as a subscriber receives it. */
export interface OutboxEvent<K extends EventName = EventName> {
  tenantId: string;
  seq: number;
  id: string;
  name: K;
  payload: EventMap[K];
  occurredAt: string;
}

export interface ClaimedPair {
  tenantId: string;
  subscriber: string;
  lastSeq: number;
  /** Set when the event at the head of the line failed before (or staff asked for a retry). */
  retrying: boolean;
}

/**
 * The dispatcher's SQL, each statement on its own (autocommit): no transaction stays
 * open while a subscriber runs, so a slow subscriber holds no connection and no lock.
 */
export function outboxStore(orm: MikroORM) {
  const run = async <T = unknown>(sql: string, params: unknown[] = []): Promise<T> =>
    (await orm.em.fork().getConnection().execute(sql, params)) as T;
  const names = (list: readonly string[]) => JSON.stringify(list);

  return {
    /** Durable subscribers keep their first registration; a new one starts from now. */
    async register(name: string, at: Date): Promise<void> {
      await run('insert into outbox_subscribers (name, registered_at) values (?, ?) on conflict do nothing', [
        name,
        at,
      ]);
    },

    async forget(name: string): Promise<void> {
      await run('delete from outbox_cursors where subscriber = ?', [name]);
      await run('delete from outbox_deliveries where subscriber = ?', [name]);
      await run('delete from outbox_subscribers where name = ?', [name]);
    },

    /** A cursor for every (tenant, subscriber) pair, placed at the subscriber's registration. */
    async openCursors(subscribers: readonly string[]): Promise<void> {
      await run(
        `insert into outbox_cursors (tenant_id, subscriber, last_seq)
         select h.tenant_id, s.name,
                coalesce((select max(o.seq) from outbox o
                           where o.tenant_id = h.tenant_id and o.committed_at < s.registered_at), 0)
           from outbox_heads h
           join outbox_subscribers s on s.name in (select jsonb_array_elements_text(cast(? as jsonb)))
          where not exists (select 1 from outbox_cursors c where c.tenant_id = h.tenant_id and c.subscriber = s.name)
         on conflict do nothing`,
        [names(subscribers)],
      );
    },

    /**
     * Leases up to `limit` pairs that have events to deliver and no retry waiting.
     * SKIP LOCKED lets several processes claim at once without waiting on each other;
     * the lease (not a held lock) then keeps the pair theirs while its subscriber runs.
     */
    async claim(
      subscribers: readonly string[],
      owner: string,
      leaseMs: number,
      limit: number,
      busy: readonly string[],
      tenantId?: string,
    ) {
      const rows = await run<
        { tenant_id: string; subscriber: string; last_seq: string | number; retrying: boolean }[]
      >(
        `update outbox_cursors c
            set lease_owner = ?, leased_until = clock_timestamp() + ? * interval '1 millisecond'
           from (select c2.tenant_id, c2.subscriber
                   from outbox_cursors c2
                   join outbox_heads h on h.tenant_id = c2.tenant_id
                  where c2.subscriber in (select jsonb_array_elements_text(cast(? as jsonb)))
                    and h.last_seq > c2.last_seq
                    and (c2.leased_until is null or c2.leased_until < clock_timestamp())
                    and (c2.next_attempt_at is null or c2.next_attempt_at <= clock_timestamp())
                    and (cast(? as text) is null or c2.tenant_id = ?)
                    and c2.tenant_id || '/' || c2.subscriber not in (select jsonb_array_elements_text(cast(? as jsonb)))
                  order by c2.next_attempt_at nulls first
                  limit ?
                  for update of c2 skip locked) r
          where c.tenant_id = r.tenant_id and c.subscriber = r.subscriber
         returning c.tenant_id, c.subscriber, c.last_seq, c.next_attempt_at is not null as retrying`,
        [owner, leaseMs, names(subscribers), tenantId ?? null, tenantId ?? null, names(busy), limit],
      );
      return rows.map(
        (r): ClaimedPair => ({
          tenantId: r.tenant_id,
          subscriber: r.subscriber,
          lastSeq: Number(r.last_seq),
          retrying: Boolean(r.retrying),
        }),
      );
    },

    async eventsAfter(tenantId: string, seq: number, limit: number): Promise<OutboxEvent[]> {
      const rows = await run<
        { seq: string | number; id: string; name: EventName; payload: unknown; occurred_at: Date | string }[]
      >(
        'select seq, id, name, payload, occurred_at from outbox where tenant_id = ? and seq > ? order by seq limit ?',
        [tenantId, seq, limit],
      );
      return rows.map((r) => ({
        tenantId,
        seq: Number(r.seq),
        id: r.id,
        name: r.name,
        payload: (typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload) as never,
        occurredAt: new Date(r.occurred_at).toISOString(),
      }));
    },

    async attemptsSoFar(tenantId: string, subscriber: string, seq: number): Promise<number> {
      const [row] = await run<{ attempts: number }[]>(
        'select attempts from outbox_deliveries where tenant_id = ? and subscriber = ? and seq = ?',
        [tenantId, subscriber, seq],
      );
      return row?.attempts ?? 0;
    },

    /**
     * Records one delivery's outcome, moves the cursor and renews the lease, in one
     * statement, only while this process still holds the lease. False: the lease was lost (another process
     * now owns the pair), so stop.
     */
    async settle(
      pair: ClaimedPair,
      owner: string,
      outcome: { seq: number; attempts: number } & (
        | { ok: true }
        | { ok: false; error: string; retryInMs: number }
      ),
      passedOver: number,
      leaseMs: number,
    ): Promise<boolean> {
      const failed = !outcome.ok;
      const rows = await run<{ ok: number }[]>(
        `with moved as (
           update outbox_cursors
              set last_seq = ?, leased_until = clock_timestamp() + ? * interval '1 millisecond',
                  next_attempt_at = case when ? then clock_timestamp() + ? * interval '1 millisecond' end
            where tenant_id = ? and subscriber = ? and lease_owner = ?
           returning next_attempt_at
         )
         insert into outbox_deliveries as d
                (tenant_id, subscriber, seq, status, attempts, last_error, next_attempt_at, delivered_at, updated_at)
         select ?, ?, ?, ?, ?, ?, moved.next_attempt_at, case when ? then null else clock_timestamp() end, clock_timestamp()
           from moved
         on conflict (tenant_id, subscriber, seq) do update
            set status = excluded.status, attempts = excluded.attempts,
                last_error = coalesce(excluded.last_error, d.last_error),
                next_attempt_at = excluded.next_attempt_at, delivered_at = excluded.delivered_at,
                updated_at = excluded.updated_at
         returning 1 as ok`,
        [
          failed ? passedOver : outcome.seq,
          leaseMs,
          failed,
          failed ? outcome.retryInMs : 0,
          pair.tenantId,
          pair.subscriber,
          owner,
          pair.tenantId,
          pair.subscriber,
          outcome.seq,
          failed ? 'failing' : 'delivered',
          outcome.attempts,
          failed ? outcome.error : null,
          failed,
        ],
      );
      return rows.length > 0;
    },

    /** Moves the cursor over events the subscriber does not take, and ends the lease. */
    async release(pair: ClaimedPair, owner: string, lastSeq: number): Promise<void> {
      await run(
        `update outbox_cursors set last_seq = greatest(last_seq, ?), lease_owner = null, leased_until = null
          where tenant_id = ? and subscriber = ? and lease_owner = ?`,
        [lastSeq, pair.tenantId, pair.subscriber, owner],
      );
    },

    /** How many (tenant, subscriber) pairs still have events to deliver. */
    async behind(subscribers: readonly string[], tenantId?: string): Promise<number> {
      const [row] = await run<{ n: string | number }[]>(
        `select count(*) as n from outbox_heads h
           join outbox_subscribers s on s.name in (select jsonb_array_elements_text(cast(? as jsonb)))
           left join outbox_cursors c on c.tenant_id = h.tenant_id and c.subscriber = s.name
          where h.last_seq > coalesce(c.last_seq, 0) and (cast(? as text) is null or h.tenant_id = ?)`,
        [names(subscribers), tenantId ?? null, tenantId ?? null],
      );
      return Number(row?.n ?? 0);
    },
  };
}

export type OutboxStore = ReturnType<typeof outboxStore>;
