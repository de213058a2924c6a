import { describe, expect, it } from 'vitest';
import { openOrm } from '../../src/db/orm.ts';

/**
 * Migration 0008 on data written before item types were records: every itemType in
 * use becomes a record of its tenant, a scheduler bucket exactly when it is the
 * literal `Scheduler_Bucket`. Runs on its own in-memory PGlite, from an empty schema.
 */
describe('migration 0008-catalog', () => {
  it('creates an item type record for every tenant and itemType value in use', async () => {
    const orm = await openOrm({});
    try {
      await orm.migrator.up({ to: '0004-outbox' });
      const sql = orm.em.fork().getConnection();
      for (const tenant of ['a', 'b']) {
        await sql.execute(`insert into tenants values ('${tenant}', '${tenant}', 1, now())`);
      }
      await sql.execute(`insert into items values
        ('a', 'pt', 'PT', 'appointment', 8000, 'Scheduler_Bucket', 'personal_training'),
        ('a', 'tee', 'T-shirt', 'product', 2000, 'Retail', 'standard'),
        ('a', 'yoga', 'Yoga', 'class', 2500, null, 'standard'),
        ('b', 'pt', 'PT', 'appointment', 8000, 'Retail', 'standard')`);
      await sql.execute(`insert into plans values
        ('b', 'six', 'Six', 'session_bucket', 6, false, 30000, 0, false, 'standard', 'Scheduler_Bucket', 100, '{pt}', '{"basis":"retail"}', '{}')`);
      await orm.migrator.up();
      const rows = await sql.execute(
        'select tenant_id, id, name, scheduler_bucket from item_types order by tenant_id, id',
      );
      expect(rows).toEqual([
        { tenant_id: 'a', id: 'Retail', name: 'Retail', scheduler_bucket: false },
        { tenant_id: 'a', id: 'Scheduler_Bucket', name: 'Scheduler_Bucket', scheduler_bucket: true },
        { tenant_id: 'b', id: 'Retail', name: 'Retail', scheduler_bucket: false },
        { tenant_id: 'b', id: 'Scheduler_Bucket', name: 'Scheduler_Bucket', scheduler_bucket: true },
      ]);
      const items = await sql.execute("select integrations from items where tenant_id = 'a' and id = 'pt'");
      expect(items).toEqual([{ integrations: {} }]);
      await orm.migrator.down({ to: '0004-outbox' });
      await orm.migrator.up();
    } finally {
      await orm.close(true);
    }
  }, 60_000);
});
