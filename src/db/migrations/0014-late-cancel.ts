import { Migration } from '@mikro-orm/migrations';

/**
 * Issue 20 item 2 (late-cancel and no-show pack): a reservation keeps the penalty
 * its late cancel or no-show got — `{kind, fee, at, rule, reason, waived?}` — for
 * the host to charge the fee; null when none. Forgiveness counts a client's
 * forgiven late cancels, so those rows have a partial index of their own.
 */
export class Migration0014LateCancel extends Migration {
  override name = '0014-late-cancel';

  override up(): void {
    this.addSql('alter table reservations add column penalty jsonb null');
    this.addSql(
      'create index reservations_penalty_idx on reservations (tenant_id, client_id) where penalty is not null',
    );
  }

  override down(): void {
    this.addSql('drop index reservations_penalty_idx');
    this.addSql('alter table reservations drop column penalty');
  }
}
