import { addPlan, buy, type Studio } from './fixtures.ts';
import { testPlugin } from './plugin.ts';

/**
 * `count` reservations of twenty clients, each holding a credit of one purchase, on
 * sessions starting a minute apart from 2026-03-03 on (one per client each), written
 * straight with SQL (the API would take minutes for this many).
 */
export async function manyReservations(t: Studio, count: number): Promise<string> {
  const purchase = await buy(t, await addPlan(t, { name: 'Big', credits: 1000 }));
  const { orm } = await testPlugin();
  const db = orm.em.fork().getConnection();
  const sessions = Math.ceil(count / 20);
  await db.execute(`insert into clients select ?, 'bulk' || g, 'Bulk ' || g from generate_series(0, 19) g`, [
    t.id,
  ]);
  await db.execute(
    `insert into sessions (tenant_id, id, item_id, location_id, starts_at, ends_at, price, units, swept_at)
     select ?, 'bulk' || g, 'yoga', 'loc', timestamptz '2026-03-03T10:00:00Z' + g * interval '1 minute',
            timestamptz '2026-03-03T10:30:00Z' + g * interval '1 minute', null, 1, null
       from generate_series(0, ? - 1) g`,
    [t.id, sessions],
  );
  await db.execute(
    `insert into reservations (tenant_id, id, client_id, session_id, channel, status, purchase_id, manual_purchase,
            credit_state, covered_units, credit_seq, started_applied, ended_applied, created_at)
     select ?, 'bulk' || g, 'bulk' || (g % 20), 'bulk' || (g / 20), 'online', 'booked', ?, false, 'held', 1, 1, false, false,
            timestamptz '2026-03-01T00:00:00Z'
       from generate_series(0, ? - 1) g`,
    [t.id, purchase.id, count],
  );
  return purchase.id;
}
