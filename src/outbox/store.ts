import type { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/sql';
import { anyOf, query } from '../db/sql.ts';
import type { EventMap, EventName } from '../events.ts';
import type { Observation } from './horizon.ts';

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
  /** This claim's lease token: a later claim of the pair (or an admin's skip) replaces it. */
  lease: string;
  lastSeq: number;
  /** The last event routed to the pair: this turn reads no further. */
  headSeq: number;
  /** Set when the event at the head of the line failed before (or staff asked for a retry). */
  retrying: boolean;
}

/** A subscriber as the router sees it: its name, and whether only configured tenants want it. */
export interface RouteTarget {
  name: string;
  /** Route only tenants with settings for the integration of this name (integration_configs). */
  configuredOnly: boolean;
}

const big = (v: unknown) => BigInt(String(v));

/**
 * The dispatcher's SQL, each statement on its own (autocommit): no transaction stays
 * open while a subscriber runs, so a slow subscriber holds no connection and no lock.
 * Every statement is driven by an index and touches only rows that are new or still
 * owed; none reads the outbox's history (see the README's "Events and the outbox").
 */
export function outboxStore(orm: MikroORM) {
  const run = (sql: string, params: unknown[] = []) =>
    query({ tx: orm.em.fork() as unknown as EntityManager }, sql, params);
  const names = (list: readonly string[]) => JSON.stringify(list);

  return {
    /**
     * Durable subscribers keep their first registration; a new one receives the
     * events written from `at` on (the moment the process subscribed, which may be a
     * little before this statement runs). Its starting number is found among the
     * newest events only, walking the `seq` index down from the top.
     */
    async register(name: string, at: Date): Promise<void> {
      await run(
        `with recent as (select seq, committed_at from outbox order by seq desc limit 1000)
         insert into outbox_subscribers (name, registered_at, routed_seq)
         values ($1, $2, coalesce((select max(seq) from recent where committed_at < $2),
                                  (select min(seq) - 1 from recent), 0))
         on conflict (name) do update set seen_at = clock_timestamp()`,
        [name, at],
      );
    },

    async forget(name: string): Promise<void> {
      await run('delete from outbox_cursors where subscriber = $1', [name]);
      await run('delete from outbox_deliveries where subscriber = $1', [name]);
      await run('delete from outbox_subscribers where name = $1', [name]);
    },

    /**
     * The idle poll, one statement: the snapshot's xmin, the next transaction id and
     * the sequence's last value (both read after the snapshot; see horizon.ts), whether any pair of these
     * subscribers can be claimed now (a probe of the partial index of owed pairs), and
     * how far the least advanced of them is routed (primary-key lookups).
     */
    async observe(
      subscribers: readonly string[],
    ): Promise<Observation & { claimable: boolean; routed: bigint }> {
      const [row] = await run(
        `select x.xmin::text as xmin,
                -- age() counts from the next id to be assigned (this statement has none):
                -- the first id no transaction has yet, read now, after the snapshot.
                (x.xmin + age((x.xmin % 4294967296)::text::xid))::text as next,
                (select case when is_called then last_value else last_value - 1 end from outbox_seq) as last,
                exists (select 1 from outbox_cursors c
                         where c.owed and c.subscriber = ${anyOf(1)}
                           and (c.leased_until is null or c.leased_until < clock_timestamp())
                           and (c.next_attempt_at is null or c.next_attempt_at <= clock_timestamp())) as claimable,
                (select min(s.routed_seq) from outbox_subscribers s where s.name = ${anyOf(1)}) as routed
           from (select pg_snapshot_xmin(pg_current_snapshot())::text::bigint as xmin) x`,
        [names(subscribers)],
      );
      return {
        xmin: big(row.xmin),
        next: big(row.next),
        last: big(row.last),
        claimable: Boolean(row.claimable),
        // No row yet (a registration still on its way): nothing to route for it.
        routed: row.routed === null ? big(row.last) : big(row.routed),
      };
    },

    /**
     * Sorts the events numbered in (routed_seq, upTo] into (tenant, subscriber)
     * cursors: a new pair starts where the subscriber's routing stood, an existing
     * one gets a later head. One statement for all the subscribers; a subscriber
     * another process is routing right now is skipped (it will be done there).
     * Reads only the new range of the outbox, through its `seq` index (`from` is the
     * least routed_seq among them, from the last observation). Returns how
     * many pairs were given events.
     */
    async route(targets: readonly RouteTarget[], from: bigint, upTo: bigint): Promise<number> {
      const [row] = await run(
        `with s as (
           select name, routed_seq from outbox_subscribers
            where name = ${anyOf(1)} and routed_seq < $2
            for update skip locked
         ), t as (
           select s.name, s.routed_seq, o.tenant_id, max(o.seq) as head
             from s join outbox o on o.seq > s.routed_seq and o.seq > $4 and o.seq <= $2
            group by s.name, s.routed_seq, o.tenant_id
         ), c as (
           insert into outbox_cursors as c (tenant_id, subscriber, last_seq, head_seq)
           select t.tenant_id, t.name, t.routed_seq, t.head from t
            where not (t.name = ${anyOf(3)})
               or exists (select 1 from integration_configs i where i.tenant_id = t.tenant_id and i.name = t.name)
           on conflict (tenant_id, subscriber) do update set head_seq = greatest(c.head_seq, excluded.head_seq)
           returning 1
         ), u as (
           update outbox_subscribers u set routed_seq = $2 from s where u.name = s.name
         )
         select count(*) as pairs from c`,
        [
          names(targets.map((t) => t.name)),
          String(upTo),
          names(targets.filter((t) => t.configuredOnly).map((t) => t.name)),
          // The least routed position, as a constant: the planner then sees a short range of the index.
          String(from),
        ],
      );
      return Number(row?.pairs ?? 0);
    },

    /**
     * Leases up to `limit` pairs that are owed events, with no lease held and no retry
     * waiting. SKIP LOCKED lets several processes claim at once without waiting on
     * each other; the lease (not a held lock) then keeps the pair theirs while its
     * subscriber runs, renewed by the owner's heartbeat.
     */
    async claim(
      subscribers: readonly string[],
      lease: string,
      leaseMs: number,
      limit: number,
      tenantId?: string,
    ) {
      const rows = await run(
        `update outbox_cursors c
            set lease_owner = $1, leased_until = clock_timestamp() + $2::int * interval '1 millisecond'
           from (select c2.tenant_id, c2.subscriber from outbox_cursors c2
                  where c2.owed and c2.subscriber = ${anyOf(3)}
                    and (c2.leased_until is null or c2.leased_until < clock_timestamp())
                    and (c2.next_attempt_at is null or c2.next_attempt_at <= clock_timestamp())
                    and ($4::text is null or c2.tenant_id = $4)
                  order by c2.next_attempt_at nulls first
                  limit $5
                  for update of c2 skip locked) r
          where c.tenant_id = r.tenant_id and c.subscriber = r.subscriber
         returning c.tenant_id, c.subscriber, c.last_seq, c.head_seq, c.next_attempt_at is not null as retrying`,
        [lease, leaseMs, names(subscribers), tenantId ?? null, limit],
      );
      return rows.map(
        (r): ClaimedPair => ({
          tenantId: r.tenant_id,
          subscriber: r.subscriber,
          lease,
          lastSeq: Number(r.last_seq),
          headSeq: Number(r.head_seq),
          retrying: Boolean(r.retrying),
        }),
      );
    },

    /** Keeps the leases this process works under alive; a process that dies stops renewing. */
    async heartbeat(leases: readonly string[], leaseMs: number): Promise<void> {
      await run(
        `update outbox_cursors set leased_until = clock_timestamp() + $2::int * interval '1 millisecond'
          where lease_owner = ${anyOf(1)}`,
        [names(leases), leaseMs],
      );
    },

    /** The pair's events after its position, up to its routed head, through the primary key. */
    async eventsAfter(pair: ClaimedPair, seq: number, limit: number): Promise<OutboxEvent[]> {
      const rows = await run(
        `select seq, id, name, payload, occurred_at from outbox
          where tenant_id = $1 and seq > $2 and seq <= $3 order by seq limit $4`,
        [pair.tenantId, seq, pair.headSeq, limit],
      );
      return rows.map((r) => ({
        tenantId: pair.tenantId,
        seq: Number(r.seq),
        id: r.id,
        name: r.name,
        payload: (typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload) as never,
        occurredAt: new Date(r.occurred_at).toISOString(),
      }));
    },

    async attemptsSoFar(tenantId: string, subscriber: string, seq: number): Promise<number> {
      const [row] = await run(
        'select attempts from outbox_deliveries where tenant_id = $1 and subscriber = $2 and seq = $3',
        [tenantId, subscriber, seq],
      );
      return row?.attempts ?? 0;
    },

    /**
     * Records one delivery's outcome, moves the cursor and renews the lease, in one
     * statement, only while this claim still holds the lease. False: the lease was
     * lost (another claim, or an admin's skip, now owns the line), so stop.
     */
    async settle(
      pair: ClaimedPair,
      outcome: { seq: number; attempts: number } & (
        | { ok: true }
        | { ok: false; error: string; retryInMs: number }
      ),
      passedOver: number,
      leaseMs: number,
    ): Promise<boolean> {
      const failed = !outcome.ok;
      const rows = await run(
        `with moved as (
           update outbox_cursors
              set last_seq = $1, leased_until = clock_timestamp() + $2::int * interval '1 millisecond',
                  next_attempt_at = case when $3 then clock_timestamp() + $4::int * interval '1 millisecond' end
            where tenant_id = $5 and subscriber = $6 and lease_owner = $7
           returning next_attempt_at
         )
         insert into outbox_deliveries as d
                (tenant_id, subscriber, seq, status, attempts, last_error, next_attempt_at, delivered_at, updated_at)
         select $5, $6, $8, $9, $10, $11, moved.next_attempt_at, case when $3 then null else clock_timestamp() end, clock_timestamp()
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
          pair.lease,
          outcome.seq,
          failed ? 'failing' : 'delivered',
          outcome.attempts,
          failed ? outcome.error : null,
        ],
      );
      return rows.length > 0;
    },

    /** Moves the cursor over events the subscriber does not take, and ends the lease. */
    async release(pair: ClaimedPair, lastSeq: number): Promise<void> {
      await run(
        `update outbox_cursors set last_seq = greatest(last_seq, $1), lease_owner = null, leased_until = null
          where tenant_id = $2 and subscriber = $3 and lease_owner = $4`,
        [lastSeq, pair.tenantId, pair.subscriber, pair.lease],
      );
    },

    /**
     * How much is still owed to these subscribers: pairs with events after their
     * position, plus subscribers not yet routed up to `upTo`.
     */
    async behind(subscribers: readonly string[], upTo: bigint, tenantId?: string): Promise<number> {
      const [row] = await run(
        `select (select count(*) from outbox_cursors c
                  where c.owed and c.subscriber = ${anyOf(1)}
                    and ($2::text is null or c.tenant_id = $2))
              + (select count(*) from outbox_subscribers s where s.name = ${anyOf(1)} and s.routed_seq < $3) as n`,
        [names(subscribers), tenantId ?? null, String(upTo)],
      );
      return Number(row?.n ?? 0);
    },

    /** These subscribers are still run by a process (retention counts only those). */
    async seen(subscribers: readonly string[], at: Date): Promise<void> {
      await run(`update outbox_subscribers set seen_at = $2 where name = ${anyOf(1)}`, [
        names(subscribers),
        at,
      ]);
    },

    /**
     * Deletes up to `limit` events committed before `before` that every subscriber
     * seen since `before` has passed (routed, and its cursor for the tenant beyond
     * it), with their delivery records. Walks the `seq` index from `after`; returns
     * where it stopped, or null when it reached events newer than `before`.
     */
    async prune(
      before: Date,
      after: bigint,
      limit: number,
    ): Promise<{ deleted: number; next: bigint | null }> {
      const [row] = await run(
        `with batch as (
           select o.tenant_id, o.seq, o.committed_at from outbox o
            where o.seq > $2 order by o.seq limit $3
         ), live as (
           select name, routed_seq from outbox_subscribers where seen_at >= $1
         ), done as (
           select b.tenant_id, b.seq from batch b
            where b.committed_at < $1
              and b.seq <= coalesce((select min(routed_seq) from live), b.seq)
              and not exists (select 1 from outbox_cursors c join live on live.name = c.subscriber
                               where c.tenant_id = b.tenant_id and c.last_seq < b.seq)
         ), gone as (
           delete from outbox o using done where o.tenant_id = done.tenant_id and o.seq = done.seq returning o.tenant_id, o.seq
         ), logs as (
           delete from outbox_deliveries d using gone where d.tenant_id = gone.tenant_id and d.seq = gone.seq
         )
         select (select count(*) from gone) as deleted,
                (select max(seq) from batch) as last,
                (select count(*) from batch where committed_at >= $1) as young`,
        [before, String(after), limit],
      );
      const deleted = Number(row?.deleted ?? 0);
      const stop = row?.last === null || row?.last === undefined || Number(row.young) > 0;
      return { deleted, next: stop ? null : big(row.last) };
    },
  };
}

export type OutboxStore = ReturnType<typeof outboxStore>;
