import { Migration } from '@mikro-orm/migrations';

/**
 * Money columns become bigint: minor units pass 2³¹ (21 474 836.47 in a two-decimal
 * currency), and a ticket line's amount is units × unit price. The request schemas
 * bound money at 10¹⁰, so every value stays exact as a JS number.
 *
 * Idempotency scopes: a tenant's become `tenant:<id>`, so none can equal the
 * platform's `platform`. Rows stored under `platform` while a tenant of that id
 * exists cannot be told apart and are dropped (their keys merely stop replaying).
 */
export class Migration0002MoneyAndScopes extends Migration {
  override name = '0002-money-and-scopes';

  override up(): void {
    this.addSql('alter table items alter column price type bigint');
    this.addSql('alter table plans alter column price type bigint');
    this.addSql('alter table sessions alter column price type bigint');
    this.addSql(
      'alter table ticket_lines alter column unit_price type bigint, alter column amount_due type bigint, alter column commission_base type bigint',
    );
    this.addSql(
      "delete from idempotency_records where scope = 'platform' and exists (select 1 from tenants where id = 'platform')",
    );
    this.addSql("update idempotency_records set scope = 'tenant:' || scope where scope <> 'platform'");
  }

  override down(): void {
    this.addSql("delete from idempotency_records where scope like 'tenant:platform'");
    this.addSql("update idempotency_records set scope = substr(scope, 8) where scope like 'tenant:%'");
    this.addSql(
      'alter table ticket_lines alter column unit_price type int, alter column amount_due type int, alter column commission_base type int',
    );
    this.addSql('alter table sessions alter column price type int');
    this.addSql('alter table plans alter column price type int');
    this.addSql('alter table items alter column price type int');
  }
}
