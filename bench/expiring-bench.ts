import pg from 'pg';
import { createCreditsPlugin } from '../src/plugin.ts';
import { benchDatabase } from './bench-db.ts';

const now = new Date('2026-06-01T00:00:00Z');

/**
 * N live purchases whose expiries are spread over a year (one day apart, noon UTC),
 * on a plan that announces expiry 7 days ahead: about 7/365 of them are due a
 * `credits.expiring` notice. Inserted straight with SQL.
 */
async function seed(url: string, tenantId: string, purchases: number): Promise<void> {
  const sql = new pg.Client({ connectionString: url });
  await sql.connect();
  await sql.query('begin');
  await sql.query(`insert into locations values ($1, 'loc', 'Main', 'UTC')`, [tenantId]);
  await sql.query(`insert into items values ($1, 'yoga', 'Yoga', 'class', 2000, null, 'standard')`, [
    tenantId,
  ]);
  await sql.query(
    `insert into plans (tenant_id, id, name, kind, credits, unlimited, price, days_to_expire, one_day, bucket_type,
       item_type, priority, item_ids, commission, integrations, expiring_notice_days)
     values ($1, 'pack', 'Pack', 'package', 10, false, 10000, 365, false, null, null, 100, '{yoga}',
       '{"basis":"retail"}', '{}', 7)`,
    [tenantId],
  );
  const clients = Math.max(1, Math.floor(purchases / 10));
  await sql.query(
    `insert into clients select $1, 'c' || g, 'Client ' || g from generate_series(0, $2 - 1) g`,
    [tenantId, clients],
  );
  await sql.query(
    `insert into purchases select $1, 'p' || g, 'c' || (g % $3), 'pack', 'loc', '2026-01-01',
            timestamptz '2026-06-01 12:00:00+00' + (g % 365) * interval '1 day', 'active', 'pos', false,
            10, 0, 0, 0, 0, 10, now()
       from generate_series(0, $2 - 1) g`,
    [tenantId, purchases, clients],
  );
  await sql.query('commit');
  await sql.query('analyze');
  await sql.end();
}

/** The baseline: the same purchases only found and counted, one set-based read. */
async function baselineCount(url: string, tenantId: string): Promise<number> {
  const sql = new pg.Client({ connectionString: url });
  await sql.connect();
  const { rows } = await sql.query(
    `select count(*)::int as n from purchases p join plans pl on pl.tenant_id = p.tenant_id and pl.id = p.plan_id
      where p.tenant_id = $1 and p.status in ('active', 'on_hold') and p.expires_at is not null
        and p.expires_at > $2 and p.expires_at <= $2::timestamptz + interval '7 days'
        and (p.unlimited or p.remaining > 0)`,
    [tenantId, now],
  );
  await sql.end();
  return rows[0].n;
}

async function outboxCount(url: string, tenantId: string): Promise<number> {
  const sql = new pg.Client({ connectionString: url });
  await sql.connect();
  const { rows } = await sql.query(
    `select count(*)::int as n from outbox where tenant_id = $1 and name = 'credits.expiring'`,
    [tenantId],
  );
  await sql.end();
  return rows[0].n;
}

/**
 * `npm run bench -- expiring`: the scheduled sweep's expiring-soon notices over
 * BENCH_EXPIRING_SIZE (default 1 000 000) purchases — the first sweep writes every
 * notice due, a second writes none — against one set-based count of the same rows.
 */
export async function benchExpiring(size = Number(process.env.BENCH_EXPIRING_SIZE ?? 1_000_000)) {
  const db = await benchDatabase();
  const plugin = await createCreditsPlugin({ databaseUrl: db.url, platformKey: 'bench', clock: () => now });
  const created = await plugin.app.request('/v1/tenants', {
    method: 'POST',
    headers: { authorization: 'Bearer bench', 'content-type': 'application/json' },
    body: JSON.stringify({ id: 'bench', name: 'bench', preset: 'mytime' }),
  });
  if (created.status !== 201) throw new Error(`tenant: ${created.status}`);
  await seed(db.url, 'bench', size);
  const baseStarted = performance.now();
  const due = await baselineCount(db.url, 'bench');
  const baseSeconds = (performance.now() - baseStarted) / 1000;
  const started = performance.now();
  await plugin.sweep({ tenantIds: ['bench'] });
  const seconds = (performance.now() - started) / 1000;
  const notices = await outboxCount(db.url, 'bench');
  if (notices !== due) throw new Error(`noticed ${notices} of ${due}`);
  const againStarted = performance.now();
  await plugin.sweep({ tenantIds: ['bench'] });
  const againSeconds = (performance.now() - againStarted) / 1000;
  if ((await outboxCount(db.url, 'bench')) !== due) throw new Error('a second sweep noticed again');
  await plugin.close();
  if (!process.env.BENCH_KEEP) await db.drop();
  return [
    {
      purchases: size,
      notices,
      seconds: Number(seconds.toFixed(2)),
      secondSweepSeconds: Number(againSeconds.toFixed(2)),
      baselineCountSeconds: Number(baseSeconds.toFixed(3)),
      ratio: Number((seconds / baseSeconds).toFixed(1)),
    },
  ];
}
