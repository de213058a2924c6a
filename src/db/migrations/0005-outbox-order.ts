import { Migration } from '@mikro-orm/migrations';

/**
 * The outbox without a tenant-wide queue (issue 15):
 * - outbox.seq comes from one global sequence, drawn by the column default when the
 *   event row is inserted. The default takes the transaction's id first
 *   (`pg_current_xact_id()`), so a transaction that holds a number is always one a
 *   snapshot can see running: that is what lets the dispatcher tell when every
 *   number up to some value is final (see src/outbox/horizon.ts). Rows written
 *   before this migration keep their per-tenant numbers; the sequence starts above
 *   all of them, so each tenant's order is unchanged.
 * - outbox_heads goes: nothing is locked per tenant at commit any more.
 * - outbox_subscribers.routed_seq: how far the dispatcher has sorted the global
 *   stream into (tenant, subscriber) cursors for that subscriber; seen_at: when a
 *   process last ran it (a subscriber unseen for the retention window no longer
 *   holds events back from pruning).
 * - outbox_cursors.head_seq: the last event routed to the pair; the pair is `owed`
 *   work when head_seq > last_seq. `owed` is a stored column (not just an index
 *   predicate) so the planner has statistics on it and probes the partial index of
 *   owed pairs instead of scanning every cursor: looking for work costs nothing
 *   when there is none.
 * - outbox_deliveries may be 'skipped' (an admin moved the line past an event that
 *   kept failing).
 */
export class Migration0005OutboxOrder extends Migration {
  override name = '0005-outbox-order';

  override up(): void {
    for (const statement of up.split(/;\s*\n/)) {
      if (statement.trim()) this.addSql(statement.trim());
    }
  }

  override down(): void {
    for (const statement of down.split(/;\s*\n/)) {
      if (statement.trim()) this.addSql(statement.trim());
    }
  }
}

const up = `
create sequence outbox_seq;
select setval('outbox_seq', coalesce((select max(seq) from outbox), 0) + 1, false);
alter sequence outbox_seq owned by outbox.seq;
alter table outbox alter column seq set default
  (case when pg_current_xact_id() is null then null else nextval('outbox_seq') end);
create index outbox_by_seq on outbox (seq) include (tenant_id);
alter table outbox_subscribers add column routed_seq bigint null;
update outbox_subscribers set routed_seq = (select last_value - 1 from outbox_seq);
alter table outbox_subscribers alter column routed_seq set not null;
alter table outbox_subscribers add column seen_at timestamptz not null default clock_timestamp();
alter table outbox_cursors add column head_seq bigint not null default 0;
update outbox_cursors c set head_seq = h.last_seq from outbox_heads h where h.tenant_id = c.tenant_id;
alter table outbox_cursors add column owed boolean generated always as (head_seq > last_seq) stored;
create index outbox_cursors_owed on outbox_cursors (subscriber, tenant_id) where owed;
create index outbox_cursors_leased on outbox_cursors (lease_owner) where lease_owner is not null;
alter table outbox_deliveries drop constraint outbox_deliveries_status_check;
alter table outbox_deliveries add constraint outbox_deliveries_status_check
  check (status in ('pending', 'delivered', 'failing', 'skipped'));
create index outbox_deliveries_failing on outbox_deliveries (tenant_id, subscriber) where status = 'failing';
drop table outbox_heads
`;

const down = `
create table outbox_heads (tenant_id text not null, last_seq bigint not null, primary key (tenant_id));
insert into outbox_heads (tenant_id, last_seq) select tenant_id, max(seq) from outbox group by tenant_id;
drop index outbox_deliveries_failing;
update outbox_deliveries set status = 'delivered' where status = 'skipped';
alter table outbox_deliveries drop constraint outbox_deliveries_status_check;
alter table outbox_deliveries add constraint outbox_deliveries_status_check
  check (status in ('pending', 'delivered', 'failing'));
drop index outbox_cursors_leased;
drop index outbox_cursors_owed;
alter table outbox_cursors drop column owed;
alter table outbox_cursors drop column head_seq;
alter table outbox_subscribers drop column routed_seq, drop column seen_at;
drop index outbox_by_seq;
alter table outbox alter column seq drop default;
drop sequence outbox_seq
`;
