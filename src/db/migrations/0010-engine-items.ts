import { Migration } from '@mikro-orm/migrations';

/**
 * Issue 17 (engine items): a session the studio canceled keeps the instant it was
 * canceled (it can no longer be booked, and a second cancel answers the same), and
 * a waived no-show is a ledger entry of its own kind.
 */
export class Migration0010EngineItems extends Migration {
  override name = '0010-engine-items';

  override up(): void {
    this.addSql('alter table sessions add column canceled_at timestamptz null');
    this.addSql('alter table ledger_entries drop constraint ledger_entries_kind_check');
    this.addSql(
      `alter table ledger_entries add constraint ledger_entries_kind_check
        check (kind in ('grant', 'addition', 'deduction', 'hold', 'use', 'release', 'refund', 'expiry', 'void', 'waive'))`,
    );
  }

  override down(): void {
    this.addSql('alter table ledger_entries drop constraint ledger_entries_kind_check');
    this.addSql(
      `alter table ledger_entries add constraint ledger_entries_kind_check
        check (kind in ('grant', 'addition', 'deduction', 'hold', 'use', 'release', 'refund', 'expiry', 'void'))`,
    );
    this.addSql('alter table sessions drop column canceled_at');
  }
}
