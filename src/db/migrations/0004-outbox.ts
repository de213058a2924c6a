import { Migration } from '@mikro-orm/migrations';

/**
 * The transactional outbox and its deliveries, and the per-tenant integration
 * settings. Every key leads with tenant_id, like the rest of the schema.
 *
 * - outbox_heads: one row per tenant; taking it FOR UPDATE just before commit gives
 *   the tenant's events a gapless `seq` in commit order (two transactions of one
 *   tenant cannot interleave their numbers, so a reader never sees seq 7 before 6).
 * - outbox: the events, written in the transaction that made the change.
 * - outbox_subscribers: each durable subscriber's name and when it first appeared
 *   (it receives the events committed after that, never the whole history).
 * - outbox_cursors: how far each subscriber got in each tenant, with the lease that
 *   lets one process at a time work on that (tenant, subscriber) pair.
 * - outbox_deliveries: one row per (event, subscriber) delivery: attempts, last error,
 *   next attempt.
 * - integration_configs: a tenant's settings for one plugin; secrets in their own column.
 */
export class Migration0004Outbox extends Migration {
  override name = '0004-outbox';

  override up(): void {
    for (const statement of schema.split(/;\s*\n/)) {
      if (statement.trim()) this.addSql(statement.trim());
    }
  }

  override down(): void {
    this.addSql(
      'drop table integration_configs, outbox_deliveries, outbox_cursors, outbox_subscribers, outbox, outbox_heads',
    );
  }
}

const schema = `
create table outbox_heads (
  tenant_id text not null,
  last_seq bigint not null,
  primary key (tenant_id)
);
create table outbox (
  tenant_id text not null,
  seq bigint not null,
  id text not null,
  name text not null,
  subject text null,
  payload jsonb not null,
  occurred_at timestamptz not null,
  committed_at timestamptz not null default clock_timestamp(),
  primary key (tenant_id, seq)
);
create index outbox_subject on outbox (tenant_id, subject, name);
create table outbox_subscribers (
  name text primary key,
  registered_at timestamptz not null default clock_timestamp()
);
create table outbox_cursors (
  tenant_id text not null,
  subscriber text not null,
  last_seq bigint not null,
  next_attempt_at timestamptz null,
  lease_owner text null,
  leased_until timestamptz null,
  primary key (tenant_id, subscriber)
);
create index outbox_cursors_subscriber on outbox_cursors (subscriber, tenant_id);
create table outbox_deliveries (
  tenant_id text not null,
  subscriber text not null,
  seq bigint not null,
  status text not null check (status in ('pending', 'delivered', 'failing')),
  attempts int not null,
  last_error text null,
  next_attempt_at timestamptz null,
  delivered_at timestamptz null,
  updated_at timestamptz not null,
  primary key (tenant_id, subscriber, seq)
);
create index outbox_deliveries_seq on outbox_deliveries (tenant_id, seq);
create table integration_configs (
  tenant_id text not null,
  name text not null,
  enabled boolean not null,
  settings jsonb not null,
  secrets jsonb not null,
  updated_at timestamptz not null,
  primary key (tenant_id, name)
)
`;
