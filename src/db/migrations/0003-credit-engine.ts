import { Migration } from '@mikro-orm/migrations';

/**
 * The one credit engine (issue 8):
 * - ledger entries name the ticket line they belong to, so a claim's entries are
 *   found by reference, never by matching idempotency-key prefixes;
 * - ticket lines lose amount_due, commission_base and label: written, never read
 *   (the POS view computes them from the claim);
 * - a partial index of the reservations whose time triggers are not done yet, so a
 *   client's catch-up reads only those, however long its history.
 */
export class Migration0003CreditEngine extends Migration {
  override name = '0003-credit-engine';

  override up(): void {
    this.addSql('alter table ledger_entries add column line_no int null');
    this.addSql(
      'alter table ticket_lines drop column amount_due, drop column commission_base, drop column label',
    );
    this.addSql(
      'create index reservations_client_pending on reservations (tenant_id, client_id) where not ended_applied',
    );
  }

  override down(): void {
    this.addSql('drop index reservations_client_pending');
    this.addSql(
      'alter table ticket_lines add column amount_due bigint not null default 0 check (amount_due >= 0), add column commission_base bigint null, add column label text null',
    );
    this.addSql('alter table ledger_entries drop column line_no');
  }
}
