import { Migration } from '@mikro-orm/migrations';

/**
 * Issue 17 item 5 (B10 across purchases): a reservation or ticket line that draws
 * from more than one purchase keeps each purchase's share, `[{purchaseId, units}]`
 * in the assignment order; null when one purchase (the row's purchase_id) pays.
 */
export class Migration0011ClaimShares extends Migration {
  override name = '0011-claim-shares';

  override up(): void {
    this.addSql('alter table reservations add column shares jsonb null');
    this.addSql('alter table ticket_lines add column shares jsonb null');
  }

  override down(): void {
    this.addSql('alter table ticket_lines drop column shares');
    this.addSql('alter table reservations drop column shares');
  }
}
