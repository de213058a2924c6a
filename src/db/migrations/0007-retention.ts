import { Migration } from '@mikro-orm/migrations';

/**
 * Retention: idempotency records are kept for a window (24 hours, see
 * `http/idempotency.ts`) and pruned by age, so their age is indexed.
 */
export class Migration0007Retention extends Migration {
  override name = '0007-retention';

  override up(): void {
    this.addSql('create index idempotency_records_created_at on idempotency_records (created_at)');
  }

  override down(): void {
    this.addSql('drop index idempotency_records_created_at');
  }
}
