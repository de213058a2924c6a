import { Migration } from '@mikro-orm/migrations';

/**
 * Issue 20 items 3 and 7. Freezes: each row is one stretch of local dates (both ends
 * included) during which the purchase pays for nothing, with the instants that
 * stretch covers in the location's zone; `days` is what it adds to the expiry (an
 * early unfreeze shortens it, one undone before it began counts 0). Plans gain the
 * settings `max_freeze_days`, `low_balance_at` and `expiring_notice_days`.
 * `expiry_notices` remembers which expiry of a purchase was announced
 * (`credits.expiring`): keyed by the expiry instant, so a moved expiry is announced again.
 */
export class Migration0015FreezesAndAlerts extends Migration {
  override name = '0015-freezes-and-alerts';

  override up(): void {
    this.addSql(`create table purchase_freezes (
  tenant_id text not null,
  id text not null,
  purchase_id text not null,
  from_date date not null,
  to_date date not null,
  starts_at timestamptz not null,
  ends_at timestamptz not null,
  days int not null check (days >= 0 and days <= 366),
  reason text not null,
  actor text not null,
  created_at timestamptz not null,
  unfrozen_at timestamptz null,
  unfreeze_reason text null,
  primary key (tenant_id, id),
  foreign key (tenant_id, purchase_id) references purchases (tenant_id, id) deferrable initially deferred
)`);
    this.addSql(
      'create index purchase_freezes_purchase on purchase_freezes (tenant_id, purchase_id, from_date)',
    );
    this.addSql('alter table plans add column max_freeze_days int null');
    this.addSql('alter table plans add column low_balance_at int null');
    this.addSql('alter table plans add column expiring_notice_days int null');
    this.addSql(`create table expiry_notices (
  tenant_id text not null,
  purchase_id text not null,
  expires_at timestamptz not null,
  notified_at timestamptz not null,
  primary key (tenant_id, purchase_id, expires_at)
)`);
    // The expiring-soon sweep (and expiry) walk live purchases by expiry, not the whole table.
    this.addSql(
      `create index purchases_expiring on purchases (tenant_id, expires_at)
        where status in ('active', 'on_hold') and expires_at is not null`,
    );
  }

  override down(): void {
    this.addSql('drop index purchases_expiring');
    this.addSql('drop table expiry_notices');
    this.addSql('alter table plans drop column expiring_notice_days');
    this.addSql('alter table plans drop column low_balance_at');
    this.addSql('alter table plans drop column max_freeze_days');
    this.addSql('drop table purchase_freezes');
  }
}
