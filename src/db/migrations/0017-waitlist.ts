import { Migration } from '@mikro-orm/migrations';

/**
 * Issue 20 item 6 (waitlist with a credit): a session may have a capacity (null:
 * unlimited, never full), and a full session keeps a waitlist. An entry may hold
 * credits while it waits (the tenant's `waitlistHoldsCredit`): the hold is a ledger
 * entry like a reservation's, and the entry keeps its shares as a claim does.
 */
export class Migration0017Waitlist extends Migration {
  override name = '0017-waitlist';

  override up(): void {
    this.addSql('alter table sessions add column capacity int null check (capacity >= 1)');
    this.addSql(`create table waitlist_entries (
  tenant_id text not null,
  id text not null,
  session_id text not null,
  client_id text not null,
  status text not null check (status in ('waiting', 'promoted', 'skipped', 'left')),
  joined_at timestamptz not null,
  ended_at timestamptz null,
  purchase_id text null,
  credit_state text not null check (credit_state in ('none', 'held', 'released')),
  covered_units int not null default 0 check (covered_units >= 0),
  shares jsonb null,
  credit_seq int not null default 0,
  reservation_id text null,
  reason text null,
  primary key (tenant_id, id),
  foreign key (tenant_id, session_id) references sessions (tenant_id, id) deferrable initially deferred,
  foreign key (tenant_id, client_id) references clients (tenant_id, id) deferrable initially deferred,
  foreign key (tenant_id, purchase_id) references purchases (tenant_id, id) deferrable initially deferred
)`);
    // Waiting in line order; one waiting entry per client per session, whatever the application checks.
    this.addSql(
      `create index waitlist_entries_line on waitlist_entries (tenant_id, session_id, joined_at, id) where status = 'waiting'`,
    );
    this.addSql(
      `create unique index waitlist_entries_one_waiting on waitlist_entries (tenant_id, session_id, client_id) where status = 'waiting'`,
    );
  }

  override down(): void {
    this.addSql('drop table waitlist_entries');
    this.addSql('alter table sessions drop column capacity');
  }
}
