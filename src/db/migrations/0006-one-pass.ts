import { Migration } from '@mikro-orm/migrations';

/**
 * One pass per operation (issue 15): the client's locking read takes its live
 * purchases only — active or on hold with credits left (or unlimited), or holding
 * credits — so its cost does not grow with years of used-up purchases. This
 * partial index answers that part; recent sales come from purchases_client.
 */
export class Migration0006OnePass extends Migration {
  override name = '0006-one-pass';

  override up(): void {
    this.addSql(
      `create index purchases_live on purchases (tenant_id, client_id)
        where (status in ('active', 'on_hold') and (unlimited or remaining > 0)) or held > 0`,
    );
  }

  override down(): void {
    this.addSql('drop index purchases_live');
  }
}
