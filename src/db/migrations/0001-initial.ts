import { Migration } from '@mikro-orm/migrations';

/**
 * The whole schema. Every tenant-owned table leads its key and indexes with
 * tenant_id, so it can later be distributed by tenant (Citus) unchanged.
 * The CHECK on purchases makes an inconsistent balance impossible to commit.
 * Foreign keys are checked at commit, so the order in which the unit of work
 * inserts rows inside a transaction never matters. A table whose composite key
 * already leads to a tenant-owned row does not reference tenants again: each
 * foreign key is a check per written row, and the ledger is written a lot.
 */
export class Migration0001Initial extends Migration {
  override name = '0001-initial';

  override up(): void {
    // One statement per addSql: drivers refuse several in one prepared statement.
    for (const statement of schema.split(/;\s*\n/)) {
      if (statement.trim()) this.addSql(statement.trim());
    }
  }

  override down(): void {
    this.addSql(
      'drop table idempotency_records, ticket_lines, tickets, reservations, sessions, ledger_entries, purchases, plans, items, clients, locations, ruleset_versions, api_keys, tenants',
    );
  }
}

const schema = `
create table tenants (
  id text primary key,
  name text not null,
  active_version int not null,
  created_at timestamptz not null
);
create table api_keys (
  key_hash text primary key,
  tenant_id text not null references tenants (id) deferrable initially deferred,
  role text not null check (role in ('admin', 'staff')),
  created_at timestamptz not null
);
create index api_keys_tenant on api_keys (tenant_id);
create table ruleset_versions (
  tenant_id text not null references tenants (id) deferrable initially deferred,
  version int not null,
  hash text not null,
  ruleset jsonb not null,
  actor text not null,
  note text null,
  created_at timestamptz not null,
  primary key (tenant_id, version)
);
create table locations (
  tenant_id text not null references tenants (id) deferrable initially deferred,
  id text not null,
  name text not null,
  time_zone text not null,
  primary key (tenant_id, id)
);
create table clients (
  tenant_id text not null references tenants (id) deferrable initially deferred,
  id text not null,
  name text not null,
  primary key (tenant_id, id)
);
create table items (
  tenant_id text not null references tenants (id) deferrable initially deferred,
  id text not null,
  name text not null,
  kind text not null check (kind in ('class', 'appointment', 'event', 'product')),
  price int not null check (price >= 0),
  item_type text null,
  bucket_type text not null check (bucket_type in ('standard', 'personal_training')),
  primary key (tenant_id, id)
);
create table plans (
  tenant_id text not null references tenants (id) deferrable initially deferred,
  id text not null,
  name text not null,
  kind text not null check (kind in ('package', 'membership', 'session_bucket')),
  credits int null check (credits >= 1),
  unlimited boolean not null,
  price int not null check (price >= 0),
  days_to_expire int not null check (days_to_expire >= 0),
  one_day boolean not null,
  bucket_type text null check (bucket_type in ('standard', 'personal_training')),
  item_type text null,
  priority int not null,
  item_ids text[] not null,
  commission jsonb not null,
  integrations jsonb not null,
  primary key (tenant_id, id),
  check (unlimited = (credits is null)),
  check (not (one_day and days_to_expire > 0))
);
create table purchases (
  tenant_id text not null,
  id text not null,
  client_id text not null,
  plan_id text not null,
  location_id text not null,
  purchased_at timestamptz not null,
  expires_at timestamptz null,
  status text not null check (status in ('active', 'on_hold', 'expired', 'voided')),
  source text not null check (source in ('pos', 'recurring')),
  unlimited boolean not null,
  total int not null check (total >= 0),
  held int not null check (held >= 0),
  used int not null check (used >= 0),
  deducted int not null check (deducted >= 0),
  expired int not null check (expired >= 0),
  remaining int not null,
  created_at timestamptz not null,
  primary key (tenant_id, id),
  foreign key (tenant_id, client_id) references clients (tenant_id, id) deferrable initially deferred,
  foreign key (tenant_id, plan_id) references plans (tenant_id, id) deferrable initially deferred,
  foreign key (tenant_id, location_id) references locations (tenant_id, id) deferrable initially deferred,
  check (remaining = total - held - used - deducted - expired),
  check (unlimited or remaining >= 0)
);
create index purchases_client on purchases (tenant_id, client_id, purchased_at);
create table ledger_entries (
  tenant_id text not null,
  id text not null,
  purchase_id text not null,
  kind text not null check (kind in ('grant', 'addition', 'deduction', 'hold', 'use', 'release', 'refund', 'expiry', 'void')),
  total int not null,
  held int not null,
  used int not null,
  deducted int not null,
  expired int not null,
  reservation_id text null,
  ticket_id text null,
  actor text not null,
  reason text null,
  idempotency_key text not null,
  policy_version int null,
  occurred_at timestamptz not null,
  -- Commit order within the database: what "used so far" counts by (B20).
  seq bigint generated always as identity,
  primary key (tenant_id, id),
  unique (tenant_id, idempotency_key),
  foreign key (tenant_id, purchase_id) references purchases (tenant_id, id) deferrable initially deferred
);
create index ledger_entries_purchase on ledger_entries (tenant_id, purchase_id, seq);
create table sessions (
  tenant_id text not null,
  id text not null,
  item_id text not null,
  location_id text not null,
  starts_at timestamptz not null,
  ends_at timestamptz not null,
  price int null check (price >= 0),
  units int not null check (units >= 1),
  swept_at timestamptz null,
  primary key (tenant_id, id),
  foreign key (tenant_id, item_id) references items (tenant_id, id) deferrable initially deferred,
  foreign key (tenant_id, location_id) references locations (tenant_id, id) deferrable initially deferred,
  check (ends_at > starts_at)
);
create index sessions_unswept on sessions (ends_at) where swept_at is null;
create table reservations (
  tenant_id text not null,
  id text not null,
  client_id text not null,
  session_id text not null,
  channel text not null check (channel in ('in_store', 'online')),
  status text not null check (status in ('booked', 'checked_in', 'no_show', 'canceled')),
  purchase_id text null,
  manual_purchase boolean not null,
  credit_state text not null check (credit_state in ('none', 'assigned', 'held', 'used', 'released')),
  covered_units int not null check (covered_units >= 0),
  credit_seq int not null default 0,
  started_applied boolean not null,
  ended_applied boolean not null,
  policy_version int null,
  explain jsonb null,
  created_at timestamptz not null,
  primary key (tenant_id, id),
  foreign key (tenant_id, client_id) references clients (tenant_id, id) deferrable initially deferred,
  foreign key (tenant_id, session_id) references sessions (tenant_id, id) deferrable initially deferred,
  foreign key (tenant_id, purchase_id) references purchases (tenant_id, id) deferrable initially deferred
);
create index reservations_session on reservations (tenant_id, session_id);
create index reservations_client on reservations (tenant_id, client_id);
-- One live reservation per client per session, whatever the application checks.
create unique index reservations_one_live on reservations (tenant_id, session_id, client_id) where status <> 'canceled';
create table tickets (
  tenant_id text not null,
  id text not null,
  client_id text not null,
  location_id text not null,
  manual boolean not null,
  status text not null check (status in ('open', 'saved', 'closed', 'voided', 'refunded')),
  policy_version int null,
  void_reason text null,
  created_at timestamptz not null,
  closed_at timestamptz null,
  primary key (tenant_id, id),
  foreign key (tenant_id, client_id) references clients (tenant_id, id) deferrable initially deferred,
  foreign key (tenant_id, location_id) references locations (tenant_id, id) deferrable initially deferred
);
create table ticket_lines (
  tenant_id text not null,
  ticket_id text not null,
  line_no int not null,
  item_id text not null,
  reservation_id text null,
  unit_price int not null check (unit_price >= 0),
  units int not null check (units >= 1),
  covered_units int not null check (covered_units >= 0),
  purchase_id text null,
  credit_state text not null check (credit_state in ('none', 'assigned', 'held', 'used', 'released')),
  credit_seq int not null default 0,
  amount_due int not null check (amount_due >= 0),
  commission_base int null,
  label text null,
  primary key (tenant_id, ticket_id, line_no),
  foreign key (tenant_id, ticket_id) references tickets (tenant_id, id) deferrable initially deferred,
  foreign key (tenant_id, item_id) references items (tenant_id, id) deferrable initially deferred
);
create index ticket_lines_reservation on ticket_lines (tenant_id, reservation_id) where reservation_id is not null;
create table idempotency_records (
  scope text not null,
  key text not null,
  request_hash text not null,
  status int not null,
  -- The exact bytes first answered, so a replay is byte-for-byte the same.
  body text not null,
  created_at timestamptz not null,
  primary key (scope, key)
);
`;
