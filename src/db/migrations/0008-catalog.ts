import { Migration } from '@mikro-orm/migrations';

/**
 * The front desk and the catalog (issue 17):
 * - item_types: a tenant's item types as records, each saying whether it is a
 *   scheduler bucket (B7). Items and plans name one by id in their item_type column.
 *   Every value already in use becomes a record of the same id and name, flagged a
 *   scheduler bucket exactly when it is the literal `Scheduler_Bucket` — so existing
 *   purchases grant what they granted before.
 * - items.integrations: per-item flags, e.g. `{ "clubOs": true }` to send the item's
 *   bookings, check-ins, no-shows and cancellations to Club OS.
 * - sessions.staff_id: who teaches or runs a session (optional), for the schedule.
 * - sessions_schedule: the schedule's keyset order (start, id) within a tenant; a
 *   client's history pages walk it too (backwards) when the planner finds that cheaper.
 */
export class Migration0008Catalog extends Migration {
  override name = '0008-catalog';

  override up(): void {
    this.addSql(`create table item_types (
  tenant_id text not null references tenants (id) deferrable initially deferred,
  id text not null,
  name text not null,
  scheduler_bucket boolean not null,
  primary key (tenant_id, id)
)`);
    this.addSql(`insert into item_types (tenant_id, id, name, scheduler_bucket)
select distinct tenant_id, item_type, item_type, item_type = 'Scheduler_Bucket'
  from (select tenant_id, item_type from items union select tenant_id, item_type from plans) used
 where item_type is not null`);
    this.addSql("alter table items add column integrations jsonb not null default '{}'::jsonb");
    this.addSql('alter table sessions add column staff_id text null');
    this.addSql('create index sessions_schedule on sessions (tenant_id, starts_at, id)');
  }

  override down(): void {
    this.addSql('drop index sessions_schedule');
    this.addSql('alter table sessions drop column staff_id');
    this.addSql('alter table items drop column integrations');
    this.addSql('drop table item_types');
  }
}
