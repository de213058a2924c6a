import { Migration } from '@mikro-orm/migrations';

const before = `'grant', 'addition', 'deduction', 'hold', 'use', 'release', 'refund', 'expiry', 'void', 'waive'`;
/** Issue 20 (studio policies): late-cancel and no-show outcomes, forgiveness, transfers. */
const studio = `'late_cancel', 'no_show_forfeit', 'forgiven', 'forfeit_waive', 'transfer_out', 'transfer_in'`;

/** The ledger kinds the studio policies write, in one place so each policy's own migration stays about its tables. */
export class Migration0012StudioLedgerKinds extends Migration {
  override name = '0012-studio-ledger-kinds';

  override up(): void {
    this.addSql('alter table ledger_entries drop constraint ledger_entries_kind_check');
    this.addSql(
      `alter table ledger_entries add constraint ledger_entries_kind_check check (kind in (${before}, ${studio}))`,
    );
  }

  override down(): void {
    this.addSql('alter table ledger_entries drop constraint ledger_entries_kind_check');
    this.addSql(
      `alter table ledger_entries add constraint ledger_entries_kind_check check (kind in (${before}))`,
    );
  }
}
