import pg from 'pg';
import { createCreditsPlugin } from '../src/plugin.ts';
import { benchDatabase } from './bench-db.ts';

/**
 * Sweep time for N ended reservations on a real PostgreSQL, for growing N: the
 * rows are inserted straight with SQL (MyTime tenant, every reservation holding
 * one credit), then one call of the plugin's sweep uses them all.
 */
export async function seed(url: string, tenantId: string, reservations: number): Promise<void> {
  const sql = new pg.Client({ connectionString: url });
  await sql.connect();
  const perSession = 20;
  const clients = Math.max(1, Math.floor(reservations / 50));
  const sessions = Math.ceil(reservations / perSession);
  await sql.query('begin');
  await sql.query(`insert into locations values ($1, 'loc', 'Main', 'UTC')`, [tenantId]);
  await sql.query(`insert into items values ($1, 'yoga', 'Yoga', 'class', 2000, null, 'standard')`, [
    tenantId,
  ]);
  await sql.query(
    `insert into plans values ($1, 'pack', 'Pack', 'package', 1000, false, 10000, 0, false, null, null, 100, '{yoga}', '{"basis":"retail"}', '{}')`,
    [tenantId],
  );
  await sql.query(
    `insert into clients select $1, 'c' || g, 'Client ' || g from generate_series(0, $2 - 1) g`,
    [tenantId, clients],
  );
  // Each client's purchase holds one credit per reservation it will have.
  await sql.query(
    `insert into purchases select $1, 'p' || g, 'c' || g, 'pack', 'loc', '2026-01-01', null, 'active', 'pos', false,
            1000, $3, 0, 0, 0, 1000 - $3, now()
       from generate_series(0, $2 - 1) g`,
    [tenantId, clients, Math.ceil(reservations / clients)],
  );
  await sql.query(
    `insert into ledger_entries (tenant_id, id, purchase_id, kind, total, held, used, deducted, expired, actor, idempotency_key, occurred_at)
     select $1, 'g' || g, 'p' || g, 'grant', 1000, 0, 0, 0, 0, 'bench', 'grant:p' || g, '2026-01-01' from generate_series(0, $2 - 1) g`,
    [tenantId, clients],
  );
  await sql.query(
    `insert into sessions select $1, 's' || g, 'yoga', 'loc', timestamp '2026-02-01' + g * interval '1 minute',
            timestamp '2026-02-01' + g * interval '1 minute' + interval '30 minutes', null, 1, null
       from generate_series(0, $2 - 1) g`,
    [tenantId, sessions],
  );
  // started_applied: the start already used nothing (held stays held) — the sweep does the end.
  await sql.query(
    `insert into reservations (tenant_id, id, client_id, session_id, channel, status, purchase_id, manual_purchase, credit_state,
            covered_units, credit_seq, started_applied, ended_applied, created_at)
     select $1, 'r' || g, 'c' || (g % $3), 's' || (g / $4), 'online', 'booked', 'p' || (g % $3), false, 'held', 1, 1, true, false, now()
       from generate_series(0, $2 - 1) g`,
    [tenantId, reservations, clients, perSession],
  );
  await sql.query(
    `insert into ledger_entries (tenant_id, id, purchase_id, kind, total, held, used, deducted, expired, reservation_id, actor, idempotency_key, occurred_at)
     select $1, 'h' || g, 'p' || (g % $3), 'hold', 0, 1, 0, 0, 0, 'r' || g, 'bench', 'r:r' || g || ':1', '2026-01-15'
       from generate_series(0, $2 - 1) g`,
    [tenantId, reservations, clients],
  );
  await sql.query('commit');
  // A live database has fresh statistics (autovacuum); give the seeded one the same.
  await sql.query('analyze');
  await sql.end();
}

/**
 * The baseline: the same uses written by one set-based SQL statement per batch of
 * 1 000 sessions (claim the batch, insert the ledger entries, move the balances,
 * mark the reservations and the sessions), each batch its own transaction.
 */
async function baselineSweep(url: string, tenantId: string, asOf: Date): Promise<number> {
  const sql = new pg.Client({ connectionString: url });
  await sql.connect();
  let used = 0;
  for (;;) {
    await sql.query('begin');
    const { rows } = await sql.query(
      `with batch as (select id from sessions where tenant_id = $1 and swept_at is null and ends_at <= $2
                       order by ends_at, id limit 1000 for no key update skip locked),
            due as (select r.id, r.purchase_id, r.covered_units, r.credit_seq from reservations r
                     where r.tenant_id = $1 and r.session_id in (select id from batch) and not r.ended_applied
                       and r.credit_state = 'held' order by r.id),
            ledger as (insert into ledger_entries (tenant_id, id, purchase_id, kind, total, held, used, deducted, expired,
                         reservation_id, actor, idempotency_key, occurred_at)
                       select $1, 'b' || d.id, d.purchase_id, 'use', 0, -d.covered_units, d.covered_units, 0, 0, d.id,
                              'baseline', 'r:' || d.id || ':' || (d.credit_seq + 1), $2 from due d),
            balances as (update purchases p set held = p.held - x.n, used = p.used + x.n
                           from (select purchase_id, sum(covered_units)::int as n from due group by purchase_id) x
                          where p.tenant_id = $1 and p.id = x.purchase_id),
            marked as (update reservations r set credit_state = 'used', credit_seq = r.credit_seq + 1, ended_applied = true
                         from due d where r.tenant_id = $1 and r.id = d.id),
            swept as (update sessions s set swept_at = $2 where s.tenant_id = $1 and s.id in (select id from batch))
       select (select count(*) from batch)::int as sessions, (select count(*) from due)::int as used`,
      [tenantId, asOf],
    );
    await sql.query('commit');
    used += rows[0].used;
    if (rows[0].sessions < 1000) break;
  }
  await sql.end();
  return used;
}

export async function benchSweep(sizes = [10_000, 100_000]) {
  const results = [];
  for (const size of sizes) {
    const db = await benchDatabase();
    const plugin = await createCreditsPlugin({
      databaseUrl: db.url,
      platformKey: 'bench',
      clock: () => new Date('2026-06-01T00:00:00Z'),
    });
    for (const id of ['bench', 'base']) {
      const created = await plugin.app.request('/v1/tenants', {
        method: 'POST',
        headers: { authorization: 'Bearer bench', 'content-type': 'application/json' },
        body: JSON.stringify({ id, name: id, preset: 'mytime' }),
      });
      if (created.status !== 201) throw new Error(`tenant: ${created.status}`);
    }
    await seed(db.url, 'bench', size);
    await seed(db.url, 'base', size);
    // The baseline first, while the plugin has nothing to dispatch: its outbox
    // dispatcher then works beside the plugin's own sweep only, as it does in service.
    const baseStarted = performance.now();
    const baseUsed = await baselineSweep(db.url, 'base', new Date('2026-06-01T00:00:00Z'));
    const baseSeconds = (performance.now() - baseStarted) / 1000;
    if (baseUsed !== size) throw new Error(`baseline used ${baseUsed} of ${size}`);
    const started = performance.now();
    const totals = await plugin.sweep({ tenantIds: ['bench'] });
    const seconds = (performance.now() - started) / 1000;
    if (totals.used !== size) throw new Error(`swept ${totals.used} of ${size}`);
    results.push({
      reservations: size,
      seconds: Number(seconds.toFixed(2)),
      perSecond: Math.round(size / seconds),
      baselineSeconds: Number(baseSeconds.toFixed(2)),
      ratio: Number((baseSeconds / seconds).toFixed(2)),
      microsPerRow: Math.round((seconds / size) * 1e6),
    });
    await plugin.close();
    if (!process.env.BENCH_KEEP) await db.drop();
    else console.error(`kept ${db.url}`);
  }
  return results;
}
