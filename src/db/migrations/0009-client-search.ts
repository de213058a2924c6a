import { Migration } from '@mikro-orm/migrations';

/**
 * The front desk finds a client by the start of a name or an email (issue 18):
 * clients get an optional email, and two indexes keep a prefix search an index
 * range scan however many clients a tenant has. Both index the lowercased text in
 * the "C" collation: `like 'sar%'` then becomes a range on the index (in any other
 * collation PostgreSQL cannot turn a LIKE prefix into a range), and the same order
 * serves the keyset pages (name, then id).
 */
export class Migration0009ClientSearch extends Migration {
  override name = '0009-client-search';

  override up(): void {
    this.addSql('alter table clients add column email text null');
    this.addSql('create index clients_name_prefix on clients (tenant_id, (lower(name) collate "C"), id)');
    this.addSql(
      'create index clients_email_prefix on clients (tenant_id, (lower(email) collate "C"), id) include (name) where email is not null',
    );
  }

  override down(): void {
    this.addSql('drop index clients_email_prefix');
    this.addSql('drop index clients_name_prefix');
    this.addSql('alter table clients drop column email');
  }
}
