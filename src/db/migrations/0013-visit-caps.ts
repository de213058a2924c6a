import { Migration } from '@mikro-orm/migrations';

/**
 * Issue 20 item 1 (visit caps): a plan may cap its purchases' visits per day, week
 * or month, `{count, period, anchor, mode, rollover?}`; null when uncapped.
 */
export class Migration0013VisitCaps extends Migration {
  override name = '0013-visit-caps';

  override up(): void {
    this.addSql('alter table plans add column cap jsonb null');
  }

  override down(): void {
    this.addSql('alter table plans drop column cap');
  }
}
