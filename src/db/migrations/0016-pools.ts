import { Migration } from '@mikro-orm/migrations';

/**
 * Issue 20 items 4 and 5 (shared pools, transfers). A purchase's household lives on
 * its own row, `pool = {members, caps, used}`, so the locking read of a member gets
 * its latest version with the purchase row it locks (a members table would be read
 * from the statement's older snapshot). `used` has a key for every client who was ever
 * a member: a GIN index on it finds the purchases a client may hold credits of.
 * Each ledger entry names the client it moved credits for.
 */
export class Migration0016Pools extends Migration {
  override name = '0016-pools';

  override up(): void {
    this.addSql('alter table purchases add column pool jsonb null');
    this.addSql(
      `create index purchases_pool_clients on purchases using gin ((pool -> 'used')) where pool is not null`,
    );
    this.addSql('alter table ledger_entries add column client_id text null');
    this.addSql(
      `update ledger_entries e set client_id = coalesce(
         (select r.client_id from reservations r where r.tenant_id = e.tenant_id and r.id = e.reservation_id),
         (select t.client_id from tickets t where t.tenant_id = e.tenant_id and t.id = e.ticket_id),
         (select p.client_id from purchases p where p.tenant_id = e.tenant_id and p.id = e.purchase_id))`,
    );
  }

  override down(): void {
    this.addSql('alter table ledger_entries drop column client_id');
    this.addSql('drop index purchases_pool_clients');
    this.addSql('alter table purchases drop column pool');
  }
}
